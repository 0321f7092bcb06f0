import type { ActionName, Level } from './policy-schema.js';

/**
 * Where an account stands, as the hot path reads it and as each audit entry records it after
 * the change: the log's last entry per account is that account's state.
 */
export interface Decision {
  account: string;
  /** The audit entry that recorded it: of two copies (pub/sub, resync, log), the higher wins. */
  seq: number;
  /** Actions in force, from the policy or a person. */
  actions: ActionName[];
  /** false in shadow mode: decided and recorded, but the gateway serves as if nothing were. */
  enforced: boolean;
  /** Never acted on automatically. */
  allowlisted: boolean;
  /** Set by a person: the policy neither adds to it nor lifts it. */
  manual: boolean;
  /** After a reinstatement at this level, the policy acts again only above it. */
  clearedLevel: Level | null;
  level: Level;
  campaign: string | null;
  /** Keys blocked by `suspend_key` (the keys the account had when it was suspended). */
  keys: string[];
  /** The max_tokens ceiling under `cap_max_tokens`. */
  maxTokensCap: number | null;
  /** The account's own limit override before `throttle` lowered it, restored when it lifts. */
  limitsBefore: Record<string, number | null> | null;
  reason: string;
  actor: string;
  at: string;
}

export const LEVEL_RANK: Record<Level, number> = { none: 0, watch: 1, suspect: 2, high: 3 };

export const atLeast = (level: Level, floor: Level): boolean => LEVEL_RANK[level] >= LEVEL_RANK[floor];

/** The actions that change what the customer is served; `log` and `alert` do not. */
const SERVING: ReadonlySet<ActionName> = new Set(['throttle', 'cap_max_tokens', 'withhold_reasoning', 'mark', 'refuse_risky_params', 'require_verification', 'suspend_key', 'suspend_account']);

export const changesServing = (decision: Decision): boolean => decision.enforced && decision.actions.some((action) => SERVING.has(action));

export function emptyDecision(account: string, at: string): Decision {
  return {
    account,
    seq: 0,
    actions: [],
    enforced: true,
    allowlisted: false,
    manual: false,
    clearedLevel: null,
    level: 'none',
    campaign: null,
    keys: [],
    maxTokensCap: null,
    limitsBefore: null,
    reason: '',
    actor: 'moat',
    at,
  };
}

export const sameActions = (a: readonly ActionName[], b: readonly ActionName[]): boolean =>
  a.length === b.length && a.every((action) => b.includes(action));
