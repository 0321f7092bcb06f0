#!/usr/bin/env node
// The floor of a Node.js gateway, for `npm run bench -- gateway`: node:http in, undici out,
// no features at all (no auth, metering, limits, ledger, detection). It does what Moat's
// hot path cannot avoid: read the body, make one keep-alive upstream call with a Pool (as
// src/upstream/upstream-client.ts does), relay the answer's bytes.
//
//   node bench/bare-node-gw.mjs --port 18090 --upstream http://127.0.0.1:18080/v1
import http from 'node:http';
import { Pool } from 'undici';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
const port = Number(arg('port', '18090'));
const upstream = new URL(arg('upstream', 'http://127.0.0.1:18080/v1'));
const prefix = upstream.pathname.replace(/\/+$/, '');
const pool = new Pool(upstream.origin, { connections: 256, keepAliveTimeout: 30_000 });

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const answer = await pool.request({ method: req.method, path: prefix + req.url.slice(3), headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
      const type = answer.headers['content-type'];
      res.writeHead(answer.statusCode, type ? { 'content-type': type } : {});
      for await (const chunk of answer.body) if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      res.end();
    } catch {
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    }
  });
});
server.keepAliveTimeout = 120_000;
server.listen(port, '127.0.0.1', () => console.log(`bare node gateway on http://127.0.0.1:${port}/v1 -> ${upstream.href}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
