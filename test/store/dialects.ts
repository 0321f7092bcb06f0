import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, sqliteConfig, type StoreConfig } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { postgresProbe, requireService, temporaryDatabase } from '../helpers/services.js';

/** One empty database of a dialect, opened as many times as a case needs (replicas). */
export interface StoreUnderTest {
  dialect: 'sqlite' | 'postgres';
  config: StoreConfig;
  /** The first store on the database, opened before the case runs. */
  store: Store;
  /** Another store on the same database, as a second replica opens it; closed after the case. */
  open(): Promise<Store>;
  /** For the dialect's own checks (query plans, statistics). */
  postgresUrl: string | undefined;
}

export interface Dialect {
  name: 'sqlite' | 'postgres';
  /** The reason the dialect's cases are skipped, or false. */
  skip: string | false;
  /** A fresh database; `dispose` closes every store opened on it and drops it. */
  create(): Promise<{ under: StoreUnderTest; dispose(): Promise<void> }>;
}

function tracked(dialect: Dialect['name'], config: StoreConfig, postgresUrl: string | undefined, drop: () => Promise<void>): Promise<{ under: StoreUnderTest; dispose(): Promise<void> }> {
  const opened: Store[] = [];
  const open = async () => {
    const store = await openStore(config);
    opened.push(store);
    return store;
  };
  return open().then((store) => ({
    under: { dialect, config, store, open, postgresUrl },
    async dispose() {
      await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
      await drop();
    },
  }));
}

const sqlite: Dialect = {
  name: 'sqlite',
  skip: false,
  create() {
    const dir = mkdtempSync(join(tmpdir(), 'moat-store-'));
    return tracked('sqlite', sqliteConfig(join(dir, 'moat.db')), undefined, async () => rmSync(dir, { recursive: true, force: true }));
  },
};

const postgresSkip = await requireService('postgres', postgresProbe());

const postgres: Dialect = {
  name: 'postgres',
  skip: postgresSkip,
  async create() {
    const database = await temporaryDatabase('store');
    const config: StoreConfig = { driver: 'postgres', path: '', url: database.url, poolSize: 4, changes: { listen: true } };
    try {
      return await tracked('postgres', config, database.url, () => database.drop());
    } catch (error) {
      await database.drop();
      throw error;
    }
  },
};

/** Every dialect the store suite runs against (Kysely's test setup does the same loop). */
export const DIALECTS: readonly Dialect[] = [sqlite, postgres];
