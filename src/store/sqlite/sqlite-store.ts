import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { ChangeFeed } from '../change-feed.js';
import type { Store } from '../store.js';
import { migrations } from './migrations.js';
import { SqliteAuditRepository } from './sqlite-audit.js';
import { SqliteAccountRepository } from './sqlite-accounts.js';
import { SqliteKeyRepository } from './sqlite-keys.js';
import { SqliteLedgerRepository } from './sqlite-ledger.js';
import { SqliteLimitOverrideRepository } from './sqlite-limit-overrides.js';
import { SqliteUsageQueries } from './sqlite-usage.js';
import { sqliteChanges } from './sqlite-versions.js';

export class SqliteStore implements Store {
  readonly accounts: SqliteAccountRepository;
  readonly keys: SqliteKeyRepository;
  readonly ledger: SqliteLedgerRepository;
  readonly limitOverrides: SqliteLimitOverrideRepository;
  readonly usage: SqliteUsageQueries;
  readonly audit: SqliteAuditRepository;
  readonly changes: ChangeFeed;
  private readonly db: Database.Database;
  private readonly watcher: FSWatcher | undefined;

  constructor(path: string) {
    this.db = new Database(path);
    // WAL lets the CLI and other readers work while the gateway writes; NORMAL is durable
    // across process crashes, which is the failure the ledger must survive.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    const { feed, write } = sqliteChanges(this.db);
    this.changes = feed;
    this.accounts = new SqliteAccountRepository(this.db, write);
    this.keys = new SqliteKeyRepository(this.db, write);
    this.ledger = new SqliteLedgerRepository(this.db);
    this.limitOverrides = new SqliteLimitOverrideRepository(this.db, write);
    this.usage = new SqliteUsageQueries(this.db);
    this.audit = new SqliteAuditRepository(this.db, write);
    this.watcher = this.db.memory ? undefined : watchCommits(path, () => feed.wake());
  }

  private migrate(): void {
    const applied = this.db.pragma('user_version', { simple: true }) as number;
    for (let version = applied; version < migrations.length; version++) {
      this.db.transaction(() => {
        this.db.exec(migrations[version]!);
        this.db.pragma(`user_version = ${version + 1}`);
      }).immediate();
    }
  }

  async close(): Promise<void> {
    this.watcher?.close();
    this.db.close();
  }
}

/**
 * Another process's commit (the CLI, a second gateway on this file) lands in the WAL file:
 * inotify reports it, so nothing has to poll the database. The folder is watched, not the file,
 * because SQLite removes and recreates the WAL.
 */
function watchCommits(path: string, onCommit: () => void): FSWatcher {
  const file = basename(path);
  const names = new Set([file, `${file}-wal`]);
  const watcher = watch(dirname(resolve(path)), { persistent: false }, (_event, name) => {
    if (name !== null && names.has(name)) onCommit();
  });
  // A folder that disappears (a test's temp dir) ends the watch; nothing else to do.
  watcher.on('error', () => watcher.close());
  return watcher;
}
