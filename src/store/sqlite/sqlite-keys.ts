import type Database from 'better-sqlite3';
import type { ApiKeyRecord, KeyRepository } from '../store.js';
import type { VersionedWrite } from './sqlite-versions.js';

interface KeyRow {
  id: string;
  account: string;
  hash: string;
  prefix: string;
  name: string | null;
  created_at: number;
  revoked_at: number | null;
  expires_at: number | null;
  updated_at: number;
}

const fromRow = (row: KeyRow): ApiKeyRecord => ({
  id: row.id,
  account: row.account,
  hash: row.hash,
  prefix: row.prefix,
  name: row.name,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  expiresAt: row.expires_at,
  updatedAt: row.updated_at,
});

export class SqliteKeyRepository implements KeyRepository {
  private readonly insertStatement: Database.Statement;
  private readonly getStatement: Database.Statement<[string], KeyRow>;
  private readonly byAccountStatement: Database.Statement<[string], KeyRow>;
  private readonly listStatement: Database.Statement<[], KeyRow>;
  private readonly changedStatement: Database.Statement<[number], KeyRow>;
  private readonly updateStatement: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly write: VersionedWrite,
  ) {
    this.insertStatement = db.prepare(
      `INSERT INTO api_keys (id, account, hash, prefix, name, created_at, revoked_at, expires_at, updated_at)
       VALUES (@id, @account, @hash, @prefix, @name, @createdAt, @revokedAt, @expiresAt, @updatedAt)`,
    );
    this.getStatement = db.prepare('SELECT * FROM api_keys WHERE id = ?');
    this.byAccountStatement = db.prepare('SELECT * FROM api_keys WHERE account = ? ORDER BY created_at, id');
    this.listStatement = db.prepare('SELECT * FROM api_keys ORDER BY account, created_at, id');
    this.changedStatement = db.prepare('SELECT * FROM api_keys WHERE updated_at >= ?');
    this.updateStatement = db.prepare(
      `UPDATE api_keys SET revoked_at = COALESCE(@revokedAt, revoked_at), expires_at = COALESCE(@expiresAt, expires_at),
         updated_at = @updatedAt WHERE id = @id`,
    );
  }

  async insert(key: ApiKeyRecord): Promise<void> {
    this.write('keys', () => this.insertStatement.run(key));
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.getStatement.get(id);
    return row && fromRow(row);
  }

  async listByAccount(account: string): Promise<ApiKeyRecord[]> {
    return this.byAccountStatement.all(account).map(fromRow);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.listStatement.all().map(fromRow);
  }

  async changedSince(sinceMs: number): Promise<ApiKeyRecord[]> {
    return this.changedStatement.all(sinceMs).map(fromRow);
  }

  async update(id: string, change: Partial<Pick<ApiKeyRecord, 'revokedAt' | 'expiresAt'>>, nowMs: number): Promise<void> {
    this.write('keys', () => this.updateStatement.run({ id, revokedAt: change.revokedAt ?? null, expiresAt: change.expiresAt ?? null, updatedAt: nowMs }));
  }
}
