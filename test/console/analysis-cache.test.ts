import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runExplain } from '../../src/cli/explain.js';
import { report } from '../../src/cli/report.js';
import { DEV_SET, writePrefixSet } from '../helpers/dev-set.js';
import { prepareConsoleTests } from './console-fixture.js';

// Three days of dev-v1: enough for linked groups, a few seconds to replay.
const UNTIL = Date.parse('2026-03-05T00:00:00Z');
const STAMP = 1_700_000_000;
let set: string;
let requests: string;

/** Same size, same mtime, but no longer JSON: only a reader that skips the file can still answer. */
function spoil(path: string): void {
  writeFileSync(path, Buffer.alloc(statSync(path).size, 'x\n'));
  utimesSync(path, STAMP, STAMP);
}

before(async () => {
  prepareConsoleTests();
  set = await writePrefixSet(DEV_SET, UNTIL);
  requests = join(set, 'requests.jsonl');
  for (const name of readdirSync(set)) utimesSync(join(set, name), STAMP, STAMP);
});

test('moat explain reads its second answer from the cached analysis, not from the set', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'moat-cache-'));
  const pristine = mkdtempSync(join(tmpdir(), 'moat-cache-copy-'));
  const account = (JSON.parse(readFileSync(join(set, 'accounts.jsonl'), 'utf8').split('\n')[0]!) as { account: string }).account;
  const first = await runExplain(set, account, { cacheDir });
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.analysis.json')).length, 1, 'the analysis is cached');

  writeFileSync(join(pristine, 'requests.jsonl'), readFileSync(requests));
  spoil(requests);
  try {
    await assert.rejects(runExplain(set, account, { cache: false }), /not a JSON line/, 'the set now cannot be read');
    assert.equal(await runExplain(set, account, { cacheDir }), first, 'same answer, from the cache');
    utimesSync(requests, STAMP + 1, STAMP + 1);
    await assert.rejects(runExplain(set, account, { cacheDir }), /not a JSON line/, 'a changed mtime is a new set: read again');
  } finally {
    writeFileSync(requests, readFileSync(join(pristine, 'requests.jsonl')));
    utimesSync(requests, STAMP, STAMP);
  }
});

test('moat report --set reuses the cached ledger and analysis', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'moat-cache-'));
  const out = mkdtempSync(join(tmpdir(), 'moat-cache-report-'));
  const pristine = readFileSync(requests);
  // The first account of the set's first linked group, found through explain's own cache.
  await runExplain(set, (JSON.parse(readFileSync(join(set, 'accounts.jsonl'), 'utf8').split('\n')[0]!) as { account: string }).account, { cacheDir: out });
  const cached = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.analysis.json'))!), 'utf8')) as { campaigns: { id: string }[] };
  const campaign = cached.campaigns[0]!.id;
  const body = (path: string) => readFileSync(path, 'utf8').replace(/<p class="meta">.*?<\/p>/, '');

  await report({ set, campaign, html: join(out, 'first.html'), cacheDir });
  const kinds = new Set(readdirSync(cacheDir).map((f) => f.replace(/^[0-9a-f]+/, '')));
  assert.ok(kinds.has('.analysis.json') && kinds.has('.ledger.db'), 'the ledger and the analysis are cached');
  spoil(requests);
  try {
    const said: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string | Uint8Array) => (said.push(String(chunk)), true);
    try {
      await report({ set, campaign, html: join(out, 'second.html'), cacheDir });
    } finally {
      process.stdout.write = write;
    }
    assert.match(said.join(''), /from the cached analysis/, 'the ledger was not replayed through detection');
    assert.equal(body(join(out, 'second.html')), body(join(out, 'first.html')));
  } finally {
    writeFileSync(requests, pristine);
    utimesSync(requests, STAMP, STAMP);
  }
});
