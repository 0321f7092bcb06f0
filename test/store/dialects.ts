import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
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

export interface CaseDatabase {
  under: StoreUnderTest;
  /** Closes every store the case opened and leaves nothing of its rows behind. */
  dispose(): Promise<void>;
}

export interface Dialect {
  name: 'sqlite' | 'postgres';
  /** The reason the dialect's cases are skipped, or false. */
  skip: string | false;
  /** Once per run: `create` gives each case an empty database, `stop` drops whatever the run made. */
  start(): Promise<{ create(): Promise<CaseDatabase>; stop(): Promise<void> }>;
}

function tracked(dialect: Dialect['name'], config: StoreConfig, postgresUrl: string | undefined, drop: () => Promise<void>): Promise<CaseDatabase> {
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
  async start() {
    const dir = mkdtempSync(join(tmpdir(), 'moat-store-'));
    let cases = 0;
    return {
      // A file per case: cheaper than emptying one.
      create: () => tracked('sqlite', sqliteConfig(join(dir, `case-${++cases}.db`)), undefined, async () => undefined),
      stop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

// Every table a migration makes, emptied between cases (a database per case costs about a second each).
const EMPTY = `TRUNCATE requests, api_keys, accounts, limit_overrides, audit_log, account_usage;
  UPDATE change_versions SET version = 0;
  ALTER DATABASE %DB% RESET ALL;`;

const postgresSkip = await requireService('postgres', postgresProbe());

const postgres: Dialect = {
  name: 'postgres',
  skip: postgresSkip,
  async start() {
    const database = await temporaryDatabase('store');
    const config: StoreConfig = { driver: 'postgres', path: '', url: database.url, poolSize: 4, changes: { listen: true } };
    const name = new URL(database.url).pathname.slice(1);
    const empty = async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        // Before the first case the tables do not exist yet: the first store migrates.
        const { rows } = await client.query("SELECT 1 FROM pg_tables WHERE tablename = 'requests'");
        if (rows.length > 0) await client.query(EMPTY.replace('%DB%', name));
      } finally {
        await client.end();
      }
    };
    return {
      create: async () => {
        await empty();
        return tracked('postgres', config, database.url, async () => undefined);
      },
      stop: () => database.drop(),
    };
  },
};

/** Every dialect the store suite runs against (Kysely's test setup does the same loop). */
export const DIALECTS: readonly Dialect[] = [sqlite, postgres];
