import type { Check, CounterState, Decision, RateLimiter } from '../limiter.js';
import { WindowCounter } from './window-counter.js';

interface MonthCounter {
  used: number;
  endMs: number;
}

const SWEEP_MS = 60_000;

/**
 * Counters in this process: exact for one gateway process, and the baseline the Redis
 * backend is measured against. Node runs one admit at a time, so check-then-charge is atomic.
 */
export class MemoryLimiter implements RateLimiter {
  private readonly windows = new Map<string, WindowCounter>();
  private readonly months = new Map<string, MonthCounter>();
  private readonly slots = new Map<string, Set<string>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  async admit(checks: readonly Check[], id: string): Promise<Decision> {
    const at = this.now();
    const states = checks.map((check) => this.state(check, at));
    let failed = -1;
    let retryAfterMs = 0;
    checks.forEach((check, i) => {
      const used = states[i]!.used;
      if (check.amount === 0 || used + check.amount <= check.limit) return;
      if (failed < 0) failed = i;
      const wait = this.waitFor(check, at, used + check.amount - check.limit, states[i]!);
      retryAfterMs = retryAfterMs < 0 || wait < 0 ? -1 : Math.max(retryAfterMs, wait);
    });
    if (failed >= 0) return { admitted: false, at, states, failed, retryAfterMs };
    for (const check of checks) this.charge(check, at, id);
    return { admitted: true, at, states: checks.map((check) => this.state(check, at)), failed: -1, retryAfterMs: 0 };
  }

  async settle(checks: readonly Check[], id: string, at: number, deltas: readonly number[]): Promise<void> {
    const now = this.now();
    checks.forEach((check, i) => {
      const delta = deltas[i] ?? 0;
      if (check.kind === 'concurrency') this.slots.get(check.key)?.delete(id);
      else if (check.kind === 'month') {
        const month = this.months.get(check.key);
        if (month) month.used = Math.max(0, month.used + delta);
      } else if (delta < 0) this.windows.get(check.key)?.refund(at, -delta);
      // An overrun is charged now: the reservation's bucket may have left the window already.
      else if (delta > 0) this.window(check).charge(now, delta);
    });
  }

  async peek(checks: readonly Check[]): Promise<CounterState[]> {
    const at = this.now();
    return checks.map((check) => this.state(check, at));
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private state(check: Check, at: number): CounterState {
    switch (check.kind) {
      case 'window': {
        const counter = this.windows.get(check.key);
        return counter ? { used: counter.used(at), resetMs: counter.resetMs(at) } : { used: 0, resetMs: 0 };
      }
      case 'month':
        return { used: this.months.get(check.key)?.used ?? 0, resetMs: Math.max(0, check.spanMs - at) };
      case 'concurrency':
        return { used: this.slots.get(check.key)?.size ?? 0, resetMs: 0 };
    }
  }

  private waitFor(check: Check, at: number, need: number, state: CounterState): number {
    if (check.amount > check.limit) return -1;
    if (check.kind === 'window') return this.windows.get(check.key)?.freesIn(at, need) ?? -1;
    if (check.kind === 'month') return state.resetMs;
    // A slot frees when some request ends, which nothing here can foresee: a short hint.
    return 1000;
  }

  private charge(check: Check, at: number, id: string): void {
    if (check.kind === 'window') this.window(check).charge(at, check.amount);
    else if (check.kind === 'month') {
      const month = this.months.get(check.key) ?? { used: 0, endMs: check.spanMs };
      month.used += check.amount;
      this.months.set(check.key, month);
    } else {
      const slots = this.slots.get(check.key) ?? new Set<string>();
      slots.add(id);
      this.slots.set(check.key, slots);
    }
  }

  private window(check: Check): WindowCounter {
    let counter = this.windows.get(check.key);
    if (!counter) this.windows.set(check.key, (counter = new WindowCounter(check.spanMs)));
    return counter;
  }

  /** Idle accounts and past months would otherwise stay in memory for the life of the process. */
  private sweep(): void {
    const now = this.now();
    for (const [key, counter] of this.windows) if (counter.isEmpty(now)) this.windows.delete(key);
    for (const [key, month] of this.months) if (month.endMs <= now) this.months.delete(key);
    for (const [key, slots] of this.slots) if (slots.size === 0) this.slots.delete(key);
  }
}
