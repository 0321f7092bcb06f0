import type { ChangeFeed } from '../change-feed.js';
import type { Store } from '../store.js';
import { migrations } from './migrations.js';
import type { PgConnection, PgPool } from './pg-driver.js';
import { openPool } from './pg-open.js';
import { ChangeListener, inTransaction, postgresChanges } from './pg-versions.js';
import { PostgresAccountRepository } from './postgres-accounts.js';
import { PostgresAuditRepository } from './postgres-audit.js';
import { PostgresKeyRepository } from './postgres-keys.js';
import { PostgresLedgerRepository } from './postgres-ledger.js';
import { PostgresLimitOverrideRepository } from './postgres-limit-overrides.js';
import { PostgresUsageQueries } from './postgres-usage.js';

export interface PostgresStoreOptions {
  poolSize: number;
  /** LISTEN for other replicas' writes (off behind a pooler in transaction mode). */
  listen: boolean;
}

// Any constant: replicas starting at once take turns migrating.
const MIGRATION_LOCK = 7_305_218_461;

export class PostgresStore implements Store {
  readonly accounts: PostgresAccountRepository;
  readonly keys: PostgresKeyRepository;
  readonly ledger: PostgresLedgerRepository;
  readonly limitOverrides: PostgresLimitOverrideRepository;
  readonly usage: PostgresUsageQueries;
  readonly audit: PostgresAuditRepository;
  readonly changes: ChangeFeed;

  private constructor(
    private readonly pool: PgPool,
    private listener: ChangeListener | undefined,
  ) {
    const { feed, write } = postgresChanges(pool);
    this.changes = feed;
    this.accounts = new PostgresAccountRepository(pool, write);
    this.keys = new PostgresKeyRepository(pool, write);
    this.ledger = new PostgresLedgerRepository(pool);
    this.limitOverrides = new PostgresLimitOverrideRepository(pool, write);
    this.usage = new PostgresUsageQueries(pool);
    this.audit = new PostgresAuditRepository(pool, write);
  }

  /** Connects, migrates, and (with `listen`) starts following other replicas' writes. */
  static async open(connection: PgConnection, options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = openPool(connection, options.poolSize);
    // An idle pooled connection that breaks reports here; the next query opens a new one.
    pool.on('error', () => undefined);
    try {
      await migrate(pool);
      const store = new PostgresStore(pool, undefined);
      if (options.listen) {
        const listener = new ChangeListener(connection, store.changes);
        await listener.start();
        store.listener = listener;
      }
      return store;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.listener?.close();
    await this.pool.end();
  }
}

async function migrate(pool: PgPool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS moat_migrations (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM moat_migrations');
    const applied = rows[0]?.version ?? 0;
    for (let version = applied; version < migrations.length; version++) await client.query(migrations[version]!);
    if (rows.length === 0) await client.query('INSERT INTO moat_migrations (version) VALUES ($1)', [migrations.length]);
    else await client.query('UPDATE moat_migrations SET version = $1', [migrations.length]);
  });
}
