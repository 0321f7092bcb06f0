import { NotFoundError } from '../errors/catalogue.js';
import type { LimitOverrideRecord, LimitScope, Store } from '../store/store.js';
import type { RateLimiter } from './limiter.js';
import type { Caller, LimitPolicy, PlannedCheck } from './limit-policy.js';
import { LIMIT_NAMES } from './limits-schema.js';
import type { LimitChange, OverrideCache } from './overrides.js';
import { formatDuration } from './rate-limit-headers.js';

export interface UsageRow {
  scope: LimitScope;
  subject: string;
  model: string;
  limit: PlannedCheck['name'];
  max: number;
  /** null when this process cannot see the counters (memory backend, asked from the CLI). */
  used: number | null;
  remaining: number | null;
  reset: string | null;
}

export interface AccountLimits {
  account: string;
  tier: string;
  overrides: LimitOverrideRecord[];
  usage: UsageRow[];
}

/** Limits seen and changed by people: the one code path behind the admin API and the CLI. */
export class LimitService {
  constructor(
    private readonly store: Store,
    private readonly policy: LimitPolicy,
    private readonly overrides: OverrideCache,
    /** Absent when the counters live in another process. */
    private readonly limiter: RateLimiter | undefined,
  ) {}

  async show(account: string): Promise<AccountLimits> {
    const record = await this.store.accounts.get(account);
    if (!record) throw new NotFoundError('account', account);
    const keys = (await this.store.keys.listByAccount(account)).filter((key) => key.revokedAt === null);
    const callers: Caller[] = keys.length > 0 ? keys.map((key) => ({ keyId: key.id, account, tier: record.tier })) : [{ keyId: '', account, tier: record.tier }];
    const seen = new Set<string>();
    const checks: PlannedCheck[] = [];
    const now = Date.now();
    for (const caller of callers) {
      for (const model of this.modelsOf(caller)) {
        for (const check of this.policy.plan(caller, model, () => 0, now)) {
          if (seen.has(check.key) || (check.scope === 'key' && caller.keyId === '')) continue;
          seen.add(check.key);
          checks.push(check);
        }
      }
    }
    const states = this.limiter ? await this.limiter.peek(checks) : undefined;
    const usage = checks.map((check, i): UsageRow => {
      const state = states?.[i];
      return {
        scope: check.scope,
        subject: check.subject,
        model: check.model,
        limit: check.name,
        max: check.limit,
        used: state ? state.used : null,
        remaining: state ? Math.max(0, check.limit - state.used) : null,
        reset: state ? formatDuration(state.resetMs) : null,
      };
    });
    const overrides = (await this.store.limitOverrides.list()).filter(
      (o) => (o.scope === 'account' && o.subject === account) || (o.scope === 'key' && keys.some((key) => key.id === o.subject)),
    );
    return { account, tier: record.tier, overrides: overrides.filter((o) => Object.keys(o.limits).length > 0), usage };
  }

  /** Merges `change` into the subject's override; `clear` drops what was there first. Live on every replica within the refresh interval. */
  async set(scope: LimitScope, subject: string, model: string, change: LimitChange, clear = false): Promise<LimitOverrideRecord> {
    if (scope === 'account' ? !(await this.store.accounts.get(subject)) : !(await this.store.keys.get(subject))) {
      throw new NotFoundError(scope, subject);
    }
    const existing = clear ? undefined : await this.store.limitOverrides.get(scope, subject, model);
    const limits: Record<string, number | null> = { ...existing?.limits };
    for (const name of LIMIT_NAMES) {
      const value = change[name];
      if (value !== undefined) limits[name] = value;
    }
    const record: LimitOverrideRecord = { scope, subject, model, limits, updatedAt: Date.now() };
    await this.store.limitOverrides.put(record);
    this.overrides.put(record);
    return record;
  }

  /** '' for the general counters, and every model pattern that has counters of its own. */
  private modelsOf(caller: Caller): string[] {
    const patterns = new Set(Object.keys(this.policy.tier(caller.tier)?.models ?? {}));
    for (const scope of ['account', 'key'] as const) {
      for (const model of this.overrides.forSubject(scope, scope === 'key' ? caller.keyId : caller.account).keys()) if (model !== '') patterns.add(model);
    }
    // A name no pattern but '*' matches stands for "every other model".
    return ['\u0000', ...patterns];
  }
}
