import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { KeyService } from '../../src/auth/key-service.js';
import { openStore, sqliteConfig, storeAt } from '../../src/store/open-store.js';
import { StandInUpstream, type StandInOptions } from '../../src/upstream/stand-in.js';
import { ADMIN_TOKEN, MODELS } from './gateway-fixture.js';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface Replicas {
  urls: string[];
  standIn: StandInUpstream;
  dir: string;
  /** The SQLite file, or the PostgreSQL connection string, every replica shares. */
  dbPath: string;
  configPath: string;
  account: string;
  keyId: string;
  secret: string;
  /** One openai client per replica, all with the same key. */
  clients: OpenAI[];
  close(): Promise<void>;
}

/**
 * Gateways as separate `moat serve` processes on one database (SQLite, or PostgreSQL when
 * `db` is a connection string) in front of one stand-in upstream: replicas as they run in
 * production, each with its own ledger files.
 */
export async function spawnReplicas(count: number, config: Record<string, unknown>, standIn: Partial<StandInOptions> = {}, db?: string): Promise<Replicas> {
  const dir = mkdtempSync(join(tmpdir(), 'moat-replicas-'));
  const dbPath = db ?? join(dir, 'moat.db');
  const configPath = join(dir, 'moat.json');
  const upstream = new StandInUpstream({ models: MODELS, ...standIn });
  const upstreamUrl = await upstream.listen();
  const seeded = await seedAccount(dbPath, 'acct_replicas');
  const configOf = (ledgerDir: string) => JSON.stringify({ admin: { token: ADMIN_TOKEN }, detection: { enabled: false }, ...config, ledger: { ...(config.ledger as object | undefined), localDir: ledgerDir } });
  writeFileSync(configPath, configOf(join(dir, 'cli')));
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const replicaConfig = join(dir, `replica-${i}.json`);
      writeFileSync(replicaConfig, configOf(join(dir, `replica-${i}`)));
      const served = await spawnServe({ configPath: replicaConfig, dbPath, upstreamUrl });
      children.push(served.child);
      urls.push(served.url);
    }
  } catch (error) {
    for (const child of children) child.kill('SIGKILL');
    throw error;
  }
  const { account, issued } = seeded;
  return {
    urls,
    standIn: upstream,
    dir,
    dbPath,
    configPath,
    account,
    keyId: issued.key.id,
    secret: issued.secret,
    clients: urls.map((url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: issued.secret, maxRetries: 0 })),
    async close() {
      await Promise.all(children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      }));
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An account with one key in a fresh database (a SQLite file or a postgres:// URL), made before any gateway opens it. */
export async function seedAccount(db: string, account: string): Promise<{ account: string; issued: Awaited<ReturnType<KeyService['createKey']>> }> {
  const store = await openStore(storeAt(sqliteConfig(db), db));
  const keys = new KeyService(store);
  await keys.upsertAccount({ account, created_at: '2026-01-01T00:00:00.000Z', tier: 'default', country: null, email_domain: null, payment_fingerprint: null, signup_ip: null, verified: true });
  const issued = await keys.createKey(account, 'spawned');
  await store.close();
  return { account, issued };
}

/** One `moat serve` process; resolves once it listens. Its stdout is drained, its stderr inherited. */
export async function spawnServe(options: { configPath: string; dbPath: string; upstreamUrl?: string; env?: Record<string, string> }): Promise<{ child: ChildProcess; url: string }> {
  // Without an upstream URL the config file's upstreams are used.
  const upstream = options.upstreamUrl ? ['--upstream', options.upstreamUrl] : [];
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'serve', '-c', options.configPath, '--db', options.dbPath, '--port', '0', ...upstream];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, MOAT_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { child, url: await listeningUrl(child) };
}

/** The gateway logs its URL as JSON on stdout once it listens. */
async function listeningUrl(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    for await (const line of lines) {
      if (!line.includes('moat gateway listening')) continue;
      return (JSON.parse(line) as { url: string }).url;
    }
    throw new Error(`gateway exited with ${child.exitCode} before listening`);
  } finally {
    clearTimeout(timeout);
    // Closing the reader paused stdout: keep draining it so the child never blocks on a full pipe.
    child.stdout!.resume();
  }
}
