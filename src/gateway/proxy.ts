import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/key-registry.js';
import type { Decision } from '../enforce/decision.js';
import { stripReasoningEvents, stripReasoningJson } from '../enforce/reasoning-filter.js';
import { screen } from '../enforce/screen.js';
import type { LedgerRecord } from '../ledger/record.js';
import type { LimitGate } from '../limits/limit-gate.js';
import { needsUsageOption, type EndpointKind } from '../metering/endpoint.js';
import { harvestJson, type Harvest } from '../metering/harvest.js';
import { StreamHarvester } from '../metering/stream-harvester.js';
import { countTokens } from '../metering/tokenizer.js';
import { promptText } from '../traffic/request-text.js';
import type { RequestBody } from '../traffic/types.js';
import { UpstreamCallError, type UpstreamClient, type UpstreamResponse } from '../upstream/upstream-client.js';
import type { UpstreamRouter } from '../upstream/router.js';
import { GatewayError } from './errors.js';
import type { InFlight } from './in-flight.js';

export interface ProxyDeps {
  router: UpstreamRouter;
  /** Receives every finished request's record (the ledger, the detection tap). */
  record: (record: LedgerRecord) => void;
  /** When the request arrived, in ms: the wall clock, or a replayed timestamp in replay mode. */
  arrival: (request: FastifyRequest) => number;
  /** Upstreams that are Moat's own stand-in, flagged to clients in a response header. */
  standIns: ReadonlySet<string>;
  inFlight: InFlight;
  /** Quotas and rate limits; undefined when config has no `limits` section. */
  limits: LimitGate | undefined;
  /** Enforcement decisions in force; undefined when enforcement is off. */
  enforcement: { servingDecision(account: string): Decision | undefined } | undefined;
}

interface Outcome {
  status: number;
  harvest: Harvest;
  aborted: boolean;
  errorCode: string | null;
}

const EMPTY: Harvest = { text: '', finishReason: null, usage: undefined };

/** Forwards one inference request and meters it; every path out of here leaves a ledger record. */
export function inferenceHandler(kind: EndpointKind, upstreamPath: string, deps: ProxyDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const principal = request.principal as Principal;
    const arrivedAt = deps.arrival(request);
    // Read now: once a client has gone, its socket no longer knows the address.
    const clientIp = request.ip;
    const started = performance.now();
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new GatewayError('invalid_request', 'The request body must be a JSON object.');
    }
    const requestBody = body as RequestBody;
    const upstream = deps.router.route(requestBody.model, principal.tier);
    if (deps.standIns.has(upstream.name)) reply.header('x-moat-stand-in', 'true');
    const decision = deps.enforcement?.servingDecision(principal.account);
    const treatment = decision && screen(decision, principal, kind, requestBody);
    const sentBody = treatment?.body ?? requestBody;
    // Headers go on the reply now: a streamed answer is written with the reply's headers as they are then.
    const admission = await deps.limits?.admit(request.id, principal, kind, sentBody);
    if (admission) reply.headers(admission.headers);
    if (admission?.refusal) throw admission.refusal;

    deps.inFlight.begin(arrivedAt);
    const abort = new AbortController();
    const onClientGone = () => {
      if (!reply.raw.writableFinished) abort.abort();
    };
    reply.raw.once('close', onClientGone);
    let outcome: Outcome = { status: 500, harvest: EMPTY, aborted: false, errorCode: 'internal_error' };
    try {
      const rawBody = treatment?.body ? Buffer.from(JSON.stringify(sentBody)) : (request.rawBody ?? Buffer.alloc(0));
      outcome = await forward(kind, upstreamPath, sentBody, rawBody, upstream, abort.signal, reply, treatment?.withholdReasoning === true);
    } catch (error) {
      outcome = failure(error, abort.signal);
      if (!outcome.aborted) throw toClientError(error);
    } finally {
      reply.raw.off('close', onClientGone);
      const record = ledgerRecord(request, clientIp, principal, kind, requestBody, arrivedAt, performance.now() - started, outcome);
      deps.record(record);
      admission?.settle(record.usage);
      deps.inFlight.end(arrivedAt);
    }
  };
}

async function forward(
  kind: EndpointKind,
  path: string,
  body: RequestBody,
  rawBody: Buffer,
  upstream: UpstreamClient,
  signal: AbortSignal,
  reply: FastifyReply,
  withholdReasoning: boolean,
): Promise<Outcome> {
  const streaming = body.stream === true;
  const askUsage = streaming && needsUsageOption(kind) && (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage !== true;
  const payload = askUsage
    ? JSON.stringify({ ...body, stream_options: { ...(body.stream_options as object | undefined), include_usage: true } })
    : rawBody;
  const response = await upstream.post(path, payload, signal);
  if (response.status >= 400) return relayUpstreamError(response, upstream.name, reply);
  if (streaming && response.contentType?.includes('text/event-stream')) {
    return relayStream(response, new StreamHarvester(kind, askUsage), signal, reply, withholdReasoning ? stripReasoningEvents : undefined);
  }
  const collected = Buffer.concat(await collect(response));
  const bytes = withholdReasoning ? stripReasoningJson(collected) : collected;
  reply.code(response.status).header('content-type', response.contentType ?? 'application/json').send(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  return { status: response.status, harvest: harvestJson(kind, parsed), aborted: false, errorCode: null };
}

async function collect(response: UpstreamResponse): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(chunk as Buffer);
  return chunks;
}

/** The upstream's own 4xx reaches the client as it is; its 5xx becomes Moat's 502. */
async function relayUpstreamError(response: UpstreamResponse, upstreamName: string, reply: FastifyReply): Promise<Outcome> {
  const bytes = Buffer.concat(await collect(response));
  if (response.status < 500) {
    reply.code(response.status).header('content-type', response.contentType ?? 'application/json').send(bytes);
    return { status: response.status, harvest: EMPTY, aborted: false, errorCode: 'upstream_rejected' };
  }
  throw new GatewayError('upstream_error', `The upstream model server (${upstreamName}) failed with status ${response.status}.`);
}

async function relayStream(
  response: UpstreamResponse,
  harvester: StreamHarvester,
  signal: AbortSignal,
  reply: FastifyReply,
  rewrite: ((events: string) => string) | undefined,
): Promise<Outcome> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(response.status, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': response.contentType ?? 'text/event-stream',
    'cache-control': 'no-cache',
  });
  try {
    for await (const chunk of response.body) {
      const pushed = harvester.push(chunk as Buffer);
      const events = rewrite && pushed !== '' ? rewrite(pushed) : pushed;
      if (events !== '' && !raw.write(events)) await once(raw, 'drain', { signal });
    }
  } catch (error) {
    // Whatever ended the stream, the hijacked response must be closed here: fastify no longer
    // tracks it, and a response left open keeps its connection (and a graceful shutdown) waiting.
    // On upstream failure the headers are gone already: the stream ending early is the only signal left.
    raw.destroy();
    if (signal.aborted) return { status: response.status, harvest: harvester.harvest(), aborted: true, errorCode: 'client_closed' };
    return { status: 502, harvest: harvester.harvest(), aborted: false, errorCode: error instanceof Error ? 'upstream_stream_failed' : 'upstream_error' };
  }
  const { forward, harvest } = harvester.end();
  raw.end(rewrite && forward !== '' ? rewrite(forward) : forward);
  return { status: response.status, harvest, aborted: false, errorCode: null };
}

function failure(error: unknown, signal: AbortSignal): Outcome {
  if (signal.aborted) return { status: 499, harvest: EMPTY, aborted: true, errorCode: 'client_closed' };
  const client = toClientError(error);
  return client instanceof GatewayError
    ? { status: client.status, harvest: EMPTY, aborted: false, errorCode: client.code }
    : { status: 500, harvest: EMPTY, aborted: false, errorCode: 'internal_error' };
}

function toClientError(error: unknown): unknown {
  if (error instanceof UpstreamCallError) {
    return error.failure === 'timeout'
      ? new GatewayError('upstream_timeout', `The upstream model server (${error.upstream}) did not answer in time.`)
      : new GatewayError('upstream_error', `The upstream model server (${error.upstream}) could not be reached.`);
  }
  return error;
}

function ledgerRecord(
  request: FastifyRequest,
  clientIp: string,
  principal: Principal,
  kind: EndpointKind,
  body: RequestBody,
  arrivedAt: number,
  latencyMs: number,
  outcome: Outcome,
): LedgerRecord {
  const { harvest } = outcome;
  const served = outcome.status < 400 || outcome.aborted;
  // Without an upstream report, count what was actually sent and served (aborted streams,
  // servers that give no usage), so a request is never metered as free.
  const usage = harvest.usage ?? (served ? { prompt_tokens: countTokens(promptText(body)), completion_tokens: kind === 'embeddings' ? 0 : countTokens(harvest.text) } : { prompt_tokens: 0, completion_tokens: 0 });
  return {
    id: request.id,
    ts: new Date(arrivedAt).toISOString(),
    account: principal.account,
    key: principal.keyId,
    ip: clientIp,
    user_agent: request.headers['user-agent'] ?? '',
    endpoint: request.routeOptions.url ?? request.url,
    request: body,
    response: { text: harvest.text, finish_reason: harvest.finishReason },
    usage,
    status: outcome.status,
    latency_ms: Math.round(latencyMs),
    model: typeof body.model === 'string' ? body.model : null,
    stream: body.stream === true,
    aborted: outcome.aborted,
    usage_source: harvest.usage ? 'upstream' : served ? 'tokenizer' : 'none',
    error_code: outcome.errorCode,
  };
}
