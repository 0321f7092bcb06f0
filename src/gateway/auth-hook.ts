import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthFailure, KeyRegistry, Principal } from '../auth/key-registry.js';
import { ENDPOINTS } from '../metering/endpoint.js';
import { GatewayError } from '../errors/catalogue.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** A known key refused (revoked, expired): its handler records the 401 against the owner, then answers it. */
    authRefusal?: GatewayError;
  }
}

// Never echo the presented key, not even masked: error bodies end up in client logs.
const MESSAGES: Record<AuthFailure, string> = {
  missing: "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY'.",
  unknown: 'Incorrect API key provided.',
  revoked: 'This API key has been revoked.',
  expired: 'This API key has expired after being rotated; use its successor.',
};

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Runs before the body is read, so an unauthenticated client cannot make Moat parse megabytes.
 * In fastify's callback form: it runs on every request, and an async hook costs a promise each.
 */
export function authenticate(registry: KeyRegistry) {
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: GatewayError) => void): void => {
    const result = registry.authenticate(bearerToken(request.headers.authorization));
    if ('keyId' in result) {
      request.principal = result;
      return done();
    }
    const refusal = new GatewayError('invalid_api_key', MESSAGES[result.failure]);
    // An unknown key names nobody, so only known keys are recorded; the owner's account is bounded by the body limit like any other.
    const route = request.routeOptions.url;
    if (!result.owner || route === undefined || !Object.hasOwn(ENDPOINTS, route)) return done(refusal);
    request.principal = result.owner;
    request.authRefusal = refusal;
    done();
  };
}
