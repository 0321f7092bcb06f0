import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, replay } from '../../src/detect/index.js';
import { openTrafficSet, readRequests } from '../../src/traffic/traffic-set.js';
import type { Verdict } from '../../src/traffic/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEV = path.resolve(repoRoot, '..', 'shared', 'data', 'traffic', 'dev-v1');
const LONG = 20_000;
const SHORT = 9_000;

async function run(limit: number): Promise<Verdict[]> {
  const engine = createEngine();
  await replay(DEV, engine, { limit });
  return engine.verdicts().sort((a, b) => a.account.localeCompare(b.account));
}

async function tsOfRequest(index: number): Promise<string> {
  let i = 0;
  for await (const r of readRequests(openTrafficSet(DEV))) if (++i === index) return r.ts;
  throw new Error('set too short');
}

test('causality: a prefix of the log gives the same flags at the same times on that prefix', async () => {
  const [long, short, cut] = await Promise.all([run(LONG), run(SHORT), tsOfRequest(SHORT)]);
  const shortBy = new Map(short.map((v) => [v.account, v]));
  let flaggedInPrefix = 0;
  for (const v of long) {
    const inPrefix = v.first_flagged_at !== null && v.first_flagged_at <= cut;
    const s = shortBy.get(v.account)!;
    if (inPrefix) flaggedInPrefix++;
    assert.equal(s.flagged, inPrefix, v.account);
    assert.equal(s.first_flagged_at, inPrefix ? v.first_flagged_at : null, v.account);
  }
  // The property is only worth something if the prefix holds flags to compare.
  assert.ok(flaggedInPrefix > 0);
});

test('determinism: two runs give identical verdicts', async () => {
  const [a, b] = await Promise.all([run(SHORT), run(SHORT)]);
  assert.deepEqual(a, b);
});
