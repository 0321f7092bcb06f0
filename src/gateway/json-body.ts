import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors/catalogue.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received, forwarded upstream as they are when Moat changes nothing. */
    rawBody?: Buffer;
    /** The same, decoded: what the ledger line carries as the request, instead of serialising the parsed body again. */
    bodyText?: string;
    /** Why the body could not be read, for handlers that record a request before refusing it. */
    bodyError?: GatewayError;
  }
}

// Fatal: bytes that are not UTF-8 would be metered as replacement characters but forwarded as they are.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Buffer): { value: unknown; text: string } | { error: GatewayError } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { error: new GatewayError('invalid_json', 'The request body is not valid UTF-8.') };
  }
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    // V8 quotes the body around the fault; a few words of it are enough to find it.
    const reason = (error as Error).message.slice(0, 160);
    return { error: new GatewayError('invalid_json', `We could not parse the JSON body of your request (${reason}).`) };
  }
}

/**
 * Parses JSON bodies ourselves to keep the raw bytes and to answer bad JSON in OpenAI's shape.
 * An authenticated inference request (one with a principal) reaches its handler even so,
 * which refuses it with the same 400 and leaves its ledger row.
 */
export function registerJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    if (bytes.length === 0) return done(null, undefined);
    const parsed = parseJson(bytes);
    if ('value' in parsed) {
      request.bodyText = parsed.text;
      return done(null, parsed.value);
    }
    if (request.principal === undefined) return done(parsed.error, undefined);
    request.bodyError = parsed.error;
    done(null, undefined);
  });
}
