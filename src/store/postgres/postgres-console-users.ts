import type { ConsoleUserRecord, ConsoleUserRepository } from '../store.js';
import type { PgPool } from './pg-driver.js';

const COLUMNS = 'name, role, password_hash AS "passwordHash", created_at AS "createdAt", updated_at AS "updatedAt"';

export class PostgresConsoleUserRepository implements ConsoleUserRepository {
  constructor(private readonly pool: PgPool) {}

  async put(user: ConsoleUserRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO console_users (name, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
      [user.name, user.role, user.passwordHash, user.createdAt, user.updatedAt],
    );
  }

  async get(name: string): Promise<ConsoleUserRecord | undefined> {
    return (await this.pool.query<ConsoleUserRecord>(`SELECT ${COLUMNS} FROM console_users WHERE name = $1`, [name])).rows[0];
  }

  async list(): Promise<ConsoleUserRecord[]> {
    return (await this.pool.query<ConsoleUserRecord>(`SELECT ${COLUMNS} FROM console_users ORDER BY name`)).rows;
  }

  async remove(name: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM console_users WHERE name = $1', [name])).rowCount ?? 0) > 0;
  }
}
