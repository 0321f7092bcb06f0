import type { AuditEntry, AuditRepository, Store } from '../store/store.js';
import type { Alert } from './alerts/alert.js';
import { appendAudit } from './audit/audit-chain.js';
import type { Decision } from './decision.js';
import type { EnforcementPolicy } from './policy-schema.js';
import { isDecision, type DecisionSync, type SyncMessage } from './sync/decision-sync.js';

/** What an audit entry says happened, in its `action` column. */
export type AuditAction = 'policy' | 'suspend' | 'reinstate' | 'allowlist' | 'alert' | 'policy_replaced';

/** The audit entry as a sync message (decisions and policy changes; alerts change no state). */
export function messageOf(entry: AuditEntry): SyncMessage | undefined {
  const data = entry.data as { decision?: unknown; policy?: unknown } | null;
  if (data && isDecision(data.decision)) return { type: 'decision', decision: { ...data.decision, seq: entry.seq } };
  if (data && entry.action === 'policy_replaced' && typeof data.policy === 'object' && data.policy !== null) {
    return { type: 'policy', policy: data.policy as EnforcementPolicy, seq: entry.seq };
  }
  return undefined;
}

/**
 * Every change of a decision or of the policy goes through here: appended to the audit log
 * (whose order is the order of changes) and then published to the other replicas. The CLI
 * and the gateway share it, so a change made by either is recorded the same way.
 */
export class DecisionLog {
  constructor(
    private readonly store: Store,
    private readonly sync: DecisionSync,
  ) {}

  async record(decision: Decision, action: AuditAction): Promise<Decision> {
    const entry = await appendAudit(this.store.audit, {
      at: decision.at,
      account: decision.account,
      campaign: decision.campaign,
      action,
      actor: decision.actor,
      reason: decision.reason,
      data: { decision: { ...decision, seq: 0 } },
    });
    const recorded = { ...decision, seq: entry.seq };
    await this.sync.publish({ type: 'decision', decision: recorded });
    return recorded;
  }

  async recordPolicy(policy: EnforcementPolicy, actor: string, reason: string): Promise<number> {
    const entry = await appendAudit(this.store.audit, { at: new Date().toISOString(), account: null, campaign: null, action: 'policy_replaced', actor, reason, data: { policy } });
    await this.sync.publish({ type: 'policy', policy, seq: entry.seq });
    return entry.seq;
  }

  async recordAlert(alert: Alert): Promise<void> {
    const account = alert.subject.kind === 'account' ? alert.subject.id : null;
    await appendAudit(this.store.audit, { at: alert.at, account, campaign: alert.campaign, action: 'alert', actor: 'moat', reason: `${alert.subject.kind} crossed ${alert.previousLevel} → ${alert.level}`, data: { alert } });
  }

  /** The account's decision as the log last recorded it. */
  async latest(account: string): Promise<Decision | undefined> {
    for (const entry of await this.store.audit.list({ account, limit: 50 })) {
      const message = messageOf(entry);
      if (message?.type === 'decision') return message.decision;
    }
    return undefined;
  }
}

/** The state the whole log adds up to: each account's last decision, the last policy set, the head. */
export async function replayLog(audit: AuditRepository): Promise<{ decisions: Map<string, Decision>; policy: EnforcementPolicy | undefined; lastSeq: number }> {
  const decisions = new Map<string, Decision>();
  let policy: EnforcementPolicy | undefined;
  let lastSeq = 0;
  for await (const entry of audit.scan()) {
    lastSeq = entry.seq;
    const message = messageOf(entry);
    if (message?.type === 'decision') decisions.set(message.decision.account, message.decision);
    else if (message?.type === 'policy') policy = message.policy;
  }
  return { decisions, policy, lastSeq };
}
