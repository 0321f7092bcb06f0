import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** One thing readiness depends on: a reason it is not ready, or undefined. */
export type ReadinessCheck = () => Promise<string | undefined>;

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Health, readiness and metrics for every role, on their own port (what an orchestrator and
 * Prometheus scrape, apart from the API port): `/healthz` is the process answering, `/readyz`
 * every dependency reachable and every consumer's lag under its bound, `/metrics` Prometheus text.
 */
export async function startOpsServer(host: string, port: number, checks: Record<string, ReadinessCheck>, registry: Registry): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/healthz') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
    if (path === '/readyz') {
      void readiness(checks).then(({ ready, failures }) => send(ready ? 200 : 503, 'application/json', JSON.stringify({ status: ready ? 'ready' : 'not ready', failures })));
      return;
    }
    if (path === '/metrics') {
      void registry.metrics().then((text) => send(200, registry.contentType, text), () => send(500, 'text/plain', 'metrics failed'));
      return;
    }
    send(404, 'application/json', JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', param: null, code: 'not_found' } }));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readiness(checks: Record<string, ReadinessCheck>): Promise<{ ready: boolean; failures: Record<string, string> }> {
  const failures: Record<string, string> = {};
  await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS)));
      const reason = await Promise.race([check().catch((error: unknown) => (error instanceof Error ? error.message : String(error))), timeout]);
      clearTimeout(timer);
      if (reason !== undefined) failures[name] = reason;
    }),
  );
  return { ready: Object.keys(failures).length === 0, failures };
}
