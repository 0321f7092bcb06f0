import type { Logger } from 'pino';
import type { AccountAssessment, DetectionView } from '../detect/types.js';
import type { Store } from '../store/store.js';
import { CampaignWatch } from './campaign-watch.js';
import { accountAlert, campaignAlert, type Alert } from './alerts/alert.js';
import type { WebhookSender } from './alerts/webhook-sender.js';
import { LEVEL_RANK, changesServing, emptyDecision, sameActions, type Decision } from './decision.js';
import type { AuditAction, DecisionLog } from './decision-log.js';
import type { DecisionDesk, Standing } from './enforcement-service.js';
import { ordered, propose } from './policy-evaluator.js';
import type { ActionName, EnforcementPolicy, Level } from './policy-schema.js';
import type { SyncMessage } from './sync/decision-sync.js';
import { moveThrottle, type Throttle } from './throttle.js';

export interface EnforcerDeps {
  store: Store;
  log: DecisionLog;
  throttle: Throttle;
  engine: DetectionView | undefined;
  alerts: WebhookSender | undefined;
  logger: Logger;
}

/**
 * Holds every account's decision in memory (the hot path's one lookup), re-decides off the
 * request path when detection's view of an account changes, and takes in changes made by
 * people and by other replicas.
 */
export class Enforcer implements DecisionDesk {
  private readonly decisions = new Map<string, Decision>();
  /** Only decisions that change what is served: most accounts are never in here. */
  private readonly serving = new Map<string, Decision>();
  private readonly seen = new Map<string, string>();
  private readonly alerted = new Map<string, Level>();
  private readonly tiers = new Map<string, string>();
  private readonly campaigns: CampaignWatch | undefined;
  private policySeq = 0;
  /** The rules' request-count thresholds, so crossing one re-decides the account. */
  private thresholds: number[] = [];
  private work: Promise<void> = Promise.resolve();
  private pending = new Set<string>();
  private scheduled = false;

  constructor(
    private policy: EnforcementPolicy,
    private readonly deps: EnforcerDeps,
  ) {
    this.campaigns = deps.engine && new CampaignWatch(deps.engine);
    this.thresholds = thresholdsOf(policy);
  }

  /** The hot path: undefined for every account whose serving nothing changes. */
  servingDecision(account: string): Decision | undefined {
    return this.serving.get(account);
  }

  decision(account: string): Decision | undefined {
    return this.decisions.get(account);
  }

  async current(account: string): Promise<Decision | undefined> {
    return this.decisions.get(account);
  }

  standing(account: string): Standing | undefined {
    const assessment = this.deps.engine?.assessment(account);
    return assessment && { level: assessment.level, campaign: assessment.campaign };
  }

  campaignMembers(id: string): string[] | undefined {
    return this.campaigns?.members(id);
  }

  currentPolicy(): EnforcementPolicy {
    return this.policy;
  }

  /** Takes a change from the log, another replica or this one; an older copy than the one held is ignored. */
  take(message: SyncMessage): void {
    if (message.type === 'policy') {
      if (message.seq <= this.policySeq) return;
      this.policySeq = message.seq;
      this.policy = message.policy;
      this.thresholds = thresholdsOf(message.policy);
      this.reconsiderAll();
      return;
    }
    const decision = message.decision;
    const current = this.decisions.get(decision.account);
    if (current && current.seq >= decision.seq) return;
    this.decisions.set(decision.account, decision);
    if (changesServing(decision)) this.serving.set(decision.account, decision);
    else this.serving.delete(decision.account);
  }

  /** Called after detection has taken new requests: re-decides, in order, off the request path. */
  detectionChanged(accounts: Iterable<string>): void {
    for (const account of accounts) this.pending.add(account);
    if (this.scheduled) return;
    // Drains that arrive while a re-decision runs are merged into the next one, not queued each.
    this.scheduled = true;
    this.enqueue(() => {
      this.scheduled = false;
      const batch = this.pending;
      this.pending = new Set();
      return this.reconsider(batch);
    });
  }

  /** Records a decision (with its throttle move) and makes it live here at once. */
  async commit(next: Decision, action: AuditAction): Promise<Decision> {
    const moved = await moveThrottle(this.deps.throttle, this.policy.throttle, this.decisions.get(next.account), next);
    const recorded = await this.deps.log.record(moved, action);
    this.take({ type: 'decision', decision: recorded });
    return recorded;
  }

  async replacePolicy(policy: EnforcementPolicy, actor: string, reason: string): Promise<void> {
    const seq = await this.deps.log.recordPolicy(policy, actor, reason);
    this.take({ type: 'policy', policy, seq });
  }

  /** Waits until every re-decision asked for so far is done (tests, shutdown, the bench). */
  idle(): Promise<void> {
    return this.work;
  }

  private enqueue(job: () => Promise<void>): void {
    this.work = this.work.then(job).catch((error: unknown) => this.deps.logger.error({ err: error }, 'enforcement decision failed'));
  }

  private reconsiderAll(): void {
    const accounts = [...this.seen.keys()];
    this.seen.clear();
    this.detectionChanged(accounts);
  }

  private async reconsider(accounts: ReadonlySet<string>): Promise<void> {
    const engine = this.deps.engine;
    if (!engine) return;
    const changed = new Set<string>();
    for (const account of accounts) {
      const assessment = engine.assessment(account);
      if (!assessment) continue;
      const signature = this.signatureOf(assessment);
      if (this.seen.get(account) === signature) continue;
      this.seen.set(account, signature);
      changed.add(account);
    }
    const crossings = this.campaigns?.update(accounts) ?? [];
    for (const crossing of crossings) {
      for (const member of crossing.members) changed.add(member);
      const actions = this.campaignActions(crossing.level);
      if (actions.includes('alert')) this.alert(campaignAlert(crossing, actions, this.policy.mode !== 'enforce'));
    }
    for (const account of changed) {
      const assessment = engine.assessment(account);
      if (assessment) await this.decide(assessment);
    }
  }

  /** Everything the policy looks at; when none of it moved, the decision cannot have either. */
  private signatureOf(a: AccountAssessment): string {
    const passed = this.thresholds.filter((min) => a.requests >= min).length;
    return `${a.level}|${a.campaign ?? ''}|${a.flagged}|${passed}|${a.reasons.map((r) => r.signal).join(',')}`;
  }

  private async decide(assessment: AccountAssessment): Promise<void> {
    const account = assessment.account;
    const current = this.decisions.get(account);
    if (current?.manual || current?.allowlisted || this.policy.allowlist.includes(account)) return;
    if (current?.clearedLevel && LEVEL_RANK[assessment.level] <= LEVEL_RANK[current.clearedLevel]) return;
    // Each replica's detection sees only its own share of the traffic: one that sees less never undoes another's decision.
    if (current?.actor === 'policy' && LEVEL_RANK[assessment.level] < LEVEL_RANK[current.level]) return;
    const tier = await this.tierOf(account);
    // A campaign's actions reach the members detection flagged; an account merely linked to one
    // (a shared card, an office NAT) is judged on its own level.
    const campaignLevel = assessment.campaign && assessment.flagged ? (this.campaigns?.level(assessment.campaign) ?? null) : null;
    const proposal = propose(this.policy, tier, assessment, campaignLevel);
    const enforced = this.policy.mode === 'enforce';
    if (!current && proposal.actions.length === 0) return;
    if (current && sameActions(current.actions, proposal.actions) && current.enforced === enforced) return;
    const next: Decision = {
      ...(current ?? emptyDecision(account, '')),
      actions: proposal.actions,
      enforced,
      clearedLevel: null,
      level: assessment.level,
      campaign: assessment.campaign,
      keys: proposal.actions.includes('suspend_key') ? (await this.deps.store.keys.listByAccount(account)).filter((k) => k.revokedAt === null).map((k) => k.id) : [],
      maxTokensCap: proposal.actions.includes('cap_max_tokens') ? this.policy.maxTokensCap : null,
      reason: proposal.reason,
      actor: 'policy',
      at: new Date().toISOString(),
    };
    const recorded = await this.commit(next, 'policy');
    // A campaign's own crossing is alerted once for the campaign, not again for each member.
    const ownAlert = propose(this.policy, tier, assessment, null).actions.includes('alert');
    if (ownAlert && LEVEL_RANK[assessment.level] > LEVEL_RANK[this.alerted.get(account) ?? 'none']) {
      this.alerted.set(account, assessment.level);
      this.alert(accountAlert(assessment, current?.level ?? 'none', recorded));
    }
  }

  private alert(alert: Alert): void {
    this.deps.alerts?.send(alert);
    void this.deps.log.recordAlert(alert).catch((error: unknown) => this.deps.logger.error({ err: error }, 'could not audit an alert'));
  }

  /** A campaign spans accounts of any tier: what any tier's policy does at its level. */
  private campaignActions(level: Level): ActionName[] {
    return ordered(Object.values(this.policy.tiers).flatMap((tier) => tier.campaigns[level] ?? []));
  }

  private async tierOf(account: string): Promise<string> {
    let tier = this.tiers.get(account);
    if (tier === undefined) {
      tier = (await this.deps.store.accounts.get(account))?.tier ?? 'default';
      this.tiers.set(account, tier);
    }
    return tier;
  }
}

function thresholdsOf(policy: EnforcementPolicy): number[] {
  return Object.values(policy.tiers).flatMap((tier) => tier.rules.flatMap((rule) => (rule.when.minRequests === undefined ? [] : [rule.when.minRequests])));
}
