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
  // Callback hooks: they run on every request, and an async one costs a promise each.
  app.addHook('onRequest', (request, reply, done) => {
    const surface = surfaceOf(request);
    const waitMs = surface ? limiter.retryAfterMs(request.ip, surface) : 0;
    if (waitMs <= 0) return done();
    reply.header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));
    done(new GatewayError('too_many_auth_failures', 'Too many failed authentication attempts from this address; try again later.'));
  });
  app.addHook('onResponse', (request, reply, done) => {
    const surface = reply.statusCode === 401 ? surfaceOf(request) : undefined;
    if (surface) limiter.fail(request.ip, surface);
    done();
  });
}
