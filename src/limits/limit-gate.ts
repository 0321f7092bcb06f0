import type { Logger } from 'pino';
import { GatewayError } from '../errors/catalogue.js';
import type { EndpointKind } from '../metering/endpoint.js';
import type { RequestFields } from '../traffic/request-fields.js';
import type { Usage } from '../traffic/types.js';
import type { Decision, RateLimiter } from './limiter.js';
import type { Caller, LimitPolicy, PlannedCheck } from './limit-policy.js';
import { rateLimitHeaders, refusalMessage } from './rate-limit-headers.js';
import { reserveTokens } from './reservation.js';

/** What the proxy does with a request: send `headers` with the answer, then either refuse or forward and settle. */
export interface Admission {
  headers: Record<string, string>;
  refusal: GatewayError | undefined;
  /** Called once when the answer has ended (streams and aborts too), with what was really used. */
  settle(usage: Usage): void;
}

export type FailureMode = 'open' | 'closed';

/** Backend trouble, counted for the admin API and logged once per outage, not per request. */
export interface LimiterHealth {
  healthy: boolean;
  errors: number;
  admittedUnchecked: number;
  refusedUnchecked: number;
  lastError: string | null;
}

const NOTHING: Admission = { headers: {}, refusal: undefined, settle: () => undefined };

/** The rate-limit step around one upstream call: one backend call before, one after. */
export class LimitGate {
  readonly health: LimiterHealth = { healthy: true, errors: 0, admittedUnchecked: 0, refusedUnchecked: 0, lastError: null };

  constructor(
    private readonly policy: LimitPolicy,
    private readonly limiter: RateLimiter,
    private readonly onFailure: FailureMode,
    private readonly logger: Logger,
  ) {}

  /** `promptTokens` is called only when a token limit applies: counting is the costly part. */
  async admit(id: string, caller: Caller, kind: EndpointKind, fields: RequestFields, promptTokens: () => number): Promise<Admission> {
    const defaultMaxTokens = this.policy.tier(caller.tier)?.defaultMaxTokens ?? 0;
    const checks = this.policy.plan(caller, fields.model ?? '', () => reserveTokens(kind, fields, promptTokens(), defaultMaxTokens), Date.now());
    if (checks.length === 0) return NOTHING;
    let decision: Decision;
    try {
      decision = await this.limiter.admit(checks, id);
      this.succeeded();
    } catch (error) {
      return this.unchecked(error);
    }
    const headers = rateLimitHeaders(checks, decision.states);
    if (!decision.admitted) return { headers: { ...headers, ...retryHeaders(decision.retryAfterMs) }, refusal: refusal(checks, decision), settle: NOTHING.settle };
    return { headers, refusal: undefined, settle: (usage) => this.settle(checks, id, decision.at, usage) };
  }

  private settle(checks: readonly PlannedCheck[], id: string, at: number, usage: Usage): void {
    const used = usage.prompt_tokens + usage.completion_tokens;
    const deltas = checks.map((check) => (check.unit === 'tokens' ? used - check.amount : 0));
    this.limiter.settle(checks, id, at, deltas).then(
      () => this.succeeded(),
      // The reservation stays charged (the safe side) and a concurrency slot waits for its lease.
      (error: unknown) => this.failed(error, 'settle'),
    );
  }

  private unchecked(error: unknown): Admission {
    this.failed(error, 'admit');
    if (this.onFailure === 'open') {
      this.health.admittedUnchecked++;
      return NOTHING;
    }
    this.health.refusedUnchecked++;
    return { headers: { 'retry-after': '1' }, refusal: new GatewayError('rate_limiter_unavailable', 'Rate limits cannot be checked right now; please try again shortly.'), settle: NOTHING.settle };
  }

  private failed(error: unknown, during: string): void {
    this.health.errors++;
    this.health.lastError = error instanceof Error ? error.message : String(error);
    if (!this.health.healthy) return;
    this.health.healthy = false;
    this.logger.error({ err: error, during, onFailure: this.onFailure }, `rate limit backend failed: requests are ${this.onFailure === 'open' ? 'admitted unchecked' : 'refused'} until it is back`);
  }

  private succeeded(): void {
    if (this.health.healthy) return;
    this.health.healthy = true;
    this.logger.warn({ errors: this.health.errors }, 'rate limit backend is back: limits apply again');
  }
}

function retryHeaders(retryAfterMs: number): Record<string, string> {
  if (retryAfterMs < 0) return {};
  return { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))), 'retry-after-ms': String(retryAfterMs) };
}

function refusal(checks: readonly PlannedCheck[], decision: Decision): GatewayError {
  const check = checks[decision.failed]!;
  const message = refusalMessage(check, decision.states[decision.failed]!.used, decision.retryAfterMs);
  if (check.name === 'monthlyTokens') return new GatewayError('insufficient_quota', `You exceeded your monthly token budget. ${message}`);
  return new GatewayError('rate_limit_exceeded', message, null, check.unit === 'tokens' ? 'tokens' : 'requests');
}
