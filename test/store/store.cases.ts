import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { ChangeVersions } from '../../src/store/change-feed.js';
import type { ApiKeyRecord, AuditDraft, AuditEntry, LedgerRow, Store } from '../../src/store/store.js';
import type { AccountRecord } from '../../src/traffic/types.js';
import type { StoreUnderTest } from './dialects.js';

/** The cases every dialect must pass, as Hono's router cases run against every router. */
export type StoreCase = (t: StoreUnderTest) => Promise<void>;

const T0 = Date.parse('2026-03-01T00:00:00.000Z');

export const account = (id: string, tier = 'default'): AccountRecord => ({
  account: id,
  created_at: '2026-01-01T00:00:00.000Z',
  tier,
  country: 'DE',
  email_domain: null,
  payment_fingerprint: 'pf_1',
  signup_ip: null,
  verified: true,
});

const key = (id: string, owner: string, at: number): ApiKeyRecord => ({
  id,
  account: owner,
  hash: `hash_${id}`,
  prefix: 'sk-moat-ab',
  name: null,
  createdAt: at,
  revokedAt: null,
  expiresAt: null,
  updatedAt: at,
});

export function row(id: string, tsMs: number, overrides: Partial<LedgerRow> = {}): LedgerRow {
  return {
    id,
    ts: new Date(tsMs).toISOString(),
    ts_ms: tsMs,
    account: 'acct_a',
    key: 'key_a',
    ip: '192.0.2.1',
    user_agent: 'test',
    endpoint: '/v1/chat/completions',
    model: 'gpt-4o-mini',
    request: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `prompt ${id} – ünïcode ✓` }] }),
    response: JSON.stringify({ text: `answer ${id}`, finish_reason: 'stop' }),
    prompt_tokens: 10,
    completion_tokens: 20,
    status: 200,
    latency_ms: 12,
    stream: false,
    aborted: false,
    usage_source: 'upstream',
    error_code: null,
    ...overrides,
  };
}

async function all<T>(items: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const seal = (draft: AuditDraft, last: AuditEntry | undefined): AuditEntry => {
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? '';
  return { ...draft, seq, prevHash, hash: createHash('sha256').update(`${prevHash}${seq}${JSON.stringify(draft)}`).digest('hex') };
};

const draft = (account: string | null, action: string, data: unknown = { n: 1 }): AuditDraft => ({
  at: new Date(T0).toISOString(),
  account,
  campaign: null,
  action,
  actor: 'alice',
  reason: 'test',
  data,
});

/** Waits, a bounded number of times, for `check` to hold; returns whether it did. */
async function eventually(check: () => Promise<boolean> | boolean, attempts = 250): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await sleep(20);
  }
  return false;
}

async function seedLedger(store: Store): Promise<void> {
  await store.accounts.upsert(account('acct_a'));
  await store.accounts.upsert(account('acct_b'));
  await store.ledger.insertBatch([
    row('r1', T0, { key: 'key_1', ip: '192.0.2.1' }),
    row('r2', T0 + 1_000, { key: 'key_1', ip: '192.0.2.2', prompt_tokens: 5 }),
    row('r3', T0 + 61_000, { key: 'key_2', ip: '192.0.2.2', model: null }),
    row('r4', T0 + 2_000, { account: 'acct_b', key: 'key_b', completion_tokens: 100, model: 'o3' }),
    row('r5', T0 + 3_600_000, { account: 'acct_b', key: 'key_b', status: 429, prompt_tokens: 0, completion_tokens: 0, error_code: 'rate_limited' }),
  ]);
}

export const storeCases: Record<string, StoreCase> = {
  async 'accounts: upsert replaces every field, get and list (ordered by id)'({ store }) {
    await store.accounts.upsert(account('acct_b'));
    await store.accounts.upsert(account('acct_a', 'free'));
    await store.accounts.upsert({ ...account('acct_a', 'pro'), country: null, verified: false });
    assert.deepEqual(await store.accounts.get('acct_a'), { ...account('acct_a', 'pro'), country: null, verified: false });
    assert.equal(await store.accounts.get('acct_missing'), undefined);
    assert.deepEqual((await store.accounts.list()).map((a) => [a.account, a.tier]), [['acct_a', 'pro'], ['acct_b', 'default']]);
  },

  async 'keys: insert, lists in creation order, an update keeps what it does not name, changedSince, hashes unique'({ store }) {
    await store.accounts.upsert(account('acct_a'));
    await store.accounts.upsert(account('acct_b'));
    await store.keys.insert(key('k2', 'acct_a', T0 + 10));
    await store.keys.insert(key('k1', 'acct_a', T0));
    await store.keys.insert(key('k3', 'acct_b', T0 + 5));
    assert.deepEqual((await store.keys.listByAccount('acct_a')).map((k) => k.id), ['k1', 'k2']);
    assert.deepEqual((await store.keys.list()).map((k) => k.id), ['k1', 'k2', 'k3']);
    await store.keys.update('k1', { expiresAt: T0 + 500 }, T0 + 100);
    await store.keys.update('k1', { revokedAt: T0 + 200 }, T0 + 200);
    assert.deepEqual(await store.keys.get('k1'), { ...key('k1', 'acct_a', T0), expiresAt: T0 + 500, revokedAt: T0 + 200, updatedAt: T0 + 200 });
    assert.deepEqual((await store.keys.changedSince(T0 + 10)).map((k) => k.id).sort(), ['k1', 'k2']);
    await assert.rejects(store.keys.insert({ ...key('k4', 'acct_a', T0), hash: 'hash_k1' }), 'a hash is one key');
    await assert.rejects(store.keys.insert(key('k5', 'acct_nobody', T0)), 'a key needs its account');
  },

  async 'ledger: rows come back exactly, in (ts, id) order across pages, filtered by range and account'({ store }) {
    const rows = [
      row('b', T0 + 5, { stream: true, aborted: true, model: null, usage_source: 'tokenizer', error_code: 'upstream_error', status: 502 }),
      row('a', T0 + 5),
      row('c', T0),
      row('d', T0 + 9, { account: 'acct_b' }),
      row('e', Date.parse('2099-12-31T23:59:59.999Z')),
    ];
    await store.ledger.insertBatch(rows);
    const scanned = await all(store.ledger.scan({}, 2));
    assert.deepEqual(scanned.map((r) => r.id), ['c', 'a', 'b', 'd', 'e']);
    assert.deepEqual(scanned[2], rows[0], 'every column round-trips');
    assert.deepEqual((await all(store.ledger.scan({ sinceMs: T0 + 5, untilMs: T0 + 9 }))).map((r) => r.id), ['a', 'b']);
    assert.deepEqual((await all(store.ledger.scan({ account: 'acct_b' }))).map((r) => r.id), ['d']);
    assert.deepEqual(await all(store.ledger.scan({ account: 'acct_nobody' })), []);
  },

  async 'ledger: a batch is idempotent by id, so a retried commit neither fails nor doubles'({ store }) {
    await store.ledger.insertBatch([row('r1', T0), row('r2', T0 + 1)]);
    await store.ledger.insertBatch([row('r2', T0 + 1, { completion_tokens: 999 }), row('r3', T0 + 2), row('r3', T0 + 2)]);
    const scanned = await all(store.ledger.scan({}));
    assert.deepEqual(scanned.map((r) => [r.id, r.completion_tokens]), [['r1', 20], ['r2', 20], ['r3', 20]]);
    await store.ledger.insertBatch([]);
    const [usage] = await store.usage.byAccount();
    assert.deepEqual([usage!.requests, usage!.completionTokens], [3, 60], 'the per-account totals count each row once');
  },

  async 'ledger: a row the store cannot hold is judged content, other failures are the store state'({ store }) {
    const broken = { ...row('r1', T0), ts: null } as unknown as LedgerRow;
    const error = await store.ledger.insertBatch([broken]).then(() => undefined, (e: unknown) => e);
    assert.ok(error, 'a row without a timestamp is refused');
    assert.equal(store.ledger.rejectsContent(error), true);
    assert.equal(store.ledger.rejectsContent(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), false);
    assert.deepEqual(await all(store.ledger.scan({})), [], 'nothing of the refused batch is stored');
  },

  async 'ledger text: only old rows that still carry text, page by page, and replaced text is not offered again'({ store }) {
    await store.ledger.insertBatch([row('old1', T0), row('old2', T0 + 1), row('old3', T0 + 2), row('new', T0 + 10_000)]);
    const first = await store.ledger.textBefore(T0 + 5_000, 2);
    assert.deepEqual(first.map((r) => r.id), ['old1', 'old2']);
    assert.equal(first[0]!.request, row('old1', T0).request);
    await store.ledger.replaceText(first.map((r) => ({ id: r.id, request: '{}', response: '{"text":"","finish_reason":"stop"}' })));
    assert.deepEqual((await store.ledger.textBefore(T0 + 5_000, 10)).map((r) => r.id), ['old3']);
    const [kept] = await all(store.ledger.scan({ untilMs: T0 + 1 }));
    assert.deepEqual([kept!.request, kept!.response, kept!.completion_tokens], ['{}', '{"text":"","finish_reason":"stop"}', 20]);
  },

  async 'usage: totals, series, per account, per key and ip, per model'({ store }) {
    assert.deepEqual(await store.usage.totals({}), { requests: 0, promptTokens: 0, completionTokens: 0, accounts: 0, firstTs: null, lastTs: null });
    await seedLedger(store);
    assert.deepEqual(await store.usage.totals({}), {
      requests: 5,
      promptTokens: 35,
      completionTokens: 160,
      accounts: 2,
      firstTs: new Date(T0).toISOString(),
      lastTs: new Date(T0 + 3_600_000).toISOString(),
    });
    assert.deepEqual(await store.usage.totals({ accounts: ['acct_a'], sinceMs: T0 + 500 }), {
      requests: 2,
      promptTokens: 15,
      completionTokens: 40,
      accounts: 1,
      firstTs: new Date(T0 + 1_000).toISOString(),
      lastTs: new Date(T0 + 61_000).toISOString(),
    });
    assert.deepEqual(await store.usage.series({ accounts: ['acct_a', 'acct_b'], untilMs: T0 + 3_600_000 }, 60_000), [
      { startMs: T0, requests: 3, promptTokens: 25, completionTokens: 140 },
      { startMs: T0 + 60_000, requests: 1, promptTokens: 10, completionTokens: 20 },
    ]);
    assert.deepEqual(await store.usage.byAccount(), [
      { account: 'acct_a', requests: 3, completionTokens: 60, firstTs: new Date(T0).toISOString(), lastTs: new Date(T0 + 61_000).toISOString() },
      { account: 'acct_b', requests: 2, completionTokens: 100, firstTs: new Date(T0 + 2_000).toISOString(), lastTs: new Date(T0 + 3_600_000).toISOString() },
    ]);
    assert.deepEqual((await store.usage.breakdown('acct_a', 'key')).map((s) => [s.value, s.requests]), [['key_1', 2], ['key_2', 1]]);
    assert.deepEqual((await store.usage.breakdown('acct_a', 'ip')).map((s) => [s.value, s.requests]), [['192.0.2.2', 2], ['192.0.2.1', 1]]);
    assert.deepEqual((await store.usage.byModel({})).map((s) => [s.value, s.requests]), [['gpt-4o-mini', 3], ['(none)', 1], ['o3', 1]]);
  },

  async 'usage: a sample is spread evenly over the matching requests, oldest first'({ store }) {
    await store.ledger.insertBatch(Array.from({ length: 30 }, (_, i) => row(`r${String(i).padStart(2, '0')}`, T0 + i * 1_000, { account: i % 3 === 0 ? 'acct_b' : 'acct_a' })));
    // acct_a holds 20 of the 30: every fourth of them.
    const sample = await store.usage.sampleRequests({ accounts: ['acct_a'] }, 5);
    assert.deepEqual(sample.map((r) => r.id), ['r01', 'r07', 'r13', 'r19', 'r25']);
    assert.equal(sample[0]!.request, row('r01', T0 + 1_000).request, 'whole rows');
    assert.equal((await store.usage.sampleRequests({}, 100)).length, 30);
  },

  async 'limit overrides: put replaces, get, list, changedSince'({ store }) {
    await store.limitOverrides.put({ scope: 'account', subject: 'acct_a', model: '', limits: { requestsPerMinute: 5 }, updatedAt: T0 });
    await store.limitOverrides.put({ scope: 'key', subject: 'key_1', model: 'o3*', limits: { tokensPerDay: null }, updatedAt: T0 + 10 });
    await store.limitOverrides.put({ scope: 'account', subject: 'acct_a', model: '', limits: { requestsPerMinute: 7, tokensPerDay: null }, updatedAt: T0 + 20 });
    assert.deepEqual(await store.limitOverrides.get('account', 'acct_a', ''), { scope: 'account', subject: 'acct_a', model: '', limits: { requestsPerMinute: 7, tokensPerDay: null }, updatedAt: T0 + 20 });
    assert.equal(await store.limitOverrides.get('account', 'acct_a', 'o3*'), undefined);
    assert.deepEqual((await store.limitOverrides.list()).map((o) => [o.scope, o.subject]), [['account', 'acct_a'], ['key', 'key_1']]);
    assert.deepEqual((await store.limitOverrides.changedSince(T0 + 15)).map((o) => o.subject), ['acct_a']);
  },

  async 'audit: a chain sealed on the last entry; newest first, after a seq, per account, scanned in pages'({ store }) {
    for (let i = 0; i < 5; i++) await store.audit.append(draft(i % 2 === 0 ? 'acct_a' : null, `action_${i}`, { i, nested: { z: 1, a: [i] } }), seal);
    assert.deepEqual((await store.audit.list({ limit: 2 })).map((e) => e.seq), [5, 4]);
    assert.deepEqual((await store.audit.list({ afterSeq: 3 })).map((e) => e.seq), [4, 5]);
    assert.deepEqual((await store.audit.list({ account: 'acct_a' })).map((e) => e.seq), [5, 3, 1]);
    assert.deepEqual((await store.audit.list({ account: 'acct_a', afterSeq: 1, limit: 1 })).map((e) => e.seq), [3]);
    const entries = await all(store.audit.scan(2));
    assert.deepEqual(entries.map((e) => e.seq), [1, 2, 3, 4, 5]);
    for (let i = 1; i < entries.length; i++) assert.equal(entries[i]!.prevHash, entries[i - 1]!.hash);
    assert.equal(JSON.stringify(entries[2]!.data), JSON.stringify({ i: 2, nested: { z: 1, a: [2] } }), 'data comes back as written, keys in order');
  },

  async 'audit: appends from two replicas at once never chain onto the same entry'({ store, open }) {
    const other = await open();
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? store : other).audit.append(draft('acct_a', `a${i}`), seal)));
    const entries = await all(store.audit.scan());
    assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    for (let i = 1; i < entries.length; i++) assert.equal(entries[i]!.prevHash, entries[i - 1]!.hash, `entry ${i + 1} seals the one before`);
  },

  async 'changes: every write bumps its topic, ledger rows bump nothing'({ store }) {
    const before = await store.changes.versions();
    await store.accounts.upsert(account('acct_a'));
    await store.keys.insert(key('k1', 'acct_a', T0));
    await store.keys.update('k1', { revokedAt: T0 }, T0);
    await store.limitOverrides.put({ scope: 'account', subject: 'acct_a', model: '', limits: {}, updatedAt: T0 });
    await store.audit.append(draft('acct_a', 'suspend'), seal);
    await store.ledger.insertBatch([row('r1', T0)]);
    const after = await store.changes.versions();
    const moved = (Object.keys(after) as (keyof ChangeVersions)[]).map((topic) => [topic, after[topic] - before[topic]]);
    assert.deepEqual(Object.fromEntries(moved), { accounts: 1, keys: 2, limits: 1, audit: 1 });
  },

  async 'changes: a write through one replica wakes the other, with versions that say what moved'({ store, open }) {
    const other = await open();
    const seen: ChangeVersions[] = [];
    other.changes.subscribe((versions) => seen.push(versions), (error) => assert.fail(String(error)));
    const start = await other.changes.versions();
    await store.accounts.upsert(account('acct_a'));
    await store.keys.insert(key('k1', 'acct_a', T0));
    assert.ok(await eventually(() => seen.some((v) => v.keys > start.keys && v.accounts > start.accounts)), 'the other replica was woken with the new versions');
    assert.ok(seen.every((v) => v.limits === start.limits && v.audit === start.audit));
  },

  async 'migrations: reopening keeps every row and version, two replicas opening at once both start'({ store, open }) {
    await store.accounts.upsert(account('acct_a'));
    await store.ledger.insertBatch([row('r1', T0)]);
    const versions = await store.changes.versions();
    const [again, third] = await Promise.all([open(), open()]);
    assert.deepEqual(await again.accounts.get('acct_a'), account('acct_a'));
    assert.equal((await all(third.ledger.scan({}))).length, 1);
    assert.deepEqual(await again.changes.versions(), versions);
  },
};

/** PostgreSQL only: the console's and limits' queries are served by indexes, never a sequential scan of the ledger. */
export async function assertNoLedgerScans(t: StoreUnderTest): Promise<void> {
  const url = t.postgresUrl!;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const database = new URL(url).pathname.slice(1);
    // Only in this test's own database: with sequential scans priced out, the planner uses an index wherever one serves the query.
    await admin.query(`ALTER DATABASE ${database} SET enable_seqscan = off`);
    const store = await t.open();
    await seedLedger(store);
    const scans = async () => {
      const { rows } = await admin.query<{ seq_scan: string; idx: string }>(
        "SELECT seq_scan, coalesce(idx_scan, 0) AS idx FROM pg_stat_user_tables WHERE relname = 'requests'",
      );
      return { seq: Number(rows[0]!.seq_scan), idx: Number(rows[0]!.idx) };
    };
    const before = await scans();
    const filter = { accounts: ['acct_a'], sinceMs: T0, untilMs: T0 + 86_400_000 };
    await store.usage.totals(filter);
    await store.usage.totals({ sinceMs: T0 });
    await store.usage.series(filter, 60_000);
    await store.usage.series({ sinceMs: T0 }, 60_000);
    await store.usage.breakdown('acct_a', 'key');
    await store.usage.breakdown('acct_a', 'ip');
    await store.usage.byModel(filter);
    await store.usage.byAccount();
    await store.usage.sampleRequests(filter, 5);
    await all(store.ledger.scan({ account: 'acct_a' }));
    await all(store.ledger.scan({ sinceMs: T0 }));
    await store.ledger.textBefore(T0 + 10, 10);
    // Closing ends the store's sessions, which reports their statistics.
    await store.close();
    let after = before;
    for (let i = 0; i < 100 && after.idx <= before.idx; i++) {
      await admin.query('SELECT pg_stat_clear_snapshot()');
      after = await scans();
      if (after.idx <= before.idx) await sleep(50);
    }
    assert.ok(after.idx > before.idx, 'the statistics arrived');
    assert.equal(after.seq - before.seq, 0, 'no sequential scan of the ledger table');
  } finally {
    await admin.end();
  }
}
