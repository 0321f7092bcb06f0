import type { LimitSet } from '../limits/limits-schema.js';
import type { LimitOverrideRepository } from '../store/store.js';
import type { Decision } from './decision.js';

/**
 * Throttling is a limit override on the account (the limits module's own mechanism: every
 * replica's override cache follows the store's change feed), lowered to the policy's throttle and put back as
 * it was when the throttle lifts. Written to the store directly so the CLI can lift it too.
 */
export class Throttle {
  constructor(
    private readonly overrides: LimitOverrideRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** Lowers the account's limits; returns its override as it was, to restore later. */
  async apply(account: string, throttle: LimitSet): Promise<Record<string, number | null>> {
    const before = { ...(await this.overrides.get('account', account, ''))?.limits };
    const limits: Record<string, number | null> = { ...before };
    for (const [name, value] of Object.entries(throttle)) {
      const own = before[name];
      // An operator's lower override stays; null (unlimited) is never lower.
      limits[name] = typeof own === 'number' ? Math.min(own, value) : value;
    }
    await this.overrides.put({ scope: 'account', subject: account, model: '', limits, updatedAt: this.now() });
    return before;
  }

  async lift(account: string, before: Record<string, number | null> | null): Promise<void> {
    await this.overrides.put({ scope: 'account', subject: account, model: '', limits: before ?? {}, updatedAt: this.now() });
  }
}

const throttled = (decision: Decision | undefined): boolean => decision !== undefined && decision.enforced && decision.actions.includes('throttle');

/** Applies or lifts the throttle as the decision changes, and notes what to restore in the decision. */
export async function moveThrottle(throttle: Throttle, limits: LimitSet, previous: Decision | undefined, next: Decision): Promise<Decision> {
  const had = throttled(previous);
  const has = throttled(next);
  if (has && !had) return { ...next, limitsBefore: await throttle.apply(next.account, limits) };
  if (had && !has) {
    await throttle.lift(next.account, previous!.limitsBefore);
    return { ...next, limitsBefore: null };
  }
  return { ...next, limitsBefore: previous?.limitsBefore ?? null };
}
