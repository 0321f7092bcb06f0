import { NotFoundError } from '../errors/catalogue.js';
import type { Store } from '../store/store.js';
import type { LimitSet } from '../limits/limits-schema.js';
import { LEVEL_RANK, emptyDecision, type Decision } from './decision.js';
import type { AuditAction, DecisionLog } from './decision-log.js';
import type { Level } from './policy-schema.js';
import { moveThrottle, type Throttle } from './throttle.js';

/** Who acts and why: every manual action carries both into the audit log. */
export interface Actor {
  reason: string;
  actor: string;
}

/** Detection's level and campaign for an account at one moment. */
export interface Standing {
  level: Level;
  campaign: string | null;
}

/** Where decisions are read and written: the running gateway's enforcer, or the log itself (CLI). */
export interface DecisionDesk {
  current(account: string): Promise<Decision | undefined>;
  commit(next: Decision, action: AuditAction): Promise<Decision>;
  /** What detection now says of the account, if this process runs detection. */
  standing?(account: string): Standing | undefined;
}

/** The CLI's desk: no gateway in this process, so the log is read and written directly. */
export function logDesk(log: DecisionLog, throttle: Throttle, throttleLimits: LimitSet): DecisionDesk {
  return {
    current: (account) => log.latest(account),
    async commit(next, action) {
      return log.record(await moveThrottle(throttle, throttleLimits, await log.latest(next.account), next), action);
    },
  };
}

/** Suspend, reinstate and allowlist: the one code path behind the admin API, the console and the CLI. */
export class EnforcementService {
  constructor(
    private readonly store: Store,
    private readonly desk: DecisionDesk,
  ) {}

  async state(account: string): Promise<Decision> {
    await this.mustExist(account);
    return (await this.desk.current(account)) ?? emptyDecision(account, new Date().toISOString());
  }

  /** Enforced even in shadow mode: a person decided it. Milder actions go (a throttle is lifted): suspension covers them. */
  async suspend(account: string, by: Actor, campaign: string | null = null): Promise<Decision> {
    const current = await this.now(account);
    return this.desk.commit(
      { ...current, actions: ['suspend_account'], enforced: true, manual: true, allowlisted: false, campaign: campaign ?? current.campaign, ...this.stamp(by) },
      'suspend',
    );
  }

  /** Lifts every action; the policy acts again only if detection rises above where it is now. */
  async reinstate(account: string, by: Actor): Promise<Decision> {
    const current = await this.now(account);
    return this.desk.commit({ ...current, actions: [], enforced: true, manual: false, allowlisted: false, clearedLevel: current.level, keys: [], ...this.stamp(by) }, 'reinstate');
  }

  /** Lifts every action and keeps the policy away from the account for good. */
  async allowlist(account: string, by: Actor): Promise<Decision> {
    const current = await this.now(account);
    return this.desk.commit({ ...current, actions: [], enforced: true, manual: false, allowlisted: true, keys: [], ...this.stamp(by) }, 'allowlist');
  }

  async suspendCampaign(id: string, members: readonly string[], by: Actor): Promise<Decision[]> {
    const out: Decision[] = [];
    for (const account of members) out.push(await this.suspend(account, { ...by, reason: `campaign ${id}: ${by.reason}` }, id));
    return out;
  }

  /**
   * The recorded decision with detection's level and campaign of this moment: the policy may
   * never have acted on the account (shadow mode, no rule at its level), and an audit entry
   * must say where it stood when a person acted. A higher recorded level (from a replica that
   * saw more traffic) is kept.
   */
  private async now(account: string): Promise<Decision> {
    const current = await this.state(account);
    const live = this.desk.standing?.(account);
    if (!live) return current;
    const level = LEVEL_RANK[live.level] > LEVEL_RANK[current.level] ? live.level : current.level;
    return { ...current, level, campaign: live.campaign ?? current.campaign };
  }

  private stamp(by: Actor): Pick<Decision, 'reason' | 'actor' | 'at'> {
    return { reason: by.reason, actor: by.actor, at: new Date().toISOString() };
  }

  private async mustExist(account: string): Promise<void> {
    if (!(await this.store.accounts.get(account))) throw new NotFoundError('account', account);
  }
}
