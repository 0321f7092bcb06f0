import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { parseResponses, rawExchange } from '../raw-http.js';
import { nextCase, type FuzzCase, type FuzzContext, type HttpCase } from './cases.js';
import { Rng } from '../../../bench/gen/rng.js';

export interface FuzzOptions {
  url: string;
  /** The gateway's process, whose RSS is sampled. */
  pid: number;
  ctx: FuzzContext;
  count: number;
  seed: number;
  concurrency: number;
  hugeChance?: number;
  slowChance?: number;
  onProgress?: (done: number) => void;
}

export interface FuzzReport {
  requests: number;
  statuses: Record<string, number>;
  /** The first problems found (5xx, wrong error shape, leak, hang), with the case that caused each. */
  failures: string[];
  failureCount: number;
  /** Ids of inference requests with the valid key that got past authentication: each must be in the ledger. */
  meteredIds: string[];
  rssMb: { first: number; max: number; last: number };
  clientErrors: number;
  seconds: number;
}

// Refusals that happen before an inference handler runs; every other answer to a metered call has a ledger row.
const BEFORE_HANDLER = new Set(['invalid_api_key', 'too_many_auth_failures', 'request_too_large', 'unsupported_media_type', 'request_timeout', 'headers_too_large', 'url_too_long', 'not_found', 'method_not_allowed']);
const LEAK = /\bat [\w.<>]+ \(|\.(ts|js|mjs):\d+|node_modules|\/work\/|\/home\/|\bSqliteError\b|\bTypeError\b|\bRangeError\b/;

export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** The problem with one answer, or undefined: no 5xx, errors in OpenAI's shape, nothing leaked. */
function judge(status: number, body: string, method: string, ctx: FuzzContext): string | undefined {
  if (status >= 500) return `status ${status}: ${body.slice(0, 200)}`;
  if (status < 400 || method === 'HEAD') return undefined;
  let parsed: { error?: Record<string, unknown> };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return `status ${status} body is not JSON: ${body.slice(0, 120)}`;
  }
  const keys = Object.keys(parsed.error ?? {}).sort().join(',');
  if (keys !== 'code,message,param,type') return `status ${status} not OpenAI-shaped: ${body.slice(0, 160)}`;
  if (LEAK.test(body)) return `status ${status} leaks internals: ${body.slice(0, 200)}`;
  if (body.includes(ctx.adminToken) || body.includes(ctx.secret)) return `status ${status} echoes a secret`;
  return undefined;
}

const describe = (c: FuzzCase): string =>
  c.kind === 'raw' ? `raw ${JSON.stringify(c.parts.join('').slice(0, 160))}` : `${c.method} ${c.path.slice(0, 120)} ${JSON.stringify(String(c.body ?? '').slice(0, 160))}`;

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const rng = new Rng(options.seed);
  const started = performance.now();
  const dispatcher = new Agent({ connections: options.concurrency, headersTimeout: 60_000, bodyTimeout: 60_000, keepAliveTimeout: 2_000 });
  const report: FuzzReport = { requests: 0, statuses: {}, failures: [], failureCount: 0, meteredIds: [], rssMb: { first: rssMb(options.pid), max: 0, last: 0 }, clientErrors: 0, seconds: 0 };
  const fail = (what: string, c: FuzzCase) => {
    report.failureCount++;
    if (report.failures.length < 25) report.failures.push(`${what}  <- ${describe(c)}`);
  };
  const count = (status: number) => (report.statuses[String(status)] = (report.statuses[String(status)] ?? 0) + 1);
  const sampler = setInterval(() => {
    const rss = rssMb(options.pid);
    report.rssMb.max = Math.max(report.rssMb.max, rss);
    report.rssMb.last = rss;
  }, 500);

  const http = async (c: HttpCase) => {
    let response;
    try {
      response = await request(`${options.url}${c.path}`, { method: c.method as 'GET', headers: c.headers, body: c.body, dispatcher });
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      // The client itself refused to send (an invalid header or method): nothing reached Moat.
      if (code === 'UND_ERR_INVALID_ARG' || error instanceof TypeError) return void report.clientErrors++;
      // Past the body limit Moat answers 413 and closes without reading the rest: the sender sees the close.
      if (c.oversize && (code === 'EPIPE' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) return void count(413);
      return fail(`no answer (${code || (error as Error).message})`, c);
    }
    const body = await response.body.text().catch((error: unknown) => `<body cut: ${(error as Error).message}>`);
    count(response.statusCode);
    const problem = judge(response.statusCode, body, c.method, options.ctx);
    if (problem) fail(problem, c);
    const id = response.headers['x-request-id'];
    if (!c.metered || typeof id !== 'string' || c.method !== 'POST') return;
    const code = response.statusCode >= 400 ? ((JSON.parse(body) as { error?: { code?: string } }).error?.code ?? '') : '';
    if (!BEFORE_HANDLER.has(code)) report.meteredIds.push(id);
  };
  const raw = async (c: Extract<FuzzCase, { kind: 'raw' }>) => {
    const text = await rawExchange(options.url, c.parts, { gapMs: c.gapMs, waitMs: 20_000, responses: c.requests });
    const responses = parseResponses(text);
    if (responses.length === 0) return fail('no answer on the raw connection', c);
    for (const response of responses) {
      count(response.status);
      const problem = judge(response.status, response.body, 'GET', options.ctx);
      if (problem) fail(problem, c);
    }
    // Pipelined requests are all well-formed: each gets its answer, unless one closed the connection.
    if (responses.length < c.requests && !responses.some((r) => r.status >= 400)) fail(`${responses.length} of ${c.requests} pipelined answers`, c);
  };

  const worker = async () => {
    while (report.requests < options.count) {
      report.requests++;
      const c = nextCase(rng, options.ctx, options.hugeChance, options.slowChance);
      await (c.kind === 'raw' ? raw(c) : http(c));
      if (report.requests % 1000 === 0) options.onProgress?.(report.requests);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearInterval(sampler);
    await dispatcher.close().catch(() => undefined);
  }
  report.rssMb.last = rssMb(options.pid);
  report.rssMb.max = Math.max(report.rssMb.max, report.rssMb.last);
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
