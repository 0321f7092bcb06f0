import { watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { ChangeFeed } from '../change-feed.js';
import type { Store } from '../store.js';
import { migrations } from './migrations.js';
import { SqliteAuditRepository } from './sqlite-audit.js';
import { SqliteAccountRepository } from './sqlite-accounts.js';
import { SqliteConsoleUserRepository } from './sqlite-console-users.js';
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
  readonly consoleUsers: SqliteConsoleUserRepository;
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
    const signalFile = this.db.memory ? undefined : `${resolve(path)}-changes`;
    // A failed touch costs other processes latency only (their next wake-up reads the versions); never the write itself.
    const signal = () => {
      if (signalFile === undefined) return;
      try {
        writeFileSync(signalFile, String(Date.now()));
      } catch {
        // Read-only folder or full disk: the commit stands.
      }
    };
    const { feed, write } = sqliteChanges(this.db, signal);
    this.changes = feed;
    this.accounts = new SqliteAccountRepository(this.db, write);
    this.keys = new SqliteKeyRepository(this.db, write);
    this.ledger = new SqliteLedgerRepository(this.db);
    this.limitOverrides = new SqliteLimitOverrideRepository(this.db, write);
    this.usage = new SqliteUsageQueries(this.db);
    this.audit = new SqliteAuditRepository(this.db, write);
    this.watcher = signalFile === undefined ? undefined : watchSignal(signalFile, () => feed.wake());
    this.consoleUsers = new SqliteConsoleUserRepository(this.db);
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
 * Another process's versioned commit (the CLI, a second gateway on this file) touches
 * `<db>-changes` once it is visible: inotify reports it, so nothing has to poll the database.
 * Not the WAL itself: its writes come before the commit is visible (a reader woken by them can
 * miss it), and every ledger batch writes it too. The folder is watched, so the file need not
 * exist yet.
 */
function watchSignal(signalFile: string, onCommit: () => void): FSWatcher {
  const file = basename(signalFile);
  const watcher = watch(dirname(signalFile), { persistent: false }, (_event, name) => {
    if (name === file) onCommit();
  });
  // A folder that disappears (a test's temp dir) ends the watch; nothing else to do.
  watcher.on('error', () => watcher.close());
  return watcher;
}
