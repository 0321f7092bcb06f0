import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toRow } from '../../src/ledger/ledger-rows.js';
import { pino } from 'pino';
import type { DetectionEngine } from '../../src/detect/index.js';
import { DetectionTap } from '../../src/events/detection-tap.js';
import { InFlight } from '../../src/gateway/in-flight.js';
import type { LedgerRecord } from '../../src/ledger/record.js';
import { tokenCounter } from '../../src/metering/tokenizer.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { TrafficRequest } from '../../src/traffic/types.js';
import { startFixture, type Fixture } from '../helpers/gateway-fixture.js';
import { waitForRecord } from '../helpers/ledger.js';

const user = (content: string) => ({ role: 'user', content });

async function post(fixture: Fixture, body: unknown, path = '/v1/chat/completions'): Promise<{ status: number; body: any; id: string }> {
  const response = await fetch(`${fixture.gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fixture.secret}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), id: response.headers.get('x-request-id')! };
}

/** An engine that throws on requests of one user, as a detection bug would on one odd record. */
class ThrowingEngine implements DetectionEngine {
  readonly seen: string[] = [];
  addAccount(): void {}
  observe(request: TrafficRequest): void {
    if (request.request.user === 'poison') throw new TypeError('Cannot convert undefined or null to object');
    this.seen.push(request.id);
  }
  assessment(): undefined {
    return undefined;
  }
  verdicts(): [] {
    return [];
  }
  campaigns(): [] {
    return [];
  }
  grouped(): [] {
    return [];
  }
}

const record = (id: string, ts: string, user: string): LedgerRecord => ({
  id, ts, account: 'acct_a', key: 'key_a', ip: '127.0.0.1', user_agent: '', endpoint: '/v1/chat/completions',
  request: { model: 'm', messages: [{ role: 'user', content: 'hi' }], user, logit_bias: null } as unknown as LedgerRecord['request'],
  response: { text: 'x', finish_reason: 'stop' }, usage: { prompt_tokens: 1, completion_tokens: 1 }, status: 200, latency_ms: 1,
  model: 'm', stream: false, aborted: false, usage_source: 'upstream', error_code: null,
});

describe('hardening: input at the edge', () => {
  let fixture: Fixture;
  let limited: Fixture;
  before(async () => {
    fixture = await startFixture();
    limited = await startFixture({ config: { limits: { tiers: { default: { account: { tokensPerMinute: 1_000_000 } } } } } });
  });
  after(async () => {
    await fixture.close();
    await limited.close();
  });

  test('F1 a record the detection engine throws on costs only that record: the rest of its drain batch is seen, and warm-up still starts', async () => {
    // The gateway side: logit_bias null is valid OpenAI input and is served and recorded.
    const served = await post(fixture, { model: 'gpt-4o-mini', messages: [user('hi')], logit_bias: null });
    assert.equal(served.status, 200);
    await waitForRecord(fixture.gateway, (r) => r.id === served.id);

    const store = new SqliteStore(`${fixture.dir}/f1.db`);
    const logs: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void logs.push(line) });
    try {
      const engine = new ThrowingEngine();
      const tap = new DetectionTap(engine, store, new InFlight(), logger);
      tap.take(record('req_1', '2026-01-01T00:00:00.001Z', 'ok'));
      tap.take(record('req_2', '2026-01-01T00:00:00.002Z', 'poison'));
      tap.take(record('req_3', '2026-01-01T00:00:00.003Z', 'ok'));
      await tap.drain();
      assert.deepEqual(engine.seen, ['req_1', 'req_3']);
      assert.equal(tap.failedRecords, 1);
      assert.equal(logs.length, 1, 'logged once');
      assert.match(logs[0]!, /req_2/);
      await tap.close();

      // Warm-up replays the ledger, poison record included: start-up goes on.
      await store.ledger.insertBatch([record('req_4', new Date().toISOString(), 'poison'), record('req_5', new Date().toISOString(), 'ok')].map(toRow));
      const restarted = new ThrowingEngine();
      const warm = new DetectionTap(restarted, store, new InFlight(), logger);
      assert.equal(await warm.warmUp(0), 2);
      assert.deepEqual(restarted.seen, ['req_5']);
      await warm.close();
    } finally {
      await store.close();
    }
  });

  test('F2 a null message is a 400 naming it, with or without a token limit, and leaves a ledger row; the gateway goes on and shuts down', async () => {
    for (const target of [fixture, limited]) {
      const refused = await post(target, { model: 'gpt-4o-mini', messages: [null, user('second')] });
      assert.equal(refused.status, 400);
      assert.deepEqual(Object.keys(refused.body.error).sort(), ['code', 'message', 'param', 'type']);
      assert.equal(refused.body.error.code, 'invalid_request');
      assert.equal(refused.body.error.param, 'messages[0]');
      const row = await waitForRecord(target.gateway, (r) => r.id === refused.id);
      assert.equal(row.status, 400);
      assert.equal(row.error_code, 'invalid_request');
      assert.equal((await post(target, { model: 'gpt-4o-mini', messages: [user('after')] })).status, 200);
    }
    // Nothing was left in flight: close(), SIGTERM's path, returns (the suite's after() hangs otherwise).
    assert.equal(await limited.close(), true);
    limited = await startFixture();
  });

  test('F3 tokenizing is bounded: long runs are counted in short slices, and text past the limit is estimated from its head', () => {
    const calls: string[] = [];
    const counter = tokenCounter(16_384, (text) => {
      calls.push(text);
      return Math.ceil(text.length / 4);
    });
    for (const text of ['a'.repeat(100_000), '\u4e00'.repeat(1_000_000), 'word '.repeat(50_000)]) {
      calls.length = 0;
      const count = counter(text);
      assert.ok(count > 0);
      const counted = calls.reduce((sum, call) => sum + call.length, 0);
      assert.ok(counted <= 16_384, `at most the limit is tokenized (${counted})`);
      for (const call of calls) assert.ok(!/\S{49,}/.test(call), 'no run longer than a slice reaches BPE');
    }
    // Below the limit the count is exact for prose and within 1% for a run without spaces.
    const exact = tokenCounter();
    assert.equal(exact('hello world, how are you'), 6);
    const run = exact('a'.repeat(16_000));
    assert.ok(Math.abs(run - 2000) <= 20, `run of a: ${run}`);
  });

  test('F3 a 100 KB run and a 1 MB body are answered, and /healthz answers right after', async () => {
    const big = await startFixture({ config: { server: { port: 0, bodyLimitBytes: 4 * 1024 * 1024 }, limits: { tiers: { default: { account: { tokensPerMinute: 10_000_000 } } } } } });
    try {
      for (const size of [100_000, 1_000_000]) {
        const answered = await post(big, { model: 'gpt-4o-mini', messages: [user('a'.repeat(size))] });
        assert.equal(answered.status, 200);
        assert.equal((await fetch(`${big.gateway.url}/healthz`)).status, 200);
        const row = await waitForRecord(big.gateway, (r) => r.id === answered.id);
        assert.ok(row.usage.prompt_tokens > size / 10, 'metered, not free');
      }
    } finally {
      await big.close();
    }
  });

  test('F6 a body nested 5,000 deep is a 400 naming the field, and still leaves a ledger row', async () => {
    // Written out by hand: JSON.stringify itself overflows on such a value.
    const metadata = '{"deeper":'.repeat(5_000) + '"bottom"' + '}'.repeat(5_000);
    const refused = await post(fixture, `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"metadata":${metadata}}`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'invalid_request');
    assert.equal(refused.body.error.param, 'metadata');
    const row = await waitForRecord(fixture.gateway, (r) => r.id === refused.id);
    assert.equal(row.status, 400);
    assert.deepEqual(row.request, { model: 'gpt-4o-mini' });
  });

  test('F6 invalid JSON and invalid UTF-8 from a known key are 400 invalid_json with a ledger row each', async () => {
    for (const body of ['{"model": "gpt-4o-mini", "messages": [', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])]) {
      const response = await fetch(`${fixture.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fixture.secret}`, 'content-type': 'application/json' },
        body,
      });
      assert.equal(response.status, 400);
      const error = ((await response.json()) as { error: { code: string } }).error;
      assert.equal(error.code, 'invalid_json');
      const id = response.headers.get('x-request-id')!;
      const row = await waitForRecord(fixture.gateway, (r) => r.id === id);
      assert.equal(row.error_code, 'invalid_json');
    }
  });
});
