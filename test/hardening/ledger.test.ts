import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { openLedgerFiles } from '../../src/ledger/ledger-files.js';
import { LedgerWriter } from '../../src/ledger/ledger-writer.js';
import type { LedgerRecord } from '../../src/ledger/record.js';
import { countTokens } from '../../src/metering/tokenizer.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FaultUpstream } from '../helpers/fault-upstream.js';
import { FaultyLedger, withFaultyLedger } from '../helpers/faulty-store.js';
import { MODELS, startFixture, type Fixture } from '../helpers/gateway-fixture.js';
import { ledgerRecords, waitForRecord } from '../helpers/ledger.js';

const silent = pino({ level: 'silent' });
const options = { batchSize: 10, flushIntervalMs: 60_000, text: 'full' as const };

const record = (i: number, request: LedgerRecord['request'] = { model: 'm' }): LedgerRecord => ({
  id: `req_${String(i).padStart(4, '0')}`, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(), account: 'acct_a', key: 'key_a',
  ip: '127.0.0.1', user_agent: '', endpoint: '/v1/chat/completions', request, response: { text: 'x', finish_reason: 'stop' },
  usage: { prompt_tokens: i, completion_tokens: 1 }, status: 200, latency_ms: 1, model: 'm', stream: false, aborted: false, usage_source: 'upstream', error_code: null,
});

async function stored(store: SqliteStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const row of store.ledger.scan({})) ids.push(row.id);
  return ids;
}

describe('hardening: the ledger keeps every record', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'moat-ledger-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('F8 a full store spools, SIGTERM (close) spools what is pending and exits clean, and the next start replays it all in order', async () => {
    const dbPath = join(dir, 'f8.db');
    const store = new SqliteStore(dbPath);
    const faulty = new FaultyLedger(store.ledger);
    const writer = new LedgerWriter(faulty, openLedgerFiles(dbPath, undefined, true), options, silent);
    for (let i = 0; i < 25; i++) writer.append(record(i));
    await writer.flush();
    faulty.full = true;
    for (let i = 25; i < 125; i++) writer.append(record(i));
    await writer.flush();
    assert.equal(writer.pending, 0, 'nothing waits in memory: it is in the spool');
    assert.ok(writer.spooledBytes > 0);
    assert.equal(await writer.close(), true, 'close reports everything durable');
    await store.close();

    const reopened = new SqliteStore(dbPath);
    assert.equal((await stored(reopened)).length, 25, 'only what the store took before it filled');
    const next = new LedgerWriter(reopened.ledger, openLedgerFiles(dbPath, undefined, true), options, silent);
    await next.flush();
    const ids = await stored(reopened);
    assert.deepEqual(ids, Array.from({ length: 125 }, (_, i) => record(i).id));
    assert.equal(next.spooledBytes, 0);
    assert.equal(readFileSync(`${dbPath}.ledger-quarantine.jsonl`, 'utf8'), '', 'a full disk is not a poison record');
    await next.close();
    await reopened.close();
  });

  test('F8 only a record the store rejects for its content is quarantined, readable, and the rest of its batch commits', async () => {
    const dbPath = join(dir, 'poison.db');
    const store = new SqliteStore(dbPath);
    const writer = new LedgerWriter(store.ledger, openLedgerFiles(dbPath, undefined, false), options, silent);
    // A request object JSON.stringify cannot write: the store rejects the row, not the disk.
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) deep = { deeper: deep };
    for (let i = 0; i < 5; i++) writer.append(record(i, i === 2 ? (deep as LedgerRecord['request']) : { model: 'm' }));
    assert.equal(await writer.close(), true);
    assert.deepEqual(await stored(store), ['req_0000', 'req_0001', 'req_0003', 'req_0004']);
    const lines = readFileSync(`${dbPath}.ledger-quarantine.jsonl`, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]!) as { reason: string; record: LedgerRecord };
    assert.equal(entry.record.id, 'req_0002');
    assert.deepEqual(entry.record.usage, { prompt_tokens: 2, completion_tokens: 1 });
    await store.close();
  });

  test('F9 after a crash the journal is replayed at start-up; a last line cut off mid-write is quarantined, not lost silently', async () => {
    const dbPath = join(dir, 'torn.db');
    const journal = `${dbPath}.ledger-journal.jsonl`;
    writeFileSync(journal, [record(1), record(2), record(3)].map((r) => JSON.stringify(r)).join('\n') + '\n' + JSON.stringify(record(4)).slice(0, 40));
    const store = new SqliteStore(dbPath);
    const writer = new LedgerWriter(store.ledger, openLedgerFiles(dbPath, undefined, true), options, silent);
    assert.equal(writer.recover(), 3);
    await writer.flush();
    assert.deepEqual(await stored(store), ['req_0001', 'req_0002', 'req_0003']);
    assert.equal(readFileSync(journal, 'utf8'), '', 'emptied once the store has the records');
    const quarantined = JSON.parse(readFileSync(`${dbPath}.ledger-quarantine.jsonl`, 'utf8').trim()) as { from: string; record: string };
    assert.equal(quarantined.from, 'journal');
    assert.ok(quarantined.record.startsWith('{"id":"req_0004"'));
    assert.equal(await writer.close(), true);
    await store.close();
  });

  test('F8 through the gateway: requests served while the store is full are all in the ledger once it is back', async () => {
    let faulty: FaultyLedger | undefined;
    const fixture = await startFixture({
      wrapStore: (store) => {
        const wrapped = withFaultyLedger(store);
        faulty = wrapped.ledger;
        return wrapped.store;
      },
    });
    try {
      const client = fixture.client();
      faulty!.full = true;
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const { response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }] }).withResponse();
        ids.push(response.headers.get('x-request-id')!);
      }
      await fixture.gateway.ledger.flush();
      assert.ok(fixture.gateway.ledger.spooledBytes > 0);
      faulty!.full = false;
      const rows = new Set((await ledgerRecords(fixture.gateway)).map((r) => r.id));
      assert.deepEqual(ids.filter((id) => !rows.has(id)), []);
    } finally {
      assert.equal(await fixture.close(), true);
    }
  });
});

describe('hardening: partial streams', () => {
  let fixture: Fixture;
  let faults: FaultUpstream;
  before(async () => {
    faults = new FaultUpstream();
    const faultUrl = await faults.listen();
    fixture = await startFixture({
      config: {
        upstreams: [
          { name: 'local', baseUrl: 'http://127.0.0.1:9/v1', models: MODELS },
          { name: 'faulty', baseUrl: faultUrl, models: ['fault-*'] },
        ],
        tiers: { default: { models: ['*'] } },
      },
    });
  });
  after(async () => {
    await fixture.close();
    await faults.close();
  });

  test('F7 a stream the upstream resets after three events is metered with the delivered text, not as free', async () => {
    const stream = await fixture.client().chat.completions.create({ model: 'fault-reset', messages: [{ role: 'user', content: 'hello there' }], stream: true }).withResponse();
    const id = stream.response.headers.get('x-request-id')!;
    let received = '';
    await assert.rejects(async () => {
      for await (const chunk of stream.data) received += chunk.choices[0]?.delta?.content ?? '';
    });
    assert.equal(received, 'one two three ');
    const row = await waitForRecord(fixture.gateway, (r) => r.id === id);
    assert.equal(row.status, 502);
    assert.equal(row.error_code, 'upstream_stream_failed');
    assert.equal(row.usage_source, 'tokenizer');
    assert.equal(row.usage.completion_tokens, countTokens(received));
    assert.equal(row.usage.prompt_tokens, countTokens('hello there'));
  });

  test('F7 an upstream 500 and a garbage answer are OpenAI-shaped 502s, each with a ledger row', async () => {
    for (const model of ['fault-error500', 'fault-garbage']) {
      const response = await fetch(`${fixture.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fixture.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
      });
      const id = response.headers.get('x-request-id')!;
      const body = await response.text();
      if (model === 'fault-error500') {
        assert.equal(response.status, 502);
        assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'upstream_error');
      } else {
        // A 200 that is not JSON passes through as the upstream sent it; nothing is read from it.
        assert.equal(response.status, 200);
      }
      await waitForRecord(fixture.gateway, (r) => r.id === id);
    }
  });
});
