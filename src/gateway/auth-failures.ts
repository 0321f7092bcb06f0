import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthFailureLimiter, AuthSurface } from '../auth/failure-limiter.js';
import { GatewayError } from '../errors/catalogue.js';

/** Which secret a request presents, by its URL; undefined where none is checked. */
function surfaceOf(request: FastifyRequest): AuthSurface | undefined {
  const path = request.url;
  if (path.startsWith('/v1/')) return 'api_key';
  if (path.startsWith('/admin/') || path === '/metrics' || path.startsWith('/metrics?')) return 'admin';
  // Only the sign-in guesses a password; other console 401s just say "sign in first".
  if (request.method === 'POST' && path.split('?')[0] === '/console/api/session') return 'console';
  return undefined;
}

/**
 * Failed-auth floods are refused per source address, before any secret is checked: every
 * 401 a surface answers counts, and past the limit the address gets 429 until its window ends.
 */
export function registerAuthFailureLimit(app: FastifyInstance, limiter: AuthFailureLimiter): void {
  app.addHook('onRequest', async (request, reply) => {
    const surface = surfaceOf(request);
    if (!surface) return;
    const waitMs = limiter.retryAfterMs(request.ip, surface);
    if (waitMs <= 0) return;
    reply.header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));
    throw new GatewayError('too_many_auth_failures', 'Too many failed authentication attempts from this address; try again later.');
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401) return;
    const surface = surfaceOf(request);
    if (surface) limiter.fail(request.ip, surface);
  });
}
