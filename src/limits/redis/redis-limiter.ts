import { Redis } from 'ioredis';
import type { Check, CounterState, Decision, RateLimiter } from '../limiter.js';
import { LuaScript } from './lua-script.js';
import { ADMIT_SCRIPT, SETTLE_SCRIPT } from './scripts.js';

export interface RedisLimiterOptions {
  url: string;
  keyPrefix: string;
  commandTimeoutMs: number;
  concurrencyLeaseMs: number;
  /** Connection state changes, for the caller to log and count. */
  onConnectionError?: (error: Error) => void;
}

const admitScript = new LuaScript(ADMIT_SCRIPT);
const settleScript = new LuaScript(SETTLE_SCRIPT);
const SCRIPTS = [admitScript, settleScript];

/**
 * Counters in Redis, shared by every replica: one script call per admission and one per
 * settlement. Commands fail at once while Redis is unreachable (no offline queue), so the
 * caller's fail-open/fail-closed choice applies without waiting; the client reconnects by
 * itself and the next call after that succeeds.
 */
export class RedisLimiter implements RateLimiter {
  private readonly redis: Redis;

  constructor(private readonly options: RedisLimiterOptions) {
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
      // Try again soon: every second without Redis is a second of fail-open or fail-closed.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
      lazyConnect: true,
    });
    this.redis.on('error', (error: Error) => options.onConnectionError?.(error));
    // Sent ahead of any command that follows on the new connection, a restarted server's included.
    this.redis.on('ready', () => {
      for (const script of SCRIPTS) script.load(this.redis).catch((error: Error) => options.onConnectionError?.(error));
    });
  }

  /** Waits for the first connection, but starts without one: the failure mode covers the gap. */
  async connect(): Promise<boolean> {
    try {
      await this.redis.connect();
      return true;
    } catch {
      return false;
    }
  }

  async admit(checks: readonly Check[], id: string): Promise<Decision> {
    return this.decide('admit', checks, id);
  }

  async settle(checks: readonly Check[], id: string, at: number, deltas: readonly number[]): Promise<void> {
    const args: (string | number)[] = [id, at];
    checks.forEach((check, i) => args.push(check.kind, Math.round(deltas[i] ?? 0), check.spanMs));
    await settleScript.run(this.redis, this.keys(checks), args);
  }

  async peek(checks: readonly Check[]): Promise<CounterState[]> {
    return (await this.decide('peek', checks, '')).states;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async decide(mode: 'admit' | 'peek', checks: readonly Check[], id: string): Promise<Decision> {
    const args: (string | number)[] = [mode, id, this.options.concurrencyLeaseMs];
    for (const check of checks) args.push(check.kind, check.limit, Math.round(check.amount), check.spanMs);
    const reply = (await admitScript.run(this.redis, this.keys(checks), args)) as number[];
    const states: CounterState[] = checks.map((_, i) => ({ used: reply[4 + 2 * i]!, resetMs: reply[5 + 2 * i]! }));
    return { admitted: reply[0] === 1, at: reply[1]!, failed: reply[2]!, retryAfterMs: reply[3]!, states };
  }

  private keys(checks: readonly Check[]): string[] {
    return checks.map((check) => this.options.keyPrefix + check.key);
  }
}
