import { toRow } from '../ledger/ledger-rows.js';
import { toLedgerRecord, type LedgerRecord } from '../ledger/record.js';
import type { Store } from '../store/store.js';
import { openTrafficSet, readAccounts, readRequests } from '../traffic/traffic-set.js';

const BATCH = 5000;

/**
 * Writes a traffic set's accounts and requests straight into a store's ledger, so the console
 * and reports read a set exactly as they read live traffic. Far faster than replaying the set
 * through a gateway; the gateway's detection then rebuilds its state from this ledger at start.
 */
export async function loadTrafficSet(store: Store, dir: string, untilMs = Number.POSITIVE_INFINITY): Promise<{ accounts: number; requests: number }> {
  const set = openTrafficSet(dir);
  const accounts = await readAccounts(set);
  for (const account of accounts) await store.accounts.upsert(account);
  let batch: LedgerRecord[] = [];
  let requests = 0;
  for await (const request of readRequests(set)) {
    if (Date.parse(request.ts) >= untilMs) break;
    batch.push(toLedgerRecord(request));
    if (batch.length === BATCH) {
      await store.ledger.insertBatch(batch.map(toRow));
      requests += batch.length;
      batch = [];
    }
  }
  await store.ledger.insertBatch(batch.map(toRow));
  return { accounts: accounts.length, requests: requests + batch.length };
}
