import type { ApiKeyRecord, KeyRepository } from '../store.js';
import type { PgPool } from './pg-driver.js';
import type { VersionedWrite } from './pg-versions.js';

const COLUMNS = `id, account, hash, prefix, name, created_at AS "createdAt", revoked_at AS "revokedAt",
  expires_at AS "expiresAt", updated_at AS "updatedAt"`;

export class PostgresKeyRepository implements KeyRepository {
  constructor(
    private readonly pool: PgPool,
    private readonly write: VersionedWrite,
  ) {}

  async insert(key: ApiKeyRecord): Promise<void> {
    await this.write('keys', (client) =>
      client.query(
        `INSERT INTO api_keys (id, account, hash, prefix, name, created_at, revoked_at, expires_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [key.id, key.account, key.hash, key.prefix, key.name, key.createdAt, key.revokedAt, key.expiresAt, key.updatedAt],
      ),
    );
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    return (await this.pool.query<ApiKeyRecord>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id])).rows[0];
  }

  async listByAccount(account: string): Promise<ApiKeyRecord[]> {
    return (await this.pool.query<ApiKeyRecord>(`SELECT ${COLUMNS} FROM api_keys WHERE account = $1 ORDER BY created_at, id`, [account])).rows;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.pool.query<ApiKeyRecord>(`SELECT ${COLUMNS} FROM api_keys ORDER BY account, created_at, id`)).rows;
  }

  async changedSince(sinceMs: number): Promise<ApiKeyRecord[]> {
    return (await this.pool.query<ApiKeyRecord>(`SELECT ${COLUMNS} FROM api_keys WHERE updated_at >= $1`, [sinceMs])).rows;
  }

  async update(id: string, change: Partial<Pick<ApiKeyRecord, 'revokedAt' | 'expiresAt'>>, nowMs: number): Promise<void> {
    await this.write('keys', (client) =>
      client.query(
        `UPDATE api_keys SET revoked_at = COALESCE($2, revoked_at), expires_at = COALESCE($3, expires_at), updated_at = $4 WHERE id = $1`,
        [id, change.revokedAt ?? null, change.expiresAt ?? null, nowMs],
      ),
    );
  }
}
