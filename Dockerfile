# One image for every role: `moat serve --role gateway|ledger|detector|linkage|all`.
# See docs/deploy.md and deploy/compose.yaml.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The gateway's event journal and spool (events.localDir) belong on a volume of their own.
RUN mkdir -p /var/lib/moat && chown node:node /var/lib/moat
VOLUME /var/lib/moat
USER node
# 8080: the API (server.port); 9464: /healthz, /readyz, /metrics (ops.port).
EXPOSE 8080 9464
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve", "--config", "/etc/moat/moat.yaml", "--role", "all"]
