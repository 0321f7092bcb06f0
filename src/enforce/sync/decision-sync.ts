import type { Decision } from '../decision.js';
import type { EnforcementPolicy } from '../policy-schema.js';

/** A change to pass between replicas: an account's decision, or the live policy. */
export type SyncMessage = { type: 'decision'; decision: Decision } | { type: 'policy'; policy: EnforcementPolicy; seq: number };

/** How replicas keep the same decisions: one interface, one backend per transport. */
export interface DecisionSync {
  /** Delivers changes made elsewhere (and, on a resync, every current one) from now on. */
  start(listener: (message: SyncMessage) => void): Promise<void>;
  /** Tells every other replica; the audit entry is already written. */
  publish(message: SyncMessage): Promise<void>;
  close(): Promise<void>;
}

/** Messages arrive from outside the process: keep only the shapes this code wrote. */
export function asSyncMessage(value: unknown): SyncMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as { type?: unknown; decision?: unknown; policy?: unknown; seq?: unknown };
  if (message.type === 'decision' && isDecision(message.decision)) return { type: 'decision', decision: message.decision };
  if (message.type === 'policy' && typeof message.policy === 'object' && message.policy !== null && typeof message.seq === 'number') {
    return { type: 'policy', policy: message.policy as EnforcementPolicy, seq: message.seq };
  }
  return undefined;
}

export function isDecision(value: unknown): value is Decision {
  if (typeof value !== 'object' || value === null) return false;
  const decision = value as Partial<Decision>;
  return typeof decision.account === 'string' && typeof decision.seq === 'number' && Array.isArray(decision.actions) && typeof decision.enforced === 'boolean';
}
