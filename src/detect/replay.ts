import { timestampMs } from '../traffic/timestamp.js';
import { openTrafficSet, readAccounts, readRequestBatches } from '../traffic/traffic-set.js';
import type { AccountRecord, TrafficRequest } from '../traffic/types.js';
import type { DetectionEngine } from './types.js';

export interface ReplayOptions {
  /** Stop after this many requests (a prefix of the log). */
  limit?: number;
  onProgress?: (requests: number) => void;
}

/**
 * Replays a traffic set into an engine in time order. Account records enter when the account is
 * created, not all up front, so a decision never uses a sign-up that had not happened yet.
 */
export async function replay(dir: string, engine: DetectionEngine, options: ReplayOptions = {}): Promise<{ accounts: AccountRecord[]; requests: number }> {
  const set = openTrafficSet(dir);
  const accounts = await readAccounts(set);
  const pending = [...accounts].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.account.localeCompare(b.account));
  const createdMs = pending.map((a) => Date.parse(a.created_at));
  let next = 0;
  let requests = 0;
  const limit = options.limit ?? Infinity;
  read: for await (const batch of readRequestBatches(set)) {
    for (const request of batch) {
      if (requests >= limit) break read;
      next = admit(engine, pending, createdMs, next, request);
      engine.observe(request);
      requests++;
      if (options.onProgress && requests % 2000 === 0) options.onProgress(requests);
    }
  }
  // Accounts that never sent a request still get a verdict.
  while (next < pending.length) engine.addAccount(pending[next++]!);
  return { accounts, requests };
}

function admit(engine: DetectionEngine, pending: AccountRecord[], createdMs: readonly number[], next: number, request: TrafficRequest): number {
  const ms = timestampMs(request.ts);
  while (next < pending.length && createdMs[next]! <= ms) engine.addAccount(pending[next++]!);
  return next;
}
