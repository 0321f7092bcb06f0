import type { AccountRecord } from '../../traffic/types.js';
import type { AccountRepository } from '../store.js';
import type { PgPool } from './pg-driver.js';
import type { VersionedWrite } from './pg-versions.js';

const COLUMNS = 'account, created_at, tier, country, email_domain, payment_fingerprint, signup_ip, verified';

export class PostgresAccountRepository implements AccountRepository {
  constructor(
    private readonly pool: PgPool,
    private readonly write: VersionedWrite,
  ) {}

  async upsert(account: AccountRecord): Promise<void> {
    await this.write('accounts', (client) =>
      client.query(
        `INSERT INTO accounts (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (account) DO UPDATE SET created_at = excluded.created_at, tier = excluded.tier,
           country = excluded.country, email_domain = excluded.email_domain,
           payment_fingerprint = excluded.payment_fingerprint, signup_ip = excluded.signup_ip, verified = excluded.verified`,
        [account.account, account.created_at, account.tier, account.country, account.email_domain, account.payment_fingerprint, account.signup_ip, account.verified],
      ),
    );
  }

  async get(account: string): Promise<AccountRecord | undefined> {
    const { rows } = await this.pool.query<AccountRecord>(`SELECT ${COLUMNS} FROM accounts WHERE account = $1`, [account]);
    return rows[0];
  }

  async list(): Promise<AccountRecord[]> {
    return (await this.pool.query<AccountRecord>(`SELECT ${COLUMNS} FROM accounts ORDER BY account`)).rows;
  }
}
