import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Principal } from '../auth/key-registry.js';
import type { Decision } from '../enforce/decision.js';
import { stripReasoningEvents, stripReasoningJson } from '../enforce/reasoning-filter.js';
import { screen } from '../enforce/screen.js';
import { GatewayError } from '../errors/catalogue.js';
import type { LedgerRecord } from '../ledger/record.js';
import type { Admission, LimitGate } from '../limits/limit-gate.js';
import { needsUsageOption, type EndpointKind } from '../metering/endpoint.js';
import { harvestJson } from '../metering/harvest.js';
import { StreamHarvester } from '../metering/stream-harvester.js';
import type { TokenCounter } from '../metering/tokenizer.js';
import type { AnswerMark, Marking } from '../provenance/marking.js';
import { markAnswerJson, SseMarker } from '../provenance/response-mark.js';
import { parseRequestFields, promptTextOf, type ParsedRequest, type RequestFields } from '../traffic/request-fields.js';
import type { RequestBody } from '../traffic/types.js';
import { UpstreamCallError, type UpstreamClient, type UpstreamResponse } from '../upstream/upstream-client.js';
import type { UpstreamRouter } from '../upstream/router.js';
import type { InFlight } from './in-flight.js';
import { bareRecord, EMPTY_HARVEST, ledgerRecord, type Outcome, type RequestFacts } from './request-record.js';

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
  countTokens: TokenCounter;
  logger: Logger;
  /** The provenance mark for accounts under `mark`; undefined without provenance keys. */
  marking?: Marking | undefined;
}

const REFUSED: Outcome = { status: 500, harvest: EMPTY_HARVEST, aborted: false, delivered: false, errorCode: 'internal_error' };

/** The body once, checked; one Moat cannot read is refused, and stored as no more than its model. */
function readBody(request: FastifyRequest): { parsed: ParsedRequest; stored: RequestBody } {
  const parsed: ParsedRequest = request.bodyError
    ? { fields: parseRequestFields({}).fields, problem: { param: '', message: request.bodyError.message } }
    : parseRequestFields(request.body);
  if (!parsed.problem) return { parsed, stored: request.body as RequestBody };
  return { parsed, stored: parsed.fields.model === undefined ? {} : { model: parsed.fields.model } };
}

/** Forwards one inference request and meters it; every path out of here leaves a ledger record. */
export function inferenceHandler(kind: EndpointKind, upstreamPath: string, deps: ProxyDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const started = performance.now();
    const { parsed, stored } = readBody(request);
    let promptTokens: number | undefined;
    const facts: RequestFacts = {
      request,
      // Read now: once a client has gone, its socket no longer knows the address.
      clientIp: request.ip,
      principal: request.principal as Principal,
      kind,
      body: stored,
      fields: parsed.fields,
      arrivedAt: deps.arrival(request),
      promptTokens: () => (promptTokens ??= deps.countTokens(promptTextOf(parsed.fields))),
    };
    deps.inFlight.begin(facts.arrivedAt);
    const abort = new AbortController();
    const onClientGone = () => {
      if (!reply.raw.writableFinished) abort.abort();
    };
    reply.raw.once('close', onClientGone);
    let outcome = REFUSED;
    let admission: Admission | undefined;
    let sealed = false;
    const seal = (final: Outcome) => {
      if (sealed) return;
      sealed = true;
      finish(facts, final, performance.now() - started, admission, deps);
    };
    try {
      if (request.authRefusal) throw request.authRefusal;
      if (request.bodyError) throw request.bodyError;
      if (parsed.problem) throw new GatewayError('invalid_request', parsed.problem.message, parsed.problem.param || null);
      const sending = await admit(facts, reply, deps, (granted) => (admission = granted));
      outcome = await forward({ kind, path: upstreamPath, fields: facts.fields, sending, signal: abort.signal, reply, seal });
    } catch (error) {
      outcome = failure(error, abort.signal);
      if (!outcome.aborted) throw toClientError(error);
    } finally {
      reply.raw.off('close', onClientGone);
      // Refusals and failures: recorded here, before fastify sends the error.
      seal(outcome);
    }
  };
}

interface Sending {
  upstream: UpstreamClient;
  body: RequestBody;
  rawBody: Buffer;
  withholdReasoning: boolean;
  /** Set when the answer is to carry the provenance mark. */
  mark: AnswerMark | undefined;
}

/** Routing, enforcement and limits: what is sent where, or the refusal (thrown). */
async function admit(facts: RequestFacts, reply: FastifyReply, deps: ProxyDeps, granted: (admission: Admission) => void): Promise<Sending> {
  const { principal, fields, kind } = facts;
  const body = facts.body;
  const upstream = deps.router.route(fields.model, principal.tier);
  if (deps.standIns.has(upstream.name)) reply.header('x-moat-stand-in', 'true');
  const decision = deps.enforcement?.servingDecision(principal.account);
  const treatment = decision && screen(decision, principal, kind, fields, body);
  const sentBody = treatment?.body ?? body;
  const admission = await deps.limits?.admit(facts.request.id, principal, kind, fields, facts.promptTokens);
  // Headers go on the reply now: a streamed answer is written with the reply's headers as they are then.
  if (admission) reply.headers(admission.headers);
  if (admission?.refusal) throw admission.refusal;
  if (admission) granted(admission);
  const rawBody = treatment?.body ? Buffer.from(JSON.stringify(sentBody)) : (facts.request.rawBody ?? Buffer.alloc(0));
  const question = fields.turns.findLast((turn) => turn.role === 'user')?.text ?? '';
  const mark = treatment?.mark && kind !== 'embeddings' ? deps.marking?.answerMark(principal.account, decision?.campaign ?? null, facts.arrivedAt, question) : undefined;
  return { upstream, body: sentBody, rawBody, withholdReasoning: treatment?.withholdReasoning === true, mark };
}

/**
 * Recording, settlement and in-flight accounting each run whatever the others do: one that
 * throws must not skip the rest (a skipped in-flight end stalls detection and shutdown).
 */
function finish(facts: RequestFacts, outcome: Outcome, latencyMs: number, admission: Admission | undefined, deps: ProxyDeps): void {
  let record: LedgerRecord;
  try {
    record = ledgerRecord(facts, latencyMs, outcome, deps.countTokens);
  } catch (error) {
    deps.logger.error({ err: error, requestId: facts.request.id }, 'ledger record could not be built; recording the bare request');
    record = bareRecord(facts, outcome);
  }
  guard(deps, facts, 'record', () => deps.record(record));
  if (admission) guard(deps, facts, 'settle', () => admission.settle(record.usage));
  guard(deps, facts, 'in-flight end', () => deps.inFlight.end(facts.arrivedAt));
}

function guard(deps: ProxyDeps, facts: RequestFacts, step: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    deps.logger.error({ err: error, requestId: facts.request.id, step }, 'request finish step failed');
  }
}

/** One call to the upstream and its relay to the client. */
interface Exchange {
  kind: EndpointKind;
  path: string;
  fields: RequestFields;
  sending: Sending;
  signal: AbortSignal;
  reply: FastifyReply;
  /**
   * Records the request; called just before the answer's last bytes go out, so a client that
   * has its whole answer knows the record is journaled (a kill -9 then cannot lose it).
   */
  seal: (outcome: Outcome) => void;
}

async function forward(x: Exchange): Promise<Outcome> {
  const { kind, fields, sending, reply } = x;
  const streaming = fields.stream;
  const askUsage = streaming && needsUsageOption(kind) && !fields.includeUsage;
  const body = sending.body;
  const payload = askUsage
    ? JSON.stringify({ ...body, stream_options: { ...(body.stream_options as object | null | undefined), include_usage: true } })
    : sending.rawBody;
  const response = await sending.upstream.post(x.path, payload, x.signal, streaming);
  if (response.status >= 400) return relayUpstreamError(response, x);
  if (streaming && response.contentType?.includes('text/event-stream')) {
    return relayStream(response, new StreamHarvester(kind, askUsage), x, eventRewrite(sending));
  }
  const collected = await sending.upstream.readAll(response);
  const stripped = sending.withholdReasoning ? stripReasoningJson(collected) : collected;
  const bytes = sending.mark ? markAnswerJson(stripped, sending.mark.options, sending.mark.appendix) : stripped;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const outcome: Outcome = { status: response.status, harvest: harvestJson(kind, parsed), aborted: false, delivered: true, errorCode: null };
  x.seal(outcome);
  reply.code(response.status).header('content-type', response.contentType ?? 'application/json').send(bytes);
  return outcome;
}

/** What a streamed answer's events go through: reasoning withheld, then the mark, as the account's decision says. */
function eventRewrite(sending: Sending): ((events: string) => string) | undefined {
  const marker = sending.mark && new SseMarker(sending.mark.options, sending.mark.appendix);
  if (!marker) return sending.withholdReasoning ? stripReasoningEvents : undefined;
  return sending.withholdReasoning ? (events) => marker.rewrite(stripReasoningEvents(events)) : (events) => marker.rewrite(events);
}

/** The upstream's own 4xx reaches the client as it is; its 5xx becomes Moat's 502. */
async function relayUpstreamError(response: UpstreamResponse, x: Exchange): Promise<Outcome> {
  const upstream = x.sending.upstream;
  const bytes = await upstream.readAll(response);
  if (response.status >= 500) throw new GatewayError('upstream_error', `The upstream model server (${upstream.name}) failed with status ${response.status}.`);
  const outcome: Outcome = { status: response.status, harvest: EMPTY_HARVEST, aborted: false, delivered: false, errorCode: 'upstream_rejected' };
  x.seal(outcome);
  x.reply.code(response.status).header('content-type', response.contentType ?? 'application/json').send(bytes);
  return outcome;
}

async function relayStream(response: UpstreamResponse, harvester: StreamHarvester, x: Exchange, rewrite: ((events: string) => string) | undefined): Promise<Outcome> {
  const { reply, signal } = x;
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
    // What reached the client is metered (tokenizer over the delivered text), never free.
    if (signal.aborted) return { status: response.status, harvest: harvester.harvest(), aborted: true, delivered: true, errorCode: 'client_closed' };
    return { status: 502, harvest: harvester.harvest(), aborted: false, delivered: true, errorCode: error instanceof Error ? 'upstream_stream_failed' : 'upstream_error' };
  }
  const { forward: rest, harvest } = harvester.end();
  const outcome: Outcome = { status: response.status, harvest, aborted: false, delivered: true, errorCode: null };
  x.seal(outcome);
  raw.end(rewrite && rest !== '' ? rewrite(rest) : rest);
  return outcome;
}

function failure(error: unknown, signal: AbortSignal): Outcome {
  if (signal.aborted) return { status: 499, harvest: EMPTY_HARVEST, aborted: true, delivered: false, errorCode: 'client_closed' };
  const client = toClientError(error);
  return client instanceof GatewayError ? { ...REFUSED, status: client.status, errorCode: client.code } : REFUSED;
}

function toClientError(error: unknown): unknown {
  if (error instanceof UpstreamCallError) {
    return error.failure === 'timeout'
      ? new GatewayError('upstream_timeout', `The upstream model server (${error.upstream}) did not answer in time.`)
      : new GatewayError('upstream_error', `The upstream model server (${error.upstream}) could not be reached.`);
  }
  return error;
}
