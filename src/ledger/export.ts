import { mkdir } from 'node:fs/promises';
import { JsonLinesWriter } from '../traffic/jsonl.js';
import type { Store } from '../store/store.js';
import { scanRecords } from './ledger-rows.js';
import { toTrafficRequest } from './record.js';

export interface ExportRange {
  sinceMs?: number;
  untilMs?: number;
}

/** Writes a TRAFFIC.md traffic set (requests in ts order, every account) from the ledger. */
export async function exportTrafficSet(store: Store, range: ExportRange, dir: string): Promise<{ requests: number; accounts: number }> {
  await mkdir(dir, { recursive: true });
  const requestsOut = new JsonLinesWriter(`${dir}/requests.jsonl.gz`);
  let requests = 0;
  for await (const record of scanRecords(store.ledger, range)) {
    await requestsOut.write(toTrafficRequest(record));
    requests++;
  }
  await requestsOut.close();
  const accountsOut = new JsonLinesWriter(`${dir}/accounts.jsonl`);
  const accounts = await store.accounts.list();
  for (const account of accounts) await accountsOut.write(account);
  await accountsOut.close();
  return { requests, accounts: accounts.length };
}
