import type { ServerResponse } from 'node:http';
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
import { withIncludeUsage } from '../metering/include-usage.js';
import { SseScanner } from '../metering/sse-scanner.js';
import { StreamHarvester } from '../metering/stream-harvester.js';
import type { TokenCounter } from '../metering/tokenizer.js';
import type { AnswerMark, Marking } from '../provenance/marking.js';
import { markAnswerJson, SseMarker } from '../provenance/response-mark.js';
import { parseRequestFields, promptTextOf, type ParsedRequest } from '../traffic/request-fields.js';
import type { RequestBody } from '../traffic/types.js';
import { CallAbort, UpstreamCallError, type UpstreamClient, type UpstreamResponse } from '../upstream/upstream-client.js';
import type { UpstreamRouter } from '../upstream/router.js';
import type { InFlight } from './in-flight.js';
import { compose, stepChannel, type NamedStep, type StepTiming } from './pipeline.js';
import { bareRecord, EMPTY_HARVEST, ledgerRecord, type Outcome, type RequestFacts } from './request-record.js';

export interface ProxyDeps {
  router: UpstreamRouter;
  /**
   * Receives every finished request's record (the event sink, metrics, detection); when the
   * sink journals in batches, returns what resolves once the record is on local disk.
   */
  record: (record: LedgerRecord, bodyText: string | undefined) => Promise<void> | undefined;
  /** When the request arrived, in ms: the wall clock, or a replayed timestamp in replay mode. */
  arrival: (request: FastifyRequest) => number;
  /** Upstreams that are Moat's own stand-in, flagged to clients in a response header. */
  standIns: ReadonlySet<string>;
  inFlight: InFlight;
  /** Quotas and rate limits; without them the admit step is not in the pipeline. */
  limits: LimitGate | undefined;
  /** Enforcement decisions in force; without them the screen step is not in the pipeline. */
  enforcement: { servingDecision(account: string): Decision | undefined } | undefined;
  countTokens: TokenCounter;
  logger: Logger;
  /** The provenance mark for accounts under `mark`; undefined without provenance keys. */
  marking?: Marking | undefined;
}

/**
 * Rewrites an answer on its way to the client (reasoning withholding today; a watermark of a
 * marked account's text would be another): a stream's complete events as text, or a whole
 * JSON answer's bytes. Only requests that have one pay for decoding their stream.
 */
export interface AnswerTransform {
  events(events: string): string;
  json(bytes: Buffer): Buffer;
}

const WITHHOLD_REASONING: AnswerTransform = { events: stripReasoningEvents, json: stripReasoningJson };

/** Reasoning withheld, then the provenance mark, as the account's decision says; a marker holds one stream's state. */
function answerTransform(withholdReasoning: boolean, mark: AnswerMark | undefined): AnswerTransform | undefined {
  if (!mark) return withholdReasoning ? WITHHOLD_REASONING : undefined;
  const marker = new SseMarker(mark.options, mark.appendix);
  return {
    events: (events) => marker.rewrite(withholdReasoning ? stripReasoningEvents(events) : events),
    json: (bytes) => markAnswerJson(withholdReasoning ? stripReasoningJson(bytes) : bytes, mark.options, mark.appendix),
  };
}

/** One inference request as it goes through the steps. */
export interface RequestContext {
  requestId: string;
  request: FastifyRequest;
  reply: FastifyReply;
  kind: EndpointKind;
  upstreamPath: string;
  facts: RequestFacts;
  parsed: ParsedRequest;
  /** Aborted when the client goes away. */
  signal: CallAbort;
  /** Set by the route step. */
  upstream: UpstreamClient | undefined;
  /** What goes upstream: the client's bytes unless a step changed the body. */
  body: RequestBody;
  rawBody: Buffer | undefined;
  transform: AnswerTransform | undefined;
  admission: Admission | undefined;
  outcome: Outcome;
  /**
   * Records the request; forward calls it just before the answer's last bytes go out (see
   * finish) and awaits what it returns: those bytes wait until the record is on local disk.
   */
  seal(outcome: Outcome): Promise<void> | undefined;
}

const REFUSED: Outcome = { status: 500, harvest: EMPTY_HARVEST, aborted: false, delivered: false, errorCode: 'internal_error' };

/** The body once, checked; one Moat cannot read is stored as no more than its model. */
function readBody(request: FastifyRequest): { parsed: ParsedRequest; stored: RequestBody; text: string | undefined } {
  const parsed: ParsedRequest = request.bodyError
    ? { fields: parseRequestFields({}).fields, problem: { param: '', message: request.bodyError.message } }
    : parseRequestFields(request.body);
  if (!parsed.problem) return { parsed, stored: request.body as RequestBody, text: request.bodyText };
  return { parsed, stored: parsed.fields.model === undefined ? {} : { model: parsed.fields.model }, text: undefined };
}

/** A known key refused (revoked, expired) was let through to here so its request is recorded; now it is refused. */
const authenticate: NamedStep<RequestContext> = {
  name: 'authenticate',
  async run(ctx, next) {
    if (ctx.request.authRefusal) throw ctx.request.authRefusal;
    await next();
  },
};

const parse: NamedStep<RequestContext> = {
  name: 'parse',
  async run(ctx, next) {
    if (ctx.request.bodyError) throw ctx.request.bodyError;
    const problem = ctx.parsed.problem;
    if (problem) throw new GatewayError('invalid_request', problem.message, problem.param || null);
    await next();
  },
};

function route(deps: ProxyDeps): NamedStep<RequestContext> {
  return {
    name: 'route',
    async run(ctx, next) {
      const upstream = deps.router.route(ctx.facts.fields.model, ctx.facts.principal.tier);
      if (deps.standIns.has(upstream.name)) ctx.reply.header('x-moat-stand-in', 'true');
      ctx.upstream = upstream;
      await next();
    },
  };
}

function screenStep(enforcement: NonNullable<ProxyDeps['enforcement']>, marking: Marking | undefined): NamedStep<RequestContext> {
  return {
    name: 'screen',
    async run(ctx, next) {
      const { principal, kind, fields, body } = ctx.facts;
      const decision = enforcement.servingDecision(principal.account);
      if (decision) {
        const treatment = screen(decision, principal, kind, fields, body);
        if (treatment.body) {
          ctx.body = treatment.body;
          ctx.rawBody = undefined;
        }
        const question = fields.turns.findLast((turn) => turn.role === 'user')?.text ?? '';
        const mark = treatment.mark && kind !== 'embeddings' ? marking?.answerMark(principal.account, decision.campaign ?? null, ctx.facts.arrivedAt, question) : undefined;
        ctx.transform = answerTransform(treatment.withholdReasoning === true, mark);
      }
      await next();
    },
  };
}

function admit(limits: LimitGate): NamedStep<RequestContext> {
  return {
    name: 'admit',
    async run(ctx, next) {
      const { facts } = ctx;
      const admission = await limits.admit(ctx.requestId, facts.principal, facts.kind, facts.fields, facts.reservedPromptTokens);
      // Headers go on the reply now: a streamed answer is written with the reply's headers as they are then.
      ctx.reply.headers(admission.headers);
      if (admission.refusal) throw admission.refusal;
      ctx.admission = admission;
      await next();
    },
  };
}

const forward: NamedStep<RequestContext> = {
  name: 'forward',
  async run(ctx) {
    ctx.outcome = await exchange(ctx);
  },
};

/**
 * The request's steps, in order: the one place that says what a request goes through. A step
 * that config turns off is left out here, never skipped inside a step.
 */
export function requestSteps(deps: ProxyDeps): NamedStep<RequestContext>[] {
  return [
    authenticate,
    parse,
    route(deps),
    ...(deps.enforcement ? [screenStep(deps.enforcement, deps.marking)] : []),
    ...(deps.limits ? [admit(deps.limits)] : []),
    forward,
  ];
}

/** Forwards one inference request and meters it; every path out of here leaves a ledger record. */
export function inferenceHandler(kind: EndpointKind, upstreamPath: string, deps: ProxyDeps, steps = requestSteps(deps)) {
  const pipeline = compose(steps);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const started = performance.now();
    const { parsed, stored, text } = readBody(request);
    let promptTokens: number | undefined;
    const fields = parsed.fields;
    const facts: RequestFacts = {
      request,
      // Read now: once a client has gone, its socket no longer knows the address.
      clientIp: request.ip,
      principal: request.principal as Principal,
      kind,
      body: stored,
      bodyText: text,
      fields,
      arrivedAt: deps.arrival(request),
      promptTokens: () => (promptTokens ??= deps.countTokens(promptTextOf(fields))),
      // What OpenAI's own limiter holds before a call: about four characters a token. The
      // tokenizer runs only for the ledger, and only when the upstream reports no usage.
      reservedPromptTokens: () => Math.ceil(fields.promptChars / 4),
    };
    deps.inFlight.begin(facts.arrivedAt);
    const abort = new CallAbort();
    const onClientGone = () => {
      if (!reply.raw.writableFinished) abort.abort();
    };
    reply.raw.once('close', onClientGone);
    let sealed = false;
    const ctx: RequestContext = {
      requestId: request.id,
      request,
      reply,
      kind,
      upstreamPath,
      facts,
      parsed,
      signal: abort,
      upstream: undefined,
      body: stored,
      rawBody: request.rawBody,
      transform: undefined,
      admission: undefined,
      outcome: REFUSED,
      seal(final) {
        if (sealed) return undefined;
        sealed = true;
        return finish(ctx, final, performance.now() - started, deps);
      },
    };
    try {
      await pipeline(ctx);
    } catch (error) {
      ctx.outcome = failure(error, abort);
      if (!ctx.outcome.aborted) throw toClientError(error);
    } finally {
      reply.raw.off('close', onClientGone);
      // Refusals and failures: recorded here, before fastify sends the error.
      const journaled = ctx.seal(ctx.outcome);
      if (journaled) await journaled;
    }
  };
}

/**
 * The way out, after the last step: meter (the upstream's usage, else the tokenizer over what
 * was delivered), record, settle the limits, end in-flight accounting. Each runs whatever the
 * others do: one that throws must not skip the rest (a skipped in-flight end stalls detection
 * and shutdown).
 */
function finish(ctx: RequestContext, outcome: Outcome, latencyMs: number, deps: ProxyDeps): Promise<void> | undefined {
  const { facts } = ctx;
  let record: LedgerRecord | undefined;
  timed(ctx, 'meter', deps, () => (record = ledgerRecord(facts, latencyMs, outcome, deps.countTokens)));
  const final = record ?? bareRecord(facts, outcome);
  let journaled: Promise<void> | undefined;
  timed(ctx, 'record', deps, () => (journaled = deps.record(final, record && facts.bodyText)));
  const admission = ctx.admission;
  if (admission) timed(ctx, 'settle', deps, () => admission.settle(final.usage));
  timed(ctx, 'in-flight end', deps, () => deps.inFlight.end(facts.arrivedAt));
  return journaled;
}

function timed(ctx: RequestContext, step: string, deps: ProxyDeps, work: () => void): void {
  const started = stepChannel.hasSubscribers ? performance.now() : 0;
  try {
    work();
  } catch (error) {
    deps.logger.error({ err: error, requestId: ctx.requestId, step }, 'request finish step failed');
  }
  if (stepChannel.hasSubscribers) stepChannel.publish({ step, ms: performance.now() - started, requestId: ctx.requestId } satisfies StepTiming);
}

/** The bytes to send: the client's own, with `include_usage` spliced in when Moat needs the stream's usage. */
function payloadOf(ctx: RequestContext, askUsage: boolean): Buffer | string {
  const raw = ctx.rawBody;
  if (raw && !askUsage) return raw;
  if (raw && ctx.body.stream_options === undefined) return withIncludeUsage(raw);
  const body = askUsage ? { ...ctx.body, stream_options: { ...(ctx.body.stream_options as object | null | undefined), include_usage: true } } : ctx.body;
  return JSON.stringify(body);
}

/** One call to the upstream and its relay to the client. */
async function exchange(ctx: RequestContext): Promise<Outcome> {
  const { kind, reply } = ctx;
  const fields = ctx.facts.fields;
  const upstream = ctx.upstream!;
  const streaming = fields.stream;
  const askUsage = streaming && needsUsageOption(kind) && !fields.includeUsage;
  const response = await upstream.post(ctx.upstreamPath, payloadOf(ctx, askUsage), ctx.signal, streaming);
  if (response.status >= 400) return relayUpstreamError(response, ctx);
  if (streaming && response.contentType?.includes('text/event-stream')) return relayStream(response, streamMeter(ctx, askUsage), ctx);
  const collected = await upstream.readAll(response);
  const bytes = ctx.transform ? ctx.transform.json(collected) : collected;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const outcome: Outcome = { status: response.status, harvest: harvestJson(kind, parsed), aborted: false, delivered: true, errorCode: null };
  const journaled = ctx.seal(outcome);
  if (journaled) await journaled;
  reply.code(response.status).header('content-type', response.contentType ?? 'application/json').send(bytes);
  return outcome;
}

/** Reads a stream as it passes and says what the client gets of each chunk. */
interface StreamMeter {
  push(chunk: Buffer): Buffer | string;
  end(): { forward: Buffer | string; harvest: Outcome['harvest'] };
  harvest(): Outcome['harvest'];
}

/**
 * The bytes pass through a scanner that picks out only the usage and the text; an answer with
 * a transform (and a request with n > 1, whose choices the scanner does not tell apart) is
 * decoded and parsed event by event instead. Here is where a transform of one account's
 * answer text plugs in.
 */
function streamMeter(ctx: RequestContext, askUsage: boolean): StreamMeter {
  const { kind, transform } = ctx;
  if (!transform && (kind === 'chat' || kind === 'completions') && ctx.facts.fields.choices === 1) return new SseScanner(kind, askUsage);
  const harvester = new StreamHarvester(kind, askUsage);
  if (!transform) return harvester;
  const rewrite = (events: string) => (events === '' ? '' : transform.events(events));
  return {
    push: (chunk) => rewrite(harvester.push(chunk)),
    end: () => {
      const { forward: rest, harvest } = harvester.end();
      return { forward: rewrite(rest), harvest };
    },
    harvest: () => harvester.harvest(),
  };
}

/** The upstream's own 4xx reaches the client as it is; its 5xx becomes Moat's 502. */
async function relayUpstreamError(response: UpstreamResponse, ctx: RequestContext): Promise<Outcome> {
  const upstream = ctx.upstream!;
  const bytes = await upstream.readAll(response);
  if (response.status >= 500) throw new GatewayError('upstream_error', `The upstream model server (${upstream.name}) failed with status ${response.status}.`);
  const outcome: Outcome = { status: response.status, harvest: EMPTY_HARVEST, aborted: false, delivered: false, errorCode: 'upstream_rejected' };
  const journaled = ctx.seal(outcome);
  if (journaled) await journaled;
  ctx.reply.code(response.status).header('content-type', response.contentType ?? 'application/json').send(bytes);
  return outcome;
}

async function relayStream(response: UpstreamResponse, meter: StreamMeter, ctx: RequestContext): Promise<Outcome> {
  const { reply, signal } = ctx;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(response.status, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': response.contentType ?? 'text/event-stream',
    'cache-control': 'no-cache',
  });
  // The events that close the stream go out with the response's end, in one write: they wait
  // for the record (see seal) as the last bytes do anyway.
  let closing: Buffer | string | undefined;
  try {
    for await (const chunk of response.body) {
      const events = meter.push(chunk as Buffer);
      if (closing !== undefined && !raw.write(closing)) await drained(raw, signal);
      closing = undefined;
      if (events.length === 0) continue;
      if (closesStream(events)) closing = events;
      else if (!raw.write(events)) await drained(raw, signal);
    }
  } catch (error) {
    // Whatever ended the stream, the hijacked response must be closed here: fastify no longer
    // tracks it, and a response left open keeps its connection (and a graceful shutdown) waiting.
    // On upstream failure the headers are gone already: the stream ending early is the only signal left.
    raw.destroy();
    // What reached the client is metered (tokenizer over the delivered text), never free.
    if (signal.aborted) return { status: response.status, harvest: meter.harvest(), aborted: true, delivered: true, errorCode: 'client_closed' };
    return { status: 502, harvest: meter.harvest(), aborted: false, delivered: true, errorCode: error instanceof Error ? 'upstream_stream_failed' : 'upstream_error' };
  }
  const { forward: rest, harvest } = meter.end();
  const outcome: Outcome = { status: response.status, harvest, aborted: false, delivered: true, errorCode: null };
  const journaled = ctx.seal(outcome);
  if (journaled) await journaled;
  if (closing !== undefined) raw.write(closing);
  raw.end(rest);
  return outcome;
}

const DONE_EVENT = 'data: [DONE]';

/** Whether these events end with the `[DONE]` event, after which an OpenAI stream sends nothing. */
function closesStream(events: Buffer | string): boolean {
  const tail = typeof events === 'string' ? events.slice(-(DONE_EVENT.length + 4)) : events.toString('latin1', Math.max(0, events.length - DONE_EVENT.length - 4));
  return tail.trimEnd().endsWith(DONE_EVENT);
}

/** The client has room for more, or has gone (then it throws, as the stream's other failures do). */
function drained(raw: ServerResponse, signal: CallAbort): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      signal.off('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      raw.off('drain', onDrain);
      reject(new Error('the client closed the stream'));
    };
    if (signal.aborted) return onAbort();
    raw.once('drain', onDrain);
    signal.once('abort', onAbort);
  });
}

function failure(error: unknown, signal: CallAbort): Outcome {
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
