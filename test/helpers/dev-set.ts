import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JsonLinesWriter } from '../../src/traffic/jsonl.js';
import { openTrafficSet, readAccounts, readRequests } from '../../src/traffic/traffic-set.js';

/** shared/ sits beside the repository, in a session and in CI alike. */
export const DEV_SET = resolve(import.meta.dirname, '../../../shared/data/traffic/dev-v1');
export const devSetPresent = existsSync(DEV_SET);

/** A traffic set holding the requests of `dir` before `untilMs` and all its accounts. */
export async function writePrefixSet(dir: string, untilMs: number): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'moat-prefix-'));
  const set = openTrafficSet(dir);
  const requests = new JsonLinesWriter(join(out, 'requests.jsonl'));
  for await (const request of readRequests(set)) {
    if (Date.parse(request.ts) >= untilMs) break;
    await requests.write(request);
  }
  await requests.close();
  const accounts = new JsonLinesWriter(join(out, 'accounts.jsonl'));
  for (const account of await readAccounts(set)) await accounts.write(account);
  await accounts.close();
  return out;
}
