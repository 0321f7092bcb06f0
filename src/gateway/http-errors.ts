import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, openAiError, type ErrorCode } from '../errors/catalogue.js';

/** Fastify's and its plugins' own errors mapped onto the catalogue, by their code or HTTP status. */
const BY_FASTIFY_CODE: Readonly<Record<string, [ErrorCode, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['request_too_large', 'Request body is larger than this gateway accepts.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_request', 'The Content-Length header does not match the body.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'Send the request body as application/json.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_json', 'The request body is empty; send a JSON object.'],
  FST_ERR_BAD_URL: ['invalid_request', 'The request URL is not valid (bad percent-encoding).'],
  FST_ERR_MAX_PARAM_LENGTH: ['url_too_long', 'The request URL is too long.'],
};

const BY_STATUS: Readonly<Record<number, [ErrorCode, string]>> = {
  400: ['invalid_request', 'The request could not be understood.'],
  403: ['forbidden', 'Access to this resource is forbidden.'],
  404: ['not_found', 'Not found.'],
  405: ['method_not_allowed', 'Method not allowed.'],
  408: ['request_timeout', 'The request took too long to arrive.'],
  413: ['request_too_large', 'Request body is larger than this gateway accepts.'],
  414: ['url_too_long', 'The request URL is too long.'],
  415: ['unsupported_media_type', 'Send the request body as application/json.'],
  431: ['headers_too_large', 'The request headers are larger than this gateway accepts.'],
};

/**
 * Any error turned into one of the catalogue's. Only Moat's own messages reach a client:
 * a plugin's message may name a file path, and an unknown error's a stack.
 */
export function toGatewayError(error: unknown, requestId: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const { code, statusCode } = typeof error === 'object' && error !== null ? (error as { code?: unknown; statusCode?: unknown }) : {};
  const known = (typeof code === 'string' ? BY_FASTIFY_CODE[code] : undefined) ?? (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? (BY_STATUS[statusCode] ?? BY_STATUS[400]) : undefined);
  if (known) return new GatewayError(known[0], known[1]);
  return new GatewayError('internal_error', `Internal error; quote request id ${requestId} when reporting it.`);
}

/** For fastify's `frameworkErrors`: a URL the router cannot read, answered like every other error. */
export function frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const gatewayError = toGatewayError(error, request.id);
  void reply.code(gatewayError.status).header('x-request-id', request.id).send(gatewayError.body());
}

/** Node's HTTP parser failures that never become a request (bad framing, header overflow, timeouts). */
function clientErrorOf(code: string | undefined): [number, ErrorCode, string] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'request_timeout', 'The request took too long to arrive.'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'headers_too_large', 'The request headers are larger than this gateway accepts.'];
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return [400, 'invalid_request', 'The request has conflicting Content-Length or Transfer-Encoding headers.'];
    default:
      return [400, 'invalid_request', 'The HTTP request could not be parsed.'];
  }
}

/** For fastify's `clientErrorHandler`: the same OpenAI shape on the raw socket, then the connection closes. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = clientErrorOf(error.code);
  const body = JSON.stringify(openAiError(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}
