import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AuthFailureLimiter } from '../auth/failure-limiter.js';
import type { KeyRegistry } from '../auth/key-registry.js';
import type { MoatConfig } from '../config/schema.js';
import { GatewayError } from '../errors/catalogue.js';
import { ENDPOINTS } from '../metering/endpoint.js';
import type { UpstreamRouter } from '../upstream/router.js';
import { registerOpenApiRoute } from './admin-openapi.js';
import { registerAdminRoutes, type AdminDeps } from './admin-routes.js';
import { registerAuthFailureLimit } from './auth-failures.js';
import { authenticate } from './auth-hook.js';
import { registerDetectionRoutes } from './detection-routes.js';
import { registerEnforcementRoutes, type EnforcementRouteDeps } from './enforcement-routes.js';
import type { LiveDetection } from '../events/live-detection.js';
import { clientErrorHandler, frameworkErrors, toGatewayError } from './http-errors.js';
import { registerJsonBody } from './json-body.js';
import { registerLimitsRoutes, type LimitsRouteDeps } from './limits-routes.js';
import { inferenceHandler, type ProxyDeps } from './proxy.js';
import { newRequestId } from './request-ids.js';
import { keepRouteList } from './route-list.js';

export interface AppDeps extends Omit<ProxyDeps, 'enforcement'>, AdminDeps, LimitsRouteDeps, EnforcementRouteDeps {
  logger: Logger;
  router: UpstreamRouter;
  registry: KeyRegistry;
  server: MoatConfig['server'];
  authFailures: AuthFailureLimiter;
  detection: LiveDetection | undefined;
  /** True once shutdown has begun: new requests get 503 while the ones in flight finish. */
  closing: () => boolean;
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const { server } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Per-request access logs cost more CPU than the rest of the hop; the ledger is the record.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: server.bodyLimitBytes,
    // A hop count means: believe that many proxies in front of Moat, nearest first.
    trustProxy: typeof server.trustProxy === 'number' ? (_address: string, hop: number) => hop < (server.trustProxy as number) : server.trustProxy,
    genReqId: () => newRequestId(),
    // Slow clients (a body at a byte every few seconds) must not hold a connection forever.
    requestTimeout: server.requestTimeoutMs,
    connectionTimeout: server.idleTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    clientErrorHandler,
    frameworkErrors,
    // Fastify's own 503 while closing is not OpenAI-shaped; the hook below answers instead.
    return503OnClosing: false,
    http: {
      // Node may not let headers wait longer than the whole request.
      headersTimeout: Math.min(server.headersTimeoutMs, server.requestTimeoutMs),
      // Node checks the request timeouts only this often (30 s by default): a quarter of the timeout keeps them near their setting.
      connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(server.requestTimeoutMs / 4))),
    },
  });
  app.server.maxConnections = server.maxConnections;
  keepRouteList(app);
  registerJsonBody(app);

  // Hooks on every request take fastify's callback form: an async hook costs a promise and a turn of the microtask queue each.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (!deps.closing()) return done();
    reply.header('connection', 'close');
    done(new GatewayError('shutting_down', 'This gateway is shutting down; retry on another replica.'));
  });
  registerAuthFailureLimit(app, deps.authFailures);

  app.setErrorHandler((error, request, reply) => {
    const gatewayError = toGatewayError(error, request.id);
    if (gatewayError.status >= 500 && !(error instanceof GatewayError)) request.log.error({ err: error, requestId: request.id }, 'unhandled error');
    reply.code(gatewayError.status).send(gatewayError.body());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new GatewayError('not_found', `Unknown request URL: ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}.`);
    reply.code(404).send(error.body());
  });

  app.register(async (api) => {
    api.addHook('onRequest', authenticate(deps.registry));
    for (const [path, kind] of Object.entries(ENDPOINTS)) {
      api.post(path, inferenceHandler(kind, path.slice('/v1'.length), { ...deps, enforcement: deps.enforcement?.enforcer }));
    }
    const modelObject = (model: { id: string; owned_by: string }) => ({ id: model.id, object: 'model', created: 0, owned_by: model.owned_by });
    api.get('/v1/models', async (request) => ({ object: 'list', data: deps.router.listModels(request.principal!.tier).map(modelObject) }));
    // client.models.retrieve; a model a wildcard route serves is found too, and a forbidden one is as unknown as a missing one.
    api.get<{ Params: { id: string } }>('/v1/models/:id', async (request) => modelObject(deps.router.findModel(request.params.id, request.principal!.tier)));
  });

  registerAdminRoutes(app, deps);
  registerDetectionRoutes(app, deps.detection, deps.adminToken);
  registerLimitsRoutes(app, deps);
  registerEnforcementRoutes(app, deps);
  registerOpenApiRoute(app, deps.adminToken);
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}
