import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StandInUpstream } from '../../src/upstream/stand-in.js';
import { ADMIN_TOKEN, MODELS } from '../helpers/gateway-fixture.js';
import { mixedLoad } from '../helpers/mixed-load.js';
import { seedAccount, spawnServe } from '../helpers/spawned-gateways.js';

/** The exit code, also for a child that has already exited (once() would wait forever). */
async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

async function ledgerIds(dbPath: string): Promise<Set<string>> {
  const store = new SqliteStore(dbPath);
  const ids = new Set<string>();
  for await (const row of store.ledger.scan({})) ids.add(row.id);
  await store.close();
  return ids;
}

const CONCURRENCY = 12;

/** Mixed load that does `act` (a signal to the gateway) once 300 answers are in, then stops sending. */
function loadThen(url: string, secret: string, act: () => void) {
  let acted = false;
  return mixedLoad({
    url,
    secret,
    concurrency: CONCURRENCY,
    maxRequests: 5_000,
    stop: () => acted,
    onAnswer: (result) => {
      if (result.answered.size < 300 || acted) return;
      acted = true;
      act();
    },
  });
}

describe('hardening: crashes and shutdown under mixed load with streams', () => {
  let dir: string;
  let upstream: StandInUpstream;
  let upstreamUrl: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'moat-crash-'));
    // Events 5 ms apart: streams last tens of ms, so many are mid-answer at any moment.
    upstream = new StandInUpstream({ models: MODELS, chunkDelayMs: 5 });
    upstreamUrl = await upstream.listen();
  });
  after(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function gatewayOn(name: string, durability: 'journal' | 'window') {
    const dbPath = join(dir, `${name}.db`);
    const configPath = join(dir, `${name}.json`);
    // A long batch window: without the journal, kill -9 would visibly lose its contents.
    writeFileSync(configPath, JSON.stringify({ admin: { token: ADMIN_TOKEN }, detection: { enabled: false }, ledger: { durability, flushIntervalMs: 2_000 } }));
    const { issued } = await seedAccount(dbPath, `acct_${name}`);
    return { dbPath, configPath, secret: issued.secret };
  }

  test('F9 kill -9 with the journal (the default durability): every answered request is in the ledger after restart; only requests in flight may be missing', async () => {
    const setup = await gatewayOn('kill', 'journal');
    const first = await spawnServe({ ...setup, upstreamUrl });
    const load = await loadThen(first.url, setup.secret, () => first.child.kill('SIGKILL'));
    await exited(first.child);
    assert.ok(load.answered.size >= 300);
    // The restart replays the journal into the store; then a clean stop.
    const second = await spawnServe({ ...setup, upstreamUrl });
    second.child.kill('SIGTERM');
    assert.equal(await exited(second.child), 0);
    const ledger = await ledgerIds(setup.dbPath);
    const lostAnswered = [...load.answered].filter((id) => !ledger.has(id));
    assert.deepEqual(lostAnswered, [], 'no answered request is lost');
    const lostSent = [...load.sent].filter((id) => !ledger.has(id));
    assert.ok(lostSent.length <= CONCURRENCY, `only requests in flight at the kill are missing (${lostSent.length})`);
  });

  test('F9 SIGTERM under mixed load: exit 0, every request Moat took (streams included) is answered and in the ledger', async () => {
    const setup = await gatewayOn('term', 'window');
    const gateway = await spawnServe({ ...setup, upstreamUrl });
    const load = await loadThen(gateway.url, setup.secret, () => gateway.child.kill('SIGTERM'));
    assert.equal(await exited(gateway.child), 0);
    const ledger = await ledgerIds(setup.dbPath);
    const refusedWhileClosing = load.statuses.get(503) ?? 0;
    const taken = [...load.sent].filter((id) => ledger.has(id));
    assert.equal(taken.length + refusedWhileClosing, load.sent.size, 'every response that began is in the ledger, or was a 503 while closing');
    assert.deepEqual([...load.answered].filter((id) => !ledger.has(id)), []);
  });
});
