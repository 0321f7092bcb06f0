import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { pino } from 'pino';
import { WorkerLedgerSink } from '../../src/events/ledger-sink.js';
import { openLedgerFiles } from '../../src/ledger/ledger-files.js';
import { scanRecords } from '../../src/ledger/ledger-rows.js';
import type { LedgerRecord } from '../../src/ledger/record.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const record = (i: number): LedgerRecord => ({
  id: `req_${String(i).padStart(5, '0')}`, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(), account: 'acct_a', key: 'key_a',
  ip: '127.0.0.1', user_agent: '', endpoint: '/v1/chat/completions', request: { model: 'm', messages: [{ role: 'user', content: `q${i}` }] },
  response: { text: 'x', finish_reason: 'stop' }, usage: { prompt_tokens: i, completion_tokens: 1 }, status: 200, latency_ms: 1,
  model: 'm', stream: false, aborted: false, usage_source: 'upstream', error_code: null,
});

test('the ledger worker commits every record, and under steady load the journal keeps only what is unsettled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-ledger-worker-'));
  try {
    const storePath = join(dir, 'moat.db');
    new SqliteStore(storePath).close();
    const files = openLedgerFiles(storePath, undefined, true);
    files.spool.close();
    files.quarantine.close();
    const options = { batchSize: 50, flushIntervalMs: 1, text: 'full' as const };
    const sink = new WorkerLedgerSink({ storePath, localDir: undefined, options, logLevel: 'silent' }, files.journal, options, pino({ level: 'silent' }));
    const journalLines = () => [...openLedgerFiles(storePath, undefined, true).journal!.lines()];
    // The worker is up once it answers.
    assert.equal(await sink.flush(), true);
    let n = 0;
    // Records keep arriving while the worker writes: there is never a moment with nothing unsettled.
    let longest = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 10; i++) sink.publish(record(n++));
      longest = Math.max(longest, journalLines().length);
      await sleep(10);
    }
    assert.ok(longest < n, `the journal was compacted under load (longest ${longest} lines of ${n} published)`);
    // Whatever the journal holds at any moment, together with the store, is every record.
    const store = new SqliteStore(storePath);
    const inStore = new Set<string>();
    for await (const row of store.ledger.scan({})) inStore.add(row.id);
    const inJournal = new Set(journalLines().map((line) => (JSON.parse(line) as LedgerRecord).id));
    assert.deepEqual(Array.from({ length: n }, (_, i) => record(i).id).filter((id) => !inStore.has(id) && !inJournal.has(id)), []);
    assert.equal(await sink.close(), true);
    const all: LedgerRecord[] = [];
    for await (const record of scanRecords(store.ledger, {})) all.push(record);
    assert.equal(all.length, n);
    assert.deepEqual(all.map((r) => r.usage.prompt_tokens), Array.from({ length: n }, (_, i) => i));
    assert.equal(journalLines().length, 0, 'all settled: the journal is empty');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
