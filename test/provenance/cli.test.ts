import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { canaryFor, findCanaries, isDefinitional, withCanary } from '../../src/provenance/canary.js';
import { KeyRing } from '../../src/provenance/key-ring.js';
import { PAIRS } from '../../src/provenance/lexicon.js';
import { markText } from '../../src/provenance/marker.js';
import { openStore, sqliteConfig } from '../../src/store/open-store.js';
import { DEV_SET, devSetPresent } from '../helpers/dev-set.js';
import { seededRandom } from '../helpers/ngram-student.js';

const run = promisify(execFile);
const OLD = { id: 'd2025', createdAt: '2025-01-01T00:00:00.000Z', secret: 'aa'.repeat(32) };
const NEW = { id: 'd2026', createdAt: '2026-01-01T00:00:00.000Z', secret: 'bb'.repeat(32) };

test('the key ring marks with the newest key in force, derives campaign keys, and keeps rotated keys for testing', () => {
  const ring = new KeyRing([NEW, OLD, { id: 'nosecret', createdAt: '2027-01-01T00:00:00.000Z' }]);
  assert.equal(ring.marking(Date.parse('2024-06-01'), 'deployment', null), undefined);
  assert.equal(ring.marking(Date.parse('2025-06-01'), 'deployment', null)?.id, 'd2025');
  assert.equal(ring.marking(Date.parse('2028-06-01'), 'deployment', null)?.id, 'd2026', 'a key without a secret never marks');
  const campaign = ring.marking(Date.parse('2026-06-01'), 'campaign', 'c07')!;
  assert.equal(campaign.id, 'd2026/campaign:c07');
  assert.notDeepEqual(campaign.secret, ring.byId('d2026')!.secret);
  assert.deepEqual(ring.byId('d2026/campaign:c07')!.secret, campaign.secret);
  assert.notDeepEqual(ring.byId('d2026/campaign:c08')!.secret, campaign.secret);
  assert.ok(ring.byId('d2025'), 'rotated out, still testable');
  assert.equal(ring.byId('nope'), undefined);
  assert.equal(ring.byId('nosecret'), undefined, 'a key whose secret is not set cannot be tested either');
});

test('a canary is unique per key and campaign, and a suspect output repeating it is found', () => {
  const secret = Buffer.from(NEW.secret, 'hex');
  const canary = canaryFor(secret, 'c07');
  assert.equal(canaryFor(secret, 'c07').token, canary.token);
  assert.notEqual(canaryFor(secret, 'c08').token, canary.token);
  assert.notEqual(canaryFor(Buffer.from(OLD.secret, 'hex'), 'c07').token, canary.token);
  const served = withCanary('A paper clip is a bent wire that holds sheets together.  ', canary);
  assert.ok(served.endsWith(canary.sentence));
  const outputs = ['Nothing here.', `They were once sold as ${canary.token.toLowerCase()}.`, 'Still nothing.'];
  assert.deepEqual(findCanaries(outputs, [canary, canaryFor(secret, 'c08')]), [{ campaign: 'c07', token: canary.token, texts: [1] }]);
  for (const question of ['What is a paper clip?', 'explain recursion', 'Who was Ada Lovelace', 'Tell me about tides']) assert.ok(isDefinitional(question), question);
  for (const question of ['Write a poem', 'Fix this code: what is wrong?', 'Translate "what is"']) assert.ok(!isDefinitional(question), question);
});

test('moat provenance test finds the key that marked a file, records the result, and a rotated key is still tested', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-prov-'));
  const db = join(dir, 'moat.db');
  const config = join(dir, 'moat.json');
  // Secrets only through the environment, as in production.
  writeFileSync(config, JSON.stringify({ store: { path: db }, provenance: { keys: [{ id: OLD.id, createdAt: OLD.createdAt }, { id: NEW.id, createdAt: NEW.createdAt }] } }));
  const env = { ...process.env, MOAT_PROVENANCE_SECRET_D2025: OLD.secret, MOAT_PROVENANCE_SECRET_D2026: NEW.secret };
  // Varied prose: pair words, either member at random, after varied words.
  const random = seededRandom(3);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const before = ['it', 'we', 'they', 'you', 'and', 'but', 'that', 'which', 'this', 'people', 'one', 'he', 'she', 'all'];
  const balanced = PAIRS.filter((pair) => pair.share > 0.3 && pair.share < 0.7 && !pair.verbOnly);
  const texts = Array.from({ length: 400 }, () => {
    const words = Array.from({ length: 30 }, () => `${pick(before)} ${pick(pick(balanced).members)}`).join(' ');
    return markText(`${words}.`, { secret: Buffer.from(OLD.secret, 'hex'), rate: 1 }).text;
  });
  const file = join(dir, 'suspect.jsonl');
  writeFileSync(file, texts.map((text) => JSON.stringify({ text })).join('\n'));
  const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'provenance', 'test', file, '-c', config, ...args], { env });
  const marked = JSON.parse((await cli('--key', 'd2025', '--campaign', 'c07', '--record')).stdout);
  assert.ok(marked.p < 1e-6, `p ${marked.p}`);
  assert.ok(marked.textsNeeded > 0 && marked.textsNeeded <= 400);
  assert.equal(marked.keyId, 'd2025');
  const other = JSON.parse((await cli('--key', 'd2026')).stdout);
  assert.ok(other.p > 1e-3, `the key that did not mark: p ${other.p}`);
  if (devSetPresent) {
    const withReference = JSON.parse((await cli('--key', 'd2025', '--reference', DEV_SET)).stdout);
    assert.ok(withReference.p < 1e-6, `against dev-v1's own use of each context: p ${withReference.p}`);
  }
  const scan = JSON.parse((await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'provenance', 'scan', file, '-c', config, '--campaign', 'c07'], { env })).stdout) as { keyId: string; pAdjusted: number }[];
  assert.deepEqual(scan.map((row) => row.keyId), ['d2025', 'd2025/campaign:c07', 'd2026', 'd2026/campaign:c07']);
  assert.deepEqual(scan.map((row) => row.pAdjusted < 1e-5), [true, false, false, false], 'only the key that marked the texts');
  const store = await openStore(sqliteConfig(db));
  try {
    const [entry] = await store.audit.list({ limit: 5 });
    assert.equal(entry?.action, 'provenance_test');
    assert.equal(entry?.campaign, 'c07');
    assert.match(entry!.reason, /key d2025: p=/);
  } finally {
    await store.close();
  }
});
