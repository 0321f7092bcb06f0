import type { CounterState } from './limiter.js';
import type { LimitUnit, PlannedCheck } from './limit-policy.js';

/** OpenAI's duration format, Go's time.Duration: `20ms`, `1s`, `6m0s`, `1h2m3.5s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = `${Number(((total % 60_000) / 1000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  return minutes > 0 ? `${minutes}m${seconds}` : seconds;
}

/** Of the limits on one unit, the one closest to refusing: it is the one a client must pace by. */
function tightest(checks: readonly PlannedCheck[], states: readonly CounterState[], unit: LimitUnit): { limit: number; remaining: number; resetMs: number } | undefined {
  let best: { limit: number; remaining: number; resetMs: number } | undefined;
  checks.forEach((check, i) => {
    if (check.unit !== unit) return;
    const state = states[i]!;
    const remaining = Math.max(0, check.limit - state.used);
    if (!best || remaining < best.remaining || (remaining === best.remaining && state.resetMs > best.resetMs)) {
      best = { limit: check.limit, remaining, resetMs: state.resetMs };
    }
  });
  return best;
}

/**
 * `x-ratelimit-*` as OpenAI sends them. `reset` is the time until the limit is back to its
 * initial state, i.e. until everything in the window has left it.
 */
export function rateLimitHeaders(checks: readonly PlannedCheck[], states: readonly CounterState[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const unit of ['requests', 'tokens'] as const) {
    const limit = tightest(checks, states, unit);
    if (!limit) continue;
    headers[`x-ratelimit-limit-${unit}`] = String(limit.limit);
    headers[`x-ratelimit-remaining-${unit}`] = String(limit.remaining);
    headers[`x-ratelimit-reset-${unit}`] = formatDuration(limit.resetMs);
  }
  return headers;
}

const DESCRIPTIONS: Record<PlannedCheck['name'], string> = {
  requestsPerMinute: 'requests per min (RPM)',
  requestsPerDay: 'requests per day (RPD)',
  tokensPerMinute: 'tokens per min (TPM)',
  tokensPerDay: 'tokens per day (TPD)',
  concurrent: 'concurrent requests',
  monthlyTokens: 'monthly token budget',
};

/** OpenAI's wording, so people and log parsers recognise it. */
export function refusalMessage(check: PlannedCheck, used: number, retryAfterMs: number): string {
  const model = check.model === '*' ? 'all models' : check.model;
  const scope = `${check.scope} ${check.subject}`;
  if (retryAfterMs < 0) {
    return `Request too large for ${model} in ${scope} on ${DESCRIPTIONS[check.name]}: Limit ${check.limit}, Requested ${check.amount}. The input or output tokens must be reduced in order to run successfully.`;
  }
  return `Rate limit reached for ${model} in ${scope} on ${DESCRIPTIONS[check.name]}: Limit ${check.limit}, Used ${used}, Requested ${check.amount}. Please try again in ${formatDuration(retryAfterMs)}.`;
}
