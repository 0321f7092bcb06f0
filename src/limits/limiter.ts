/**
 * What a backend counts. A sliding window (`window`) holds requests or tokens for a rolling
 * span; a `month` is a calendar-month budget; `concurrency` holds one slot per request in flight.
 */
export type CheckKind = 'window' | 'month' | 'concurrency';

/** One counter to check and, if every check of the request passes, charge. */
export interface Check {
  key: string;
  kind: CheckKind;
  limit: number;
  /** What this request charges: 1 request, its token reservation, or one slot. */
  amount: number;
  /** window: its length in ms; month: when the month ends (epoch ms); concurrency: unused. */
  spanMs: number;
}

export interface CounterState {
  used: number;
  /** Until the counter is back to zero, in ms (0 when it is). */
  resetMs: number;
}

export interface Decision {
  admitted: boolean;
  /** The backend's clock at the decision; settling needs it to find the reservation again. */
  at: number;
  /** Per check, after the charge when admitted. */
  states: CounterState[];
  /** When refused: the index of the first check that failed. */
  failed: number;
  /** When refused: how long until every failed check could pass; -1 if one never can. */
  retryAfterMs: number;
}

/**
 * One role, a backend per folder (memory/, redis/). `admit` checks and charges all of a
 * request's counters atomically: either every counter takes the charge or none does, so
 * concurrent requests on any number of replicas can never overshoot a limit together.
 */
export interface RateLimiter {
  admit(checks: readonly Check[], id: string): Promise<Decision>;
  /**
   * The request ended. `deltas[i]` is the real usage minus check i's charge (window and month
   * checks; a negative delta is a refund); concurrency slots are freed.
   */
  settle(checks: readonly Check[], id: string, at: number, deltas: readonly number[]): Promise<void>;
  /** The counters as they stand, charging nothing. */
  peek(checks: readonly Check[]): Promise<CounterState[]>;
  close(): Promise<void>;
}
