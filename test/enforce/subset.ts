import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonLinesWriter } from '../../src/traffic/jsonl.js';
import { openTrafficSet, readAccounts, readRequests } from '../../src/traffic/traffic-set.js';

export interface Subset {
  dir: string;
  requests: Map<string, number>;
  /** Requests the recorded upstream itself refused (429/403), which a replay sees again. */
  recordedRefusals: Map<string, number>;
}

/** A traffic set of a few accounts' requests in [`sinceMs`, `untilMs`), for a replay that takes seconds. */
export async function writeSubset(source: string, accounts: readonly string[], untilMs: number, sinceMs = -Infinity): Promise<Subset> {
  const dir = mkdtempSync(join(tmpdir(), 'moat-enforce-set-'));
  const set = openTrafficSet(source);
  const wanted = new Set(accounts);
  const requests = new Map<string, number>();
  const recordedRefusals = new Map<string, number>();
  const out = new JsonLinesWriter(join(dir, 'requests.jsonl'));
  for await (const request of readRequests(set)) {
    if (Date.parse(request.ts) >= untilMs) break;
    if (!wanted.has(request.account) || Date.parse(request.ts) < sinceMs) continue;
    await out.write(request);
    requests.set(request.account, (requests.get(request.account) ?? 0) + 1);
    if (request.status === 429 || request.status === 403) recordedRefusals.set(request.account, (recordedRefusals.get(request.account) ?? 0) + 1);
  }
  await out.close();
  const accountsOut = new JsonLinesWriter(join(dir, 'accounts.jsonl'));
  for (const account of await readAccounts(set)) if (wanted.has(account.account)) await accountsOut.write(account);
  await accountsOut.close();
  return { dir, requests, recordedRefusals };
}
