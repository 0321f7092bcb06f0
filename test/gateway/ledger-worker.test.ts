import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { pino } from 'pino';
import { createEngine, type AccountAssessment } from '../../src/detect/index.js';
import { DetectionTap } from '../../src/events/detection-tap.js';
import { lineWithBody, WorkerLedgerSink } from '../../src/events/ledger-sink.js';
import { AppendFile } from '../../src/ledger/append-file.js';
import { openLedgerFiles } from '../../src/ledger/ledger-files.js';
import { scanRecords } from '../../src/ledger/ledger-rows.js';
import type { LedgerRecord } from '../../src/ledger/record.js';
import { retainText } from '../../src/ledger/text-retention.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { AccountRecord } from '../../src/traffic/types.js';

const record = (i: number): LedgerRecord => ({
  id: `req_${String(i).padStart(5, '0')}`, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(), account: 'acct_a', key: 'key_a',
  ip: '127.0.0.1', user_agent: '', endpoint: '/v1/chat/completions', request: { model: 'm', messages: [{ role: 'user', content: `q${i}` }] },
  response: { text: 'x', finish_reason: 'stop' }, usage: { prompt_tokens: i, completion_tokens: 1 }, status: 200, latency_ms: 1,
  model: 'm', stream: false, aborted: false, usage_source: 'upstream', error_code: null,
});

/** A fresh store and the journal the main thread writes (the worker keeps spool and quarantine). */
function ledgerIn(dir: string): { storePath: string; journal: AppendFile } {
  const storePath = join(dir, 'moat.db');
  new SqliteStore(storePath).close();
  const files = openLedgerFiles(storePath, undefined, true);
  files.spool.close();
  files.quarantine.close();
  return { storePath, journal: files.journal! };
}

test('the ledger worker commits every record, and under steady load the journal keeps only what is unsettled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-ledger-worker-'));
  try {
    const { storePath, journal } = ledgerIn(dir);
    const options = { batchSize: 50, flushIntervalMs: 1, text: 'full' as const };
    // Compacted whenever it can be (in production only once it is large), so this small load shows it.
    const sink = new WorkerLedgerSink({ storePath, localDir: undefined, options, logLevel: 'silent' }, journal, options, pino({ level: 'silent' }), 0);
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

test('the journal takes the lines of one turn in one write, and journaled() resolves once they are in it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-ledger-journal-'));
  try {
    const { storePath, journal: opened } = ledgerIn(dir);
    opened.close();
    class CountingFile extends AppendFile {
      writes = 0;
      override append(lines: readonly string[]): void {
        this.writes++;
        super.append(lines);
      }
    }
    const journal = new CountingFile(opened.path);
    // A batch window longer than the test: nothing goes to the worker (or leaves the journal) meanwhile.
    const options = { batchSize: 50, flushIntervalMs: 60_000, text: 'full' as const };
    const sink = new WorkerLedgerSink({ storePath, localDir: undefined, options, logLevel: 'silent' }, journal, options, pino({ level: 'silent' }));
    const journalIds = () => [...openLedgerFiles(storePath, undefined, true).journal!.lines()].map((line) => (JSON.parse(line) as LedgerRecord).id);
    assert.equal(sink.journaled(), undefined, 'nothing published: nothing to wait for');
    for (let i = 0; i < 3; i++) sink.publish(record(i));
    const written = sink.journaled();
    assert.ok(written, 'published lines are awaited');
    assert.deepEqual(journalIds(), [], 'not yet written within the turn');
    await written;
    assert.deepEqual(journalIds(), [record(0).id, record(1).id, record(2).id]);
    assert.equal(journal.writes, 1, 'one write for the turn');
    assert.equal(sink.journaled(), undefined);
    sink.publish(record(3));
    await sink.journaled();
    assert.equal(journal.writes, 2);
    assert.equal(await sink.close(), true);
    const store = new SqliteStore(storePath);
    const all: LedgerRecord[] = [];
    for await (const r of scanRecords(store.ledger, {})) all.push(r);
    assert.equal(all.length, 4);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('detection in the ledger worker reads the full text the ledger does not keep, and its verdicts reach the main thread as an engine beside it would give them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-worker-detection-'));
  let after: (() => Promise<boolean>) | undefined;
  try {
    const { storePath, journal } = ledgerIn(dir);
    const accounts: AccountRecord[] = ['acct_h', 'acct_b'].map((account) => ({
      account, created_at: '2025-12-01T00:00:00.000Z', tier: 'default', country: null, email_domain: null, payment_fingerprint: 'card_shared', signup_ip: null, verified: true,
    }));
    const seeded = new SqliteStore(storePath);
    for (const account of accounts) await seeded.accounts.upsert(account);
    await seeded.close();
    // A harvester asking for worked reasoning over many distinct items, and a person chatting.
    const records = Array.from({ length: 120 }, (_, i): LedgerRecord => {
      const harvester = i % 3 !== 0;
      const base = record(i);
      const content = harvester
        ? `Solve the following problem. Think step by step and show your full reasoning before the final answer. Problem ${i}: a train leaves at ${i % 12} o'clock travelling ${40 + i} km/h; when does it arrive ${100 + 7 * i} km away?`
        : `hey, what's a good name for a cat that likes boxes? (${i})`;
      return { ...base, id: `req_${String(i).padStart(4, '0')}`, account: harvester ? 'acct_h' : 'acct_b', ts: new Date(Date.UTC(2026, 0, 1, 9, 0, 0) + i * 60_000).toISOString(), request: { model: 'm', messages: [{ role: 'user', content }] }, usage: { prompt_tokens: 60, completion_tokens: harvester ? 900 : 40 } };
    });
    const options = { batchSize: 50, flushIntervalMs: 1, text: 'none' as const };
    const sink = new WorkerLedgerSink({ storePath, localDir: undefined, options, logLevel: 'silent', detection: {} }, journal, options, pino({ level: 'silent' }), undefined, { oldest: () => Number.POSITIVE_INFINITY });
    // A failed assertion must not leave the worker thread holding the test process open.
    after = () => sink.close();
    const detection = sink.detection!;
    assert.equal(await detection.warmUp(0), 0);
    for (const r of records) sink.publish(r);
    await detection.drain();

    // The same records through an engine on this thread, with their text, and with it stripped as the ledger keeps them.
    const beside = async (fed: LedgerRecord[]) => {
      const store = new SqliteStore(join(dir, `beside-${fed === records ? 'full' : 'kept'}.db`));
      for (const account of accounts) await store.accounts.upsert(account);
      const tap = new DetectionTap(createEngine(), store, { oldest: () => Number.POSITIVE_INFINITY }, pino({ level: 'silent' }));
      for (const r of fed) tap.take(r);
      await tap.close();
      const assessments = tap.assessments();
      const campaigns = tap.campaigns();
      await store.close();
      return { assessments, campaigns };
    };
    const full = await beside(records);
    const kept = await beside(records.map((r) => retainText('none', r)));
    assert.notDeepEqual(full.assessments, kept.assessments, 'the text changes the verdicts, so reading it is what is tested');
    const byAccount = (list: AccountAssessment[]) => [...list].sort((a, b) => a.account.localeCompare(b.account));
    assert.deepEqual(byAccount(detection.assessments()), byAccount(full.assessments));
    assert.deepEqual(detection.campaigns(), full.campaigns);
    after = undefined;
    assert.equal(await sink.close(), true);
    const store = new SqliteStore(storePath);
    for await (const row of scanRecords(store.ledger, {})) assert.deepEqual(row.request.messages, [{ role: 'user', content: '' }], 'the ledger keeps no text');
    await store.close();
  } finally {
    await after?.();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a record's ledger line carries the client's own JSON text as its request, and reads back as the same record", () => {
  const base = record(7);
  const text = '{"model":"m","messages":[{"role":"user","content":"q7 \\u00e9 \\"quoted\\""}],"temperature":0.50}';
  const sent = { ...base, request: JSON.parse(text) as LedgerRecord['request'] };
  const line = lineWithBody(sent, text);
  assert.ok(line.includes(text), 'the text as it arrived, not serialised again');
  assert.deepEqual(JSON.parse(line), sent);
  // Line breaks between a body's tokens would split a JSON line: such a body is serialised.
  const pretty = JSON.stringify(sent.request, null, 2);
  const safe = lineWithBody(sent, pretty);
  assert.ok(!safe.includes('\n'));
  assert.deepEqual(JSON.parse(safe), sent);
});
