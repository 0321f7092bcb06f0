import type { Rng } from '../../../bench/gen/rng.js';
import { nestedJson, oddValue } from './values.js';

export interface FuzzContext {
  secret: string;
  adminToken: string;
  /** A viewer's console session cookie: read-only, so fuzzing cannot suspend the fuzzing account. */
  viewerCookie: string;
}

export interface HttpCase {
  kind: 'http';
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** An inference call with the valid key: whatever Moat answers, past authentication it must leave a ledger row. */
  metered: boolean;
  /** Larger than the gateway's body limit. */
  oversize?: boolean;
}

export interface RawCase {
  kind: 'raw';
  parts: (string | Buffer)[];
  gapMs: number;
  /** How many requests the bytes hold (pipelining); each must get an OpenAI-shaped answer or a well-formed success. */
  requests: number;
}

export type FuzzCase = HttpCase | RawCase;

const INFERENCE = ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses'];
const FIELDS = ['model', 'messages', 'prompt', 'input', 'instructions', 'max_tokens', 'max_completion_tokens', 'max_output_tokens', 'n', 'best_of', 'seed', 'temperature', 'logprobs', 'top_logprobs', 'logit_bias', 'stream', 'stream_options', 'user', 'metadata', 'tools', 'response_format', 'dimensions', 'encoding_format', 'reasoning'];
const BASES: Record<string, Record<string, string>> = {
  '/v1/chat/completions': { model: '"gpt-4o-mini"', messages: '[{"role":"user","content":"hello"}]' },
  '/v1/completions': { model: '"gpt-4o-mini"', prompt: '"Say this is a test"' },
  '/v1/embeddings': { model: '"text-embedding-3-small"', input: '["a","b"]' },
  '/v1/responses': { model: '"gpt-4o"', input: '"hi"' },
};
const ADMIN_ROUTES: [string, string][] = [
  ['GET', '/admin/accounts'], ['POST', '/admin/accounts'], ['GET', '/admin/accounts/:id'], ['GET', '/admin/accounts/:id/keys'], ['POST', '/admin/accounts/:id/keys'],
  ['POST', '/admin/keys/:id/revoke'], ['POST', '/admin/keys/:id/rotate'], ['GET', '/admin/detection/accounts?flagged=:q&min_level=:q'], ['GET', '/admin/detection/accounts/:id'],
  ['GET', '/admin/detection/campaigns'], ['GET', '/admin/limits/status'], ['GET', '/admin/limits/accounts/:id'], ['PATCH', '/admin/limits/accounts/:id'], ['PATCH', '/admin/limits/keys/:id'],
  ['GET', '/admin/enforcement/accounts/:id'], ['POST', '/admin/enforcement/accounts/:id/suspend'], ['POST', '/admin/enforcement/accounts/:id/reinstate'], ['POST', '/admin/enforcement/accounts/:id/allowlist'],
  ['POST', '/admin/enforcement/campaigns/:id/suspend'], ['GET', '/admin/enforcement/policy'], ['PUT', '/admin/enforcement/policy'], ['GET', '/admin/audit?limit=:q&account=:q'], ['GET', '/admin/audit/verify'], ['GET', '/metrics'],
];
const CONSOLE_ROUTES: [string, string][] = [
  ['GET', '/console'], ['GET', '/console/'], ['GET', '/console/index.html'], ['GET', '/console/:id'], ['GET', '/console/api/me'], ['GET', '/console/api/overview'], ['GET', '/console/api/accounts'],
  ['GET', '/console/api/accounts/:id'], ['GET', '/console/api/campaigns'], ['GET', '/console/api/campaigns/:id'], ['GET', '/console/api/audit?limit=:q'], ['GET', '/console/api/audit/verify'],
  ['GET', '/console/api/policy'], ['PUT', '/console/api/policy'], ['POST', '/console/api/keys/:id/revoke'], ['POST', '/console/api/accounts/:id/:id'], ['POST', '/console/api/campaigns/:id/suspend'],
  ['GET', '/console/api/reports/:id/:id'], ['DELETE', '/console/api/session'], ['POST', '/console/api/session'],
];
const ODD_IDS = ['acct_nobody', 'x', '%2e%2e', '..%2f..%2fpackage.json', '%ff', '%00', 'a'.repeat(90), 'a'.repeat(300), '%E0%A4%A', "'", '%22%3E%3C', 'key_0000', 'k1', 'account.html', 'x.pdf', '%2e%2e%2f%2e%2e%2fpackage.json'];
const ODD_PATHS = ['/', '/v1', '/v1/', '/v1/models/', '/v1/chat/completions/', '/%ff%fe', '/v1/%zz', '//v1//models', '/v1/models?%ff', '/admin', '/admin/', '/healthz?x=%ff', '/console/%2e%2e/%2e%2e/package.json', '/console/../../package.json', '/' + 'p'.repeat(5000), '/v1/chat/completions?' + 'q=1&'.repeat(500), '/metrics/', '/.env', '/console/api/../../admin/accounts'];

function fill(template: string, rng: Rng): string {
  return template.replace(/:id/g, () => rng.pick(ODD_IDS)).replace(/:q/g, () => rng.pick(['true', 'false', 'high', 'x', '-1', '0', '1000000', '%ff', '']));
}

function bodyOf(fields: Record<string, string>): string {
  return `{${Object.entries(fields).map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/** An inference body: the endpoint's valid base with some fields set to odd values, or broken outright. */
function inferenceBody(path: string, rng: Rng, hugeChance: number): { body: string | Buffer; contentType: string } {
  const roll = rng.next();
  if (roll < 0.05) return { body: rng.pick(['{"model": "gpt-4o-mini", "messages": [', '{', '}', 'nul', '[1,2', '"\\u12"', '{"a":1,}', '{"a" 1}', '\u0000']), contentType: 'application/json' };
  if (roll < 0.08) return { body: Buffer.from([0x7b, 0x22, 0x6d, 0xff, 0xfe, 0x22, 0x3a, 0xc3, 0x28, 0x7d]), contentType: 'application/json' };
  if (roll < 0.1) return { body: rng.pick(['null', '[]', '1', '"x"', 'true', '[{}]']), contentType: 'application/json' };
  if (roll < 0.12) return { body: `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"metadata":${nestedJson(1000 + rng.int(0, 20_000 - 1), rng)}}`, contentType: 'application/json' };
  if (roll < 0.13) return { body: bodyOf(BASES[path]!), contentType: rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data', '']) };
  if (roll < 0.14) return { body: `{"model":"gpt-4o-mini","messages":[{"role":"user","content":${JSON.stringify('z'.repeat(5_000_000))}}]}`, contentType: 'application/json' };
  const fields = { ...BASES[path]! };
  const changes = roll < 0.3 ? 0 : 1 + rng.int(0, 3 - 1);
  for (let i = 0; i < changes; i++) fields[rng.pick(FIELDS)] = oddValue(rng, hugeChance);
  if (rng.chance(0.25)) fields.stream = 'true';
  // A duplicate key: JSON.parse keeps the last one, and so must everything after it.
  const text = rng.chance(0.03) ? bodyOf(fields).replace(/^\{/, '{"model":"gpt-4o",') : bodyOf(fields);
  return { body: text, contentType: 'application/json' };
}

function authorization(rng: Rng, good: string): string | undefined {
  const roll = rng.next();
  if (roll < 0.8) return `Bearer ${good}`;
  return rng.pick([undefined, '', 'Bearer', 'Bearer ', `bearer ${good}`, `Bearer ${good} extra`, 'Basic dXNlcjpwYXNz', `Bearer moat-sk-${'0'.repeat(40)}`, `Bearer ${'x'.repeat(5000)}`, 'Bearer \u00ff\u00fe']);
}

function oddHeaders(rng: Rng): Record<string, string> {
  // Mostly one of 65,536 addresses: a fleet of clients, so the failed-auth limit bites only where one address keeps failing.
  const headers: Record<string, string> = { 'x-forwarded-for': `10.7.${rng.int(0, 255)}.${rng.int(0, 255)}` };
  if (rng.chance(0.1)) headers['x-forwarded-for'] = rng.pick(['203.0.113.9', '::1', 'garbage', '1.2.3.4, 5.6.7.8', '', '999.999.999.999']);
  if (rng.chance(0.2)) headers['user-agent'] = rng.pick(['', 'x'.repeat(4000), 'curl/8', '\u00e9t\u00e9']);
  if (rng.chance(0.1)) headers['accept-encoding'] = rng.pick(['gzip', 'br', 'identity;q=0', '*']);
  if (rng.chance(0.1)) headers['x-moat-replay-ts'] = rng.pick(['2020-01-01T00:00:00Z', 'garbage', '9999-12-31T00:00:00Z']);
  if (rng.chance(0.05)) headers.cookie = rng.pick(['moat_console=%E0%A4%A', 'moat_console=', 'moat_console=abc; moat_console=def', '=;=;', 'a'.repeat(3000)]);
  return headers;
}

const rawRequest = (method: string, path: string, headers: string, body = '') => `${method} ${path} HTTP/1.1\r\nHost: fuzz\r\n${headers}${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`;

function rawCase(rng: Rng, ctx: FuzzContext, slowChance: number): RawCase {
  const auth = `Authorization: Bearer ${ctx.secret}\r\n`;
  const chat = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}';
  const roll = rng.int(0, 12 - 1);
  switch (roll) {
    case 0:
      return { kind: 'raw', parts: [`POST /v1/chat/completions HTTP/1.1\r\nHost: f\r\n${auth}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: ${chat.length}\r\n\r\n${chat}`], gapMs: 0, requests: 1 };
    case 1:
      return { kind: 'raw', parts: [`POST /v1/chat/completions HTTP/1.1\r\nHost: f\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`], gapMs: 0, requests: 1 };
    case 2:
      return { kind: 'raw', parts: [`GET /healthz HTTP/1.1\r\nHost: f\r\nX-Big: ${'b'.repeat(17_000 + rng.int(0, 40_000 - 1))}\r\n\r\n`], gapMs: 0, requests: 1 };
    case 3:
      return { kind: 'raw', parts: [rng.pick(['GARBAGE\r\n\r\n', 'GET\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /healthz HTTP/1.1\nHost: f\n\n', 'GET /healthz HTTP/1.1\r\nHo st: f\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: f\r\nX: a\u0000b\r\n\r\n', '\r\n\r\n\r\n', `GET /${'u'.repeat(20_000)} HTTP/1.1\r\nHost: f\r\n\r\n`])], gapMs: 0, requests: 1 };
    case 4: {
      const count = 2 + rng.int(0, 6 - 1);
      const pipelined = Array.from({ length: count }, (_, i) =>
        rng.pick([rawRequest('GET', '/healthz', ''), rawRequest('GET', '/v1/models', auth), rawRequest('POST', '/v1/chat/completions', `${auth}Content-Type: application/json\r\n`, i % 2 ? chat : '{"model":1}'), rawRequest('GET', '/nope', '')]),
      ).join('');
      return { kind: 'raw', parts: [pipelined], gapMs: 0, requests: count };
    }
    case 5:
      if (rng.chance(slowChance)) {
        // A slow client: the head trickled in a few bytes at a time.
        const head = rawRequest('POST', '/v1/chat/completions', `${auth}Content-Type: application/json\r\n`, chat);
        return { kind: 'raw', parts: head.match(/[\s\S]{1,12}/g)!, gapMs: 150, requests: 1 };
      }
      return { kind: 'raw', parts: [rawRequest('GET', '/healthz', '')], gapMs: 0, requests: 1 };
    case 6:
      return { kind: 'raw', parts: [`POST /v1/embeddings HTTP/1.1\r\nHost: f\r\n${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":"text-embedding-3-small"}`], gapMs: 0, requests: 1 };
    case 7:
      return { kind: 'raw', parts: [`GET http://evil.example/admin/accounts HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer ${ctx.adminToken.slice(0, 5)}\r\n\r\n`], gapMs: 0, requests: 1 };
    case 8:
      return { kind: 'raw', parts: [`GET /v1/models HTTP/1.0\r\n${auth}\r\n`], gapMs: 0, requests: 1 };
    case 9:
      return { kind: 'raw', parts: [`POST /v1/chat/completions HTTP/1.1\r\nHost: f\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chat.length.toString(16)}\r\n${chat}\r\n0\r\n\r\n`], gapMs: 0, requests: 1 };
    case 10:
      return { kind: 'raw', parts: [`POST /v1/chat/completions HTTP/1.1\r\nHost: f\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbroken\r\n`], gapMs: 0, requests: 1 };
    default:
      return { kind: 'raw', parts: [`GET /healthz HTTP/1.1\r\nHost: f\r\nHost: g\r\nContent-Length: abc\r\n\r\n`], gapMs: 0, requests: 1 };
  }
}

/** One generated request. `hugeChance` and `slowChance` scale the costly cases (the short run keeps them rare). */
export function nextCase(rng: Rng, ctx: FuzzContext, hugeChance = 0.02, slowChance = 0.05): FuzzCase {
  const roll = rng.next();
  if (roll < 0.55) {
    const path = rng.pick(INFERENCE);
    const auth = authorization(rng, ctx.secret);
    const { body, contentType } = inferenceBody(path, rng, hugeChance);
    const headers = { ...oddHeaders(rng), ...(contentType && { 'content-type': contentType }), ...(auth !== undefined && { authorization: auth }) };
    const oversize = body.length > 4 * 1024 * 1024;
    return { kind: 'http', method: rng.chance(0.97) ? 'POST' : rng.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']), path, headers, body, metered: auth === `Bearer ${ctx.secret}`, oversize };
  }
  if (roll < 0.6) return { kind: 'http', method: 'GET', path: '/v1/models', headers: { ...oddHeaders(rng), ...(rng.chance(0.9) && { authorization: authorization(rng, ctx.secret) ?? '' }) }, body: undefined, metered: false };
  if (roll < 0.75) {
    const [method, template] = rng.pick(ADMIN_ROUTES);
    const auth = authorization(rng, ctx.adminToken);
    const body = method === 'GET' ? undefined : rng.chance(0.8) ? `{"reason":${oddValue(rng, 0)},"actor":${oddValue(rng, 0)},"limits":${oddValue(rng, 0)},"policy":${oddValue(rng, 0)},"name":${oddValue(rng, 0)},"account":${oddValue(rng, 0)},"grace_seconds":${oddValue(rng, 0)}}` : oddValue(rng, 0);
    return { kind: 'http', method, path: fill(template, rng), headers: { ...oddHeaders(rng), ...(auth !== undefined && { authorization: auth }), ...(body !== undefined && { 'content-type': 'application/json' }) }, body, metered: false };
  }
  if (roll < 0.85) {
    const [method, template] = rng.pick(CONSOLE_ROUTES);
    const signIn = template === '/console/api/session' && method === 'POST';
    const cookie = rng.chance(0.7) ? ctx.viewerCookie : rng.pick(['moat_console=%E0%A4%A', 'moat_console=forged', '']);
    const body = method === 'GET' || method === 'DELETE' ? undefined : signIn ? `{"user":${oddValue(rng, 0)},"password":${oddValue(rng, 0)}}` : `{"reason":${oddValue(rng, 0)},"policy":${oddValue(rng, 0)}}`;
    // Sign-ins come from few addresses: each wrong password costs an scrypt until the address is limited.
    const headers: Record<string, string> = { ...oddHeaders(rng), cookie, ...(body !== undefined && { 'content-type': 'application/json' }), ...(signIn && { 'x-forwarded-for': `192.0.2.${rng.int(0, 3 - 1)}` }) };
    return { kind: 'http', method, path: fill(template, rng), headers, body, metered: false };
  }
  if (roll < 0.93) return rawCase(rng, ctx, slowChance);
  return { kind: 'http', method: rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND']), path: rng.pick(ODD_PATHS), headers: oddHeaders(rng), body: undefined, metered: false };
}
