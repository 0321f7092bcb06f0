/**
 * The store at scale-out: ledger insert rate (PostgreSQL beside SQLite, batches as the ledger
 * writer commits them), the time a key revocation takes to reach a second gateway on the same
 * PostgreSQL database (LISTEN/NOTIFY, and Redis pub/sub), and what an idle gateway costs.
 * Prints a Markdown section for BENCHMARKS.md.
 *   npx tsx bench/store-bench.ts [--rows 100000]
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { toRow } from '../src/ledger/ledger-rows.js';
import type { LedgerRecord } from '../src/ledger/record.js';
import { openStore, sqliteConfig, type StoreConfig } from '../src/store/open-store.js';
import { admin, ADMIN_TOKEN } from '../test/helpers/gateway-fixture.js';
import { dropPrefix, REDIS_URL, temporaryDatabase, uniquePrefix } from '../test/helpers/services.js';
import { spawnReplicas, spawnServe, seedAccount } from '../test/helpers/spawned-gateways.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, revocations: { type: 'string', default: '30' } } });
const ROWS = Number(values.rows);
const REVOCATIONS = Number(values.revocations);
const log = (message: string) => process.stderr.write(`${message}\n`);

function record(i: number, t0: number): LedgerRecord {
  const words = `question ${i} about the history of distributed systems and how consensus protocols handle partitions`;
  return {
    id: `req_${t0.toString(36)}_${i}`,
    ts: new Date(t0 + i).toISOString(),
    account: `acct_${i % 500}`,
    key: `key_${i % 900}`,
    ip: `198.51.100.${i % 250}`,
    user_agent: 'OpenAI/Python 1.40.0',
    endpoint: '/v1/chat/completions',
    request: { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: `${words} ${words}` }], max_tokens: 256 },
    response: { text: `An answer of a few sentences to ${words}. `.repeat(4), finish_reason: 'stop' },
    usage: { prompt_tokens: 48, completion_tokens: 120 },
    status: 200,
    latency_ms: 420,
    model: 'gpt-4o-mini',
    stream: i % 2 === 0,
    aborted: false,
    usage_source: 'upstream',
    error_code: null,
  };
}

/** Rows per second committing `rows` records in batches of `batch`, one batch at a time (the ledger writer's pattern). */
async function insertRate(config: StoreConfig, batch: number): Promise<number> {
  const store = await openStore(config);
  try {
    const t0 = Date.now();
    const records = Array.from({ length: ROWS }, (_, i) => record(i, t0));
    const started = performance.now();
    for (let i = 0; i < records.length; i += batch) await store.ledger.insertBatch(records.slice(i, i + batch).map(toRow));
    return ROWS / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
  }
}

async function attempt(client: OpenAI): Promise<string> {
  try {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
    return 'ok';
  } catch (error) {
    return error instanceof OpenAI.APIError ? String(error.code) : 'failed';
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/**
 * A key made on the first gateway, then revoked there: the time from the revocation's answer
 * to the first request the second gateway refuses, requests sent back to back (each one a few
 * ms, which bounds the resolution).
 */
async function revocationPropagation(changes: Record<string, unknown>, prefix: string): Promise<number[]> {
  const database = await temporaryDatabase('bench');
  const replicas = await spawnReplicas(2, { store: { changes }, enforcement: { redis: { url: REDIS_URL, keyPrefix: prefix } } }, {}, database.url);
  try {
    const [first, second] = replicas.urls as [string, string];
    const times: number[] = [];
    for (let i = 0; i < REVOCATIONS; i++) {
      const made = await admin(first, 'POST', `/admin/accounts/${replicas.account}/keys`, { name: `bench-${i}` });
      const client = new OpenAI({ baseURL: `${second}/v1`, apiKey: made.body.secret, maxRetries: 0 });
      while ((await attempt(client)) !== 'ok') await sleep(5);
      await admin(first, 'POST', `/admin/keys/${made.body.key.id}/revoke`);
      const revokedAt = performance.now();
      while ((await attempt(client)) !== 'invalid_api_key') if (performance.now() - revokedAt > 10_000) throw new Error('revocation never arrived');
      times.push(performance.now() - revokedAt);
    }
    return times.sort((a, b) => a - b);
  } finally {
    await replicas.close();
    await database.drop();
  }
}

const TICKS = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime
}

/** Share of one core a gateway with no traffic uses over 10 s, after 5 s to settle from start-up. */
async function idleCpu(config: Record<string, unknown>, db: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'moat-idle-'));
  const configPath = join(dir, 'moat.json');
  writeFileSync(configPath, JSON.stringify({ admin: { token: ADMIN_TOKEN }, ledger: { localDir: dir }, ...config }));
  await seedAccount(db, 'acct_idle');
  const { child } = await spawnServe({ configPath, dbPath: db, upstreamUrl: 'http://127.0.0.1:9' });
  try {
    await sleep(5_000);
    const before = cpuSeconds(child.pid!);
    const started = performance.now();
    await sleep(10_000);
    return (cpuSeconds(child.pid!) - before) / ((performance.now() - started) / 1000);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

const prefix = uniquePrefix('bench');
const sqliteDir = mkdtempSync(join(tmpdir(), 'moat-bench-'));
try {
  const inserts: string[] = [];
  for (const batch of [500, 100]) {
    const database = await temporaryDatabase('bench');
    try {
      log(`postgres inserts, batch ${batch}`);
      const pgRate = await insertRate({ driver: 'postgres', path: '', url: database.url, poolSize: 2, changes: { listen: false } }, batch);
      log(`sqlite inserts, batch ${batch}`);
      const sqliteRate = await insertRate(sqliteConfig(join(sqliteDir, `b${batch}.db`)), batch);
      inserts.push(`| ${batch} | ${Math.round(pgRate).toLocaleString('en')} | ${Math.round(sqliteRate).toLocaleString('en')} |`);
    } finally {
      await database.drop();
    }
  }
  log('revocation propagation');
  const notify = await revocationPropagation({ listen: true }, `${prefix}listen:`);
  const relay = await revocationPropagation({ listen: false, redis: { url: REDIS_URL, channelPrefix: `${prefix}changes:` } }, `${prefix}relay:`);
  log('idle gateways');
  const idleSqlite = await idleCpu({}, join(sqliteDir, 'idle.db'));
  const idleDatabase = await temporaryDatabase('bench');
  let idlePostgres: number;
  try {
    idlePostgres = await idleCpu({ store: { changes: { redis: { url: REDIS_URL, channelPrefix: `${prefix}idle:` } } }, enforcement: { redis: { url: REDIS_URL, keyPrefix: `${prefix}idle:` } }, limits: { backend: 'redis', redis: { url: REDIS_URL, keyPrefix: `${prefix}idle:` } } }, idleDatabase.url);
  } finally {
    await idleDatabase.drop();
  }
  const ms = (v: number) => v.toFixed(1);
  const row = (name: string, t: number[]) => `| ${name} | ${t.length} | ${ms(quantile(t, 0.5))} | ${ms(quantile(t, 0.95))} | ${ms(t[t.length - 1]!)} |`;
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  process.stdout.write(
    [
      `Ledger inserts: ${ROWS.toLocaleString('en')} records of about 1.3 KB (prompt and answer), mapped to rows (\`toRow\`) and committed one batch at a time as the ledger writer does; PostgreSQL 15 on this machine (127.0.0.1, fsync on), into the table with all its indexes.`,
      '',
      '| batch | PostgreSQL rows/s | SQLite rows/s |',
      '|---:|---:|---:|',
      ...inserts,
      '',
      `Key revocation between two \`moat serve\` processes on one PostgreSQL database: a key made on the first, revoked there; the time from the revocation's answer to the first 401 from the second, requests sent back to back (so the figure includes up to one request's latency).`,
      '',
      '| changes carried by | revocations | p50 ms | p95 ms | max ms |',
      '|---|---:|---:|---:|---:|',
      row('PostgreSQL LISTEN/NOTIFY', notify),
      row('Redis pub/sub (listen off)', relay),
      '',
      `Idle gateway (no traffic; CPU from /proc/<pid>/stat over 10 s, after 5 s to settle): SQLite, defaults: ${pct(idleSqlite)} of a core; PostgreSQL store with Redis (changes, enforcement, limits): ${pct(idlePostgres)} of a core. What remains on this branch is the ledger flush and detection drain timers, which the pipeline work removes.`,
    ].join('\n') + '\n',
  );
} finally {
  rmSync(sqliteDir, { recursive: true, force: true });
  await dropPrefix(prefix);
}
