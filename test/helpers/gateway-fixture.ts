import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import OpenAI from 'openai';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { consoleMount } from '../../src/console/start-console.js';
import { startGateway, type Gateway } from '../../src/gateway/gateway.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { StandInUpstream, type StandInOptions } from '../../src/upstream/stand-in.js';

export const MODELS = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small', 'premium-model'];
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

export interface Fixture {
  gateway: Gateway;
  standIn: StandInUpstream;
  standInUrl: string;
  dir: string;
  dbPath: string;
  /** Everything the gateway logged, as written. */
  logs: string[];
  secret: string;
  account: string;
  client(options?: Partial<ConstructorParameters<typeof OpenAI>[0]>): OpenAI;
  direct(): OpenAI;
  /** Whether the gateway committed or spooled every record on the way out. */
  close(): Promise<boolean>;
}

export interface FixtureOptions {
  standIn?: Partial<StandInOptions>;
  config?: Record<string, unknown>;
  /** Wraps the store the gateway uses (tests inject faults this way). */
  wrapStore?: (store: Store) => Store;
}

export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'moat-test-'));
  const dbPath = join(dir, 'moat.db');
  const standIn = new StandInUpstream({ models: MODELS, ...options.standIn });
  const standInUrl = await standIn.listen();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = parseConfig(
    {
      server: { port: 0 },
      admin: { token: ADMIN_TOKEN },
      store: { path: dbPath },
      upstreams: [{ name: 'local', baseUrl: standInUrl, models: MODELS }],
      tiers: { default: { models: ['gpt-4o*', 'text-embedding-*'] }, premium: { models: ['*'] } },
      ledger: { flushIntervalMs: 20 },
      ...options.config,
    },
    {},
  );
  const store = options.wrapStore?.(new SqliteStore(dbPath));
  const gateway = await startGateway(config, { logger: pino({ level: 'debug' }, sink), ...(store && { store }), mount: consoleMount(config) });
  const account = 'acct_fixture';
  await gateway.keys.upsertAccount({
    account,
    created_at: '2026-01-01T00:00:00.000Z',
    tier: 'default',
    country: 'DE',
    email_domain: 'example.com',
    payment_fingerprint: 'pf_test',
    signup_ip: '198.51.100.7',
    verified: true,
  });
  const { secret } = await gateway.keys.createKey(account, 'fixture');
  // Keys made through the service directly reach the gateway's registry by its refresh.
  await waitForKey(gateway.url, secret);
  return {
    gateway,
    standIn,
    standInUrl,
    dir,
    dbPath,
    logs,
    secret,
    account,
    client: (overrides = {}) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: secret, maxRetries: 0, ...overrides }),
    direct: () => new OpenAI({ baseURL: standInUrl, apiKey: 'direct', maxRetries: 0 }),
    async close() {
      const durable = await gateway.close();
      await standIn.close();
      rmSync(dir, { recursive: true, force: true });
      return durable;
    },
  };
}

export async function waitForKey(url: string, secret: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('key never became valid');
}

export async function admin(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
