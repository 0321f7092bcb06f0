import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/key-registry.js';
import type { LedgerRecord } from '../ledger/record.js';
import type { EndpointKind } from '../metering/endpoint.js';
import type { Harvest } from '../metering/harvest.js';
import type { TokenCounter } from '../metering/tokenizer.js';
import type { RequestFields } from '../traffic/request-fields.js';
import type { RequestBody } from '../traffic/types.js';

/** How a request ended, as the ledger records it. */
export interface Outcome {
  status: number;
  harvest: Harvest;
  aborted: boolean;
  /** Some of the answer reached the client (a stream's headers and events), whatever the status says. */
  delivered: boolean;
  errorCode: string | null;
}

export const EMPTY_HARVEST: Harvest = { text: '', finishReason: null, usage: undefined };

export interface RequestFacts {
  request: FastifyRequest;
  clientIp: string;
  principal: Principal;
  kind: EndpointKind;
  /** The body as stored: the client's, or only its model when Moat could not read it. */
  body: RequestBody;
  /** `body` as the client sent it, when it is the client's: the ledger line splices it in as it is. */
  bodyText: string | undefined;
  fields: RequestFields;
  arrivedAt: number;
  /** The prompt's tokens, counted at most once per request (reservation and ledger share it). */
  promptTokens: () => number;
  /** The prompt's tokens as a limit reserves them before the call: estimated, never tokenized. */
  reservedPromptTokens: () => number;
}

export function ledgerRecord(facts: RequestFacts, latencyMs: number, outcome: Outcome, count: TokenCounter): LedgerRecord {
  const { request, fields, principal } = facts;
  const { harvest } = outcome;
  const served = outcome.status < 400 || outcome.aborted || outcome.delivered;
  // Without an upstream report, count what was actually sent and delivered (aborted and broken
  // streams, servers that give no usage), so no answer a client received is metered as free.
  const usage =
    harvest.usage ??
    (served ? { prompt_tokens: facts.promptTokens(), completion_tokens: facts.kind === 'embeddings' ? 0 : count(harvest.text + (harvest.toolCalls ?? '')) } : { prompt_tokens: 0, completion_tokens: 0 });
  return {
    id: request.id,
    ts: new Date(facts.arrivedAt).toISOString(),
    account: principal.account,
    key: principal.keyId,
    ip: facts.clientIp,
    user_agent: request.headers['user-agent'] ?? '',
    endpoint: request.routeOptions.url ?? request.url,
    request: facts.body,
    response: { text: harvest.text, finish_reason: harvest.finishReason },
    usage,
    status: outcome.status,
    latency_ms: Math.round(latencyMs),
    model: fields.model ?? null,
    stream: fields.stream,
    aborted: outcome.aborted,
    usage_source: harvest.usage ? 'upstream' : served ? 'tokenizer' : 'none',
    error_code: outcome.errorCode,
  };
}

/** The last resort when building the full record failed: the request is still in the ledger, with what is certain. */
export function bareRecord(facts: RequestFacts, outcome: Outcome): LedgerRecord {
  return {
    id: facts.request.id,
    ts: new Date(facts.arrivedAt).toISOString(),
    account: facts.principal.account,
    key: facts.principal.keyId,
    ip: facts.clientIp,
    user_agent: '',
    endpoint: facts.request.url,
    request: {},
    response: { text: '', finish_reason: null },
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: outcome.status,
    latency_ms: 0,
    model: null,
    stream: false,
    aborted: outcome.aborted,
    usage_source: 'none',
    error_code: outcome.errorCode ?? 'internal_error',
  };
}
