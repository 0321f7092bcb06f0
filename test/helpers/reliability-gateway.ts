import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../src/console/passwords.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { FuzzContext } from './fuzz/cases.js';
import { ADMIN_TOKEN } from './gateway-fixture.js';
import { seedAccount, spawnServe } from './spawned-gateways.js';

export const VIEWER_PASSWORD = 'viewer-password-for-reliability';

export interface ReliabilityGateway {
  /** The current process (a restart replaces it). */
  child: ChildProcess;
  url: string;
  dir: string;
  dbPath: string;
  ctx: FuzzContext;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** A new process on the same database and config (after a crash: it replays the journal). */
  restart(): Promise<void>;
  /** The ids in the ledger (read after the gateway has stopped, or live through WAL). */
  ledgerIds(): Promise<Set<string>>;
  remove(): void;
}

/**
 * `moat serve` as deployed, every surface on: limits (memory), enforcement (shadow), detection,
 * the console with a viewer, trusted X-Forwarded-For (so tests can speak from many addresses).
 */
export async function startReliabilityGateway(options: { upstreamUrl?: string; config?: Record<string, unknown>; dir?: string; dbDir?: string }): Promise<ReliabilityGateway> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'moat-reliability-'));
  const dbPath = join(options.dbDir ?? dir, 'moat.db');
  const configPath = join(dir, 'moat.json');
  const { issued } = await seedAccount(dbPath, 'acct_reliability');
  writeFileSync(
    configPath,
    JSON.stringify({
      admin: { token: ADMIN_TOKEN },
      server: { trustProxy: true, requestTimeoutMs: 3_000, headersTimeoutMs: 3_000 },
      tiers: { default: { models: ['*'] } },
      limits: { tiers: { default: { account: { tokensPerMinute: 1_000_000_000 }, defaultMaxTokens: 256 } } },
      enforcement: { enabled: true },
      console: { users: [{ name: 'viewer', role: 'viewer', passwordHash: await hashPassword(VIEWER_PASSWORD) }] },
      ...options.config,
    }),
  );
  const serve = () => spawnServe({ configPath, dbPath, ...(options.upstreamUrl && { upstreamUrl: options.upstreamUrl }) });
  const { child, url } = await serve();
  const signIn = await fetch(`${url}/console/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.200' },
    body: JSON.stringify({ user: 'viewer', password: VIEWER_PASSWORD }),
  });
  const viewerCookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  const gateway: ReliabilityGateway = {
    child,
    url,
    dir,
    dbPath,
    ctx: { secret: issued.secret, adminToken: ADMIN_TOKEN, viewerCookie },
    async stop() {
      const current = gateway.child;
      if (current.exitCode !== null || current.signalCode !== null) return current.exitCode;
      current.kill('SIGTERM');
      const [code] = (await once(current, 'exit')) as [number | null];
      return code;
    },
    async restart() {
      const next = await serve();
      gateway.child = next.child;
      gateway.url = next.url;
    },
    async ledgerIds() {
      const store = new SqliteStore(dbPath);
      const ids = new Set<string>();
      for await (const row of store.ledger.scan({})) ids.add(row.id);
      await store.close();
      return ids;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return gateway;
}
