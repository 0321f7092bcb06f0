import type { MoatConfig } from '../config/schema.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { relayChanges } from './redis-change-relay.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export type StoreConfig = MoatConfig['store'];

/** Opens (and migrates) the configured store, with the Redis relay of its change feed when configured. */
export async function openStore(config: StoreConfig): Promise<Store> {
  const store: Store =
    config.driver === 'postgres'
      ? await PostgresStore.open({ connectionString: config.url ?? '', password: config.password }, { poolSize: config.poolSize, listen: config.changes.listen })
      : new SqliteStore(config.path);
  if (!config.changes.redis) return store;
  const relay = await relayChanges(store.changes, config.changes.redis);
  const close = store.close.bind(store);
  return Object.assign(store, {
    async close() {
      await relay.close();
      await close();
    },
  });
}

/** A CLI `--db` is a SQLite file, or a PostgreSQL connection string. */
export function storeAt(config: StoreConfig, db: string | undefined): StoreConfig {
  if (db === undefined) return config;
  return /^postgres(ql)?:\/\//.test(db) ? { ...config, driver: 'postgres', url: db } : { ...config, driver: 'sqlite', path: db };
}

/** A SQLite store at `path` with every other setting at its default. */
export function sqliteConfig(path: string): StoreConfig {
  return { driver: 'sqlite', path, poolSize: 1, changes: { listen: false } };
}
