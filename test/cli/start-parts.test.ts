import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { loadOrCreateCredentials } from '../../src/cli/credentials.js';
import { progressBar } from '../../src/cli/progress.js';
import { storeConfigOf } from '../../src/cli/store-options.js';
import { parseConfig } from '../../src/config/load.js';

function sink(tty: boolean): { out: PassThrough & { isTTY?: boolean }; text: () => string } {
  const out: PassThrough & { isTTY?: boolean } = new PassThrough();
  out.isTTY = tty;
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { out, text: () => text };
}

test('progress: a bar redrawn in place on a terminal, plain lines elsewhere', () => {
  const terminal = sink(true);
  const bar = progressBar(terminal.out, 200, 'requests');
  for (let done = 0; done <= 200; done += 50) bar.update(done);
  bar.finish(200);
  assert.equal(terminal.text().split('\r').length - 1, 6);
  assert.match(terminal.text(), /100%  200 \/ 200 requests, [\d,]+\/s\n$/);
  assert.equal(terminal.text().split('\n').length, 2, 'one line, ended once');

  const log = sink(false);
  const plain = progressBar(log.out, 1000, 'requests');
  for (let done = 1; done <= 1000; done++) plain.update(done);
  plain.finish(1000);
  assert.ok(!log.text().includes('\r'));
  // A line as each tenth begins (0-90%) and the last, not one per update.
  assert.equal(log.text().trim().split('\n').length, 11);

  // A log read as it streams has no total: a count on a terminal, elsewhere the last count alone.
  const streamed = sink(false);
  const counting = progressBar(streamed.out, undefined, 'requests analyzed');
  for (let done = 2000; done <= 10_000; done += 2000) counting.update(done);
  counting.finish(10_500);
  assert.match(streamed.text(), /^  10,500 requests analyzed, [\d,]+\/s\n$/);
});

test('credentials: made once with an owner-only file, then reused; a foreign file is an error, not replaced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-credentials-'));
  try {
    const first = loadOrCreateCredentials(dir);
    assert.equal(first.created, true);
    assert.ok(first.credentials.consolePassword.length >= 20 && first.credentials.adminToken.length >= 32);
    const second = loadOrCreateCredentials(dir);
    assert.deepEqual(second, { credentials: first.credentials, created: false });
    writeFileSync(join(dir, 'credentials.json'), '{"consoleUser":"admin"}');
    assert.throws(() => loadOrCreateCredentials(dir), /not a credentials file Moat wrote/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('store of a CLI command: --db, else the data dir, else the config; ./moat-data without a config', () => {
  const config = parseConfig({ store: { path: '/var/lib/moat/moat.db' } }, {});
  assert.equal(storeConfigOf({ db: 'x.db', dataDir: 'd' }, config, {}).path, 'x.db');
  assert.equal(storeConfigOf({ dataDir: 'd' }, config, {}).path, join('d', 'moat.db'));
  assert.equal(storeConfigOf({ config: 'moat.yaml' }, config, {}).path, '/var/lib/moat/moat.db');
  assert.equal(storeConfigOf({}, config, { MOAT_STORE_PATH: '/var/lib/moat/moat.db' }).path, '/var/lib/moat/moat.db');
  assert.equal(storeConfigOf({}, config, {}).path, join('moat-data', 'moat.db'));
});
