import type { LimitScope } from '../store/store.js';
import { matchesModel } from '../upstream/model-pattern.js';
import type { Check } from './limiter.js';
import type { LimitName, LimitSet, LimitsConfig, TierLimits } from './limits-schema.js';
import { applyChange, type OverrideCache } from './overrides.js';
import { DAY_MS, MINUTE_MS, monthOf } from './window.js';

export type LimitUnit = 'requests' | 'tokens' | 'concurrent';

/** A check with what the gateway needs to explain it: whose limit, which one, on what model. */
export interface PlannedCheck extends Check {
  scope: LimitScope;
  subject: string;
  /** '*' for the counters shared by all models, else the model pattern with its own. */
  model: string;
  name: LimitName;
  unit: LimitUnit;
}

export interface Caller {
  keyId: string;
  account: string;
  tier: string;
}

const RULES: Record<Exclude<LimitName, 'monthlyTokens'>, { kind: 'window' | 'concurrency'; unit: LimitUnit; spanMs: number; suffix: string }> = {
  requestsPerMinute: { kind: 'window', unit: 'requests', spanMs: MINUTE_MS, suffix: 'rpm' },
  requestsPerDay: { kind: 'window', unit: 'requests', spanMs: DAY_MS, suffix: 'rpd' },
  tokensPerMinute: { kind: 'window', unit: 'tokens', spanMs: MINUTE_MS, suffix: 'tpm' },
  tokensPerDay: { kind: 'window', unit: 'tokens', spanMs: DAY_MS, suffix: 'tpd' },
  concurrent: { kind: 'concurrency', unit: 'concurrent', spanMs: 0, suffix: 'conc' },
};

const SCOPES: readonly LimitScope[] = ['key', 'account'];

/** Which counters a request touches and with what limits: the tier's, then the subject's overrides. */
export class LimitPolicy {
  constructor(
    private readonly config: LimitsConfig,
    private readonly overrides: OverrideCache,
  ) {}

  tier(tier: string): TierLimits | undefined {
    return this.config.tiers[tier];
  }

  /** `tokens` is called only if a token limit applies: counting a prompt costs CPU. */
  plan(caller: Caller, model: string, tokens: () => number, now: number): PlannedCheck[] {
    const checks: PlannedCheck[] = [];
    let reservation: number | undefined;
    const amount = (unit: LimitUnit) => (unit === 'tokens' ? (reservation ??= tokens()) : 1);
    for (const scope of SCOPES) {
      const subject = scope === 'key' ? caller.keyId : caller.account;
      for (const { name, limit, bucket } of this.limitsFor(caller, scope, model)) {
        const key = `{${caller.account}}:${scope}:${subject}:${bucket}:`;
        if (name === 'monthlyTokens') {
          const month = monthOf(now);
          checks.push({ key: `${key}month:${month.label}`, kind: 'month', limit, amount: amount('tokens'), spanMs: month.endMs, scope, subject, model: bucket, name, unit: 'tokens' });
        } else {
          const rule = RULES[name];
          checks.push({ key: key + rule.suffix, kind: rule.kind, limit, amount: amount(rule.unit), spanMs: rule.spanMs, scope, subject, model: bucket, name, unit: rule.unit });
        }
      }
    }
    return checks;
  }

  /**
   * The limits of one subject on one model. A model with a rule of its own (in the tier or an
   * override) gets its own counters, starting from the general limits; the monthly budget is
   * always the general one, shared by all models, since it is what the customer pays for.
   */
  limitsFor(caller: Caller, scope: LimitScope, model: string): { name: LimitName; limit: number; bucket: string }[] {
    const tier = this.config.tiers[caller.tier];
    const own = this.overrides.forSubject(scope, scope === 'key' ? caller.keyId : caller.account);
    const general = applyChange(tier?.[scope] ?? {}, own.get(''));
    const pattern = pickPattern(model, [...Object.keys(tier?.models ?? {}), ...[...own.keys()].filter((p) => p !== '')]);
    const perModel: LimitSet = pattern ? applyChange(applyChange(general, tier?.models[pattern]?.[scope]), own.get(pattern)) : general;
    const bucket = pattern ?? '*';
    const limits: { name: LimitName; limit: number; bucket: string }[] = [];
    for (const [name, limit] of Object.entries(perModel) as [LimitName, number][]) {
      if (name !== 'monthlyTokens') limits.push({ name, limit, bucket });
    }
    if (general.monthlyTokens !== undefined) limits.push({ name: 'monthlyTokens', limit: general.monthlyTokens, bucket: '*' });
    return limits;
  }
}

/** An exact name wins over patterns, a longer prefix over a shorter one. */
function pickPattern(model: string, patterns: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const pattern of patterns) {
    if (!matchesModel(pattern, model)) continue;
    if (pattern === model) return pattern;
    if (!best || pattern.length > best.length) best = pattern;
  }
  return best;
}
