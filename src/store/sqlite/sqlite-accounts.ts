import type Database from 'better-sqlite3';
import type { AccountRecord } from '../../traffic/types.js';
import type { AccountRepository } from '../store.js';
import type { VersionedWrite } from './sqlite-versions.js';

interface AccountRow extends Omit<AccountRecord, 'verified'> {
  verified: number;
}

const fromRow = (row: AccountRow): AccountRecord => ({ ...row, verified: row.verified === 1 });

export class SqliteAccountRepository implements AccountRepository {
  private readonly upsertStatement: Database.Statement;
  private readonly getStatement: Database.Statement<[string], AccountRow>;
  private readonly listStatement: Database.Statement<[], AccountRow>;

  constructor(
    db: Database.Database,
    private readonly write: VersionedWrite,
  ) {
    this.upsertStatement = db.prepare(
      `INSERT INTO accounts (account, created_at, tier, country, email_domain, payment_fingerprint, signup_ip, verified)
       VALUES (@account, @created_at, @tier, @country, @email_domain, @payment_fingerprint, @signup_ip, @verified)
       ON CONFLICT(account) DO UPDATE SET created_at = excluded.created_at, tier = excluded.tier,
         country = excluded.country, email_domain = excluded.email_domain,
         payment_fingerprint = excluded.payment_fingerprint, signup_ip = excluded.signup_ip, verified = excluded.verified`,
    );
    this.getStatement = db.prepare('SELECT * FROM accounts WHERE account = ?');
    this.listStatement = db.prepare('SELECT * FROM accounts ORDER BY account');
  }

  async upsert(account: AccountRecord): Promise<void> {
    this.write('accounts', () => this.upsertStatement.run({ ...account, verified: account.verified ? 1 : 0 }));
  }

  async get(account: string): Promise<AccountRecord | undefined> {
    const row = this.getStatement.get(account);
    return row && fromRow(row);
  }

  async list(): Promise<AccountRecord[]> {
    return this.listStatement.all().map(fromRow);
  }
}
