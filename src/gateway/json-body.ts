import type { FastifyInstance } from 'fastify';
import { GatewayError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received, forwarded upstream as they are when Moat changes nothing. */
    rawBody?: Buffer;
  }
}

/** Parses JSON bodies ourselves to keep the raw bytes and to answer bad JSON in OpenAI's shape. */
export function registerJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    if (bytes.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(bytes.toString('utf8')));
    } catch (error) {
      done(new GatewayError('invalid_json', `We could not parse the JSON body of your request (${(error as Error).message}).`), undefined);
    }
  });
}
