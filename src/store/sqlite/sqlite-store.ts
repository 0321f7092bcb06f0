import Database from 'better-sqlite3';
import type { Store } from '../store.js';
import { migrations } from './migrations.js';
import { SqliteAuditRepository } from './sqlite-audit.js';
import { SqliteAccountRepository } from './sqlite-accounts.js';
import { SqliteConsoleUserRepository } from './sqlite-console-users.js';
import { SqliteKeyRepository } from './sqlite-keys.js';
import { SqliteLedgerRepository } from './sqlite-ledger.js';
import { SqliteLimitOverrideRepository } from './sqlite-limit-overrides.js';
import { SqliteUsageQueries } from './sqlite-usage.js';

export class SqliteStore implements Store {
  readonly accounts: SqliteAccountRepository;
  readonly keys: SqliteKeyRepository;
  readonly ledger: SqliteLedgerRepository;
  readonly limitOverrides: SqliteLimitOverrideRepository;
  readonly usage: SqliteUsageQueries;
  readonly audit: SqliteAuditRepository;
  readonly consoleUsers: SqliteConsoleUserRepository;
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    // WAL lets the CLI and other readers work while the gateway writes; NORMAL is durable
    // across process crashes, which is the failure the ledger must survive.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    this.accounts = new SqliteAccountRepository(this.db);
    this.keys = new SqliteKeyRepository(this.db);
    this.ledger = new SqliteLedgerRepository(this.db);
    this.limitOverrides = new SqliteLimitOverrideRepository(this.db);
    this.usage = new SqliteUsageQueries(this.db);
    this.audit = new SqliteAuditRepository(this.db);
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
    this.db.close();
  }
}
