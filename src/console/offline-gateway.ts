import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../config/load.js';
import type { MoatConfig } from '../config/schema.js';
import { startGateway, type Gateway } from '../gateway/gateway.js';
import { openStore, sqliteConfig } from '../store/open-store.js';
import { loadTrafficSet } from './load-set.js';

export interface OfflineSource {
  /** A gateway's SQLite ledger. */
  db?: string;
  /** A traffic set (TRAFFIC.md), loaded into a fresh ledger first. */
  set?: string;
  /** Settings laid over the defaults (console users, tiers with terms, port). */
  config?: Record<string, unknown>;
}

// Detection rebuilds its state from the whole ledger, whatever its age: a recorded set is old.
const ALL_OF_IT_DAYS = 365_000;

/**
 * A gateway over a ledger that is not live: a copy of production's database or a traffic set.
 * Reports and the console then read it through the same routes, detection and enforcement as
 * a live gateway, so their figures cannot drift from what the live console shows.
 */
export async function startOfflineGateway(source: OfflineSource, base?: MoatConfig): Promise<{ gateway: Gateway; config: MoatConfig }> {
  let path = source.db;
  if (!path) {
    if (!source.set) throw new Error('name a ledger (--db PATH) or a traffic set (--set DIR)');
    path = join(mkdtempSync(join(tmpdir(), 'moat-set-')), 'moat.db');
    const store = await openStore(sqliteConfig(path));
    try {
      await loadTrafficSet(store, source.set);
    } finally {
      await store.close();
    }
  }
  const tiers = base?.tiers ?? (await tiersOf(path));
  const config = parseConfig(
    {
      ...base,
      server: { ...base?.server, port: 0, host: '127.0.0.1' },
      admin: { token: base?.admin.token ?? randomBytes(24).toString('hex') },
      store: { driver: 'sqlite', path },
      tiers,
      detection: { ...base?.detection, enabled: true, warmUpDays: ALL_OF_IT_DAYS },
      ...source.config,
    },
    {},
  );
  return { gateway: await startGateway(config, { logger: pino({ level: 'warn' }) }), config };
}

/** Without a config file, every tier the ledger's accounts name, with no limits on models. */
async function tiersOf(path: string): Promise<Record<string, { models: string[] }>> {
  const store = await openStore(sqliteConfig(path));
  try {
    const accounts = await store.accounts.list();
    const names = accounts.length > 0 ? new Set(accounts.map((a) => a.tier)) : ['default'];
    return Object.fromEntries([...names].map((tier) => [tier, { models: ['*'] }]));
  } finally {
    await store.close();
  }
}
