import type Database from 'better-sqlite3';
import type { ConsoleRole, ConsoleUserRecord, ConsoleUserRepository } from '../store.js';

interface UserRow {
  name: string;
  role: ConsoleRole;
  password_hash: string;
  created_at: string;
  updated_at: string;
}

const fromRow = (row: UserRow): ConsoleUserRecord => ({ name: row.name, role: row.role, passwordHash: row.password_hash, createdAt: row.created_at, updatedAt: row.updated_at });

export class SqliteConsoleUserRepository implements ConsoleUserRepository {
  private readonly putStatement: Database.Statement;
  private readonly getStatement: Database.Statement<[string], UserRow>;
  private readonly listStatement: Database.Statement<[], UserRow>;
  private readonly removeStatement: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.putStatement = db.prepare(
      `INSERT INTO console_users (name, role, password_hash, created_at, updated_at) VALUES (@name, @role, @passwordHash, @createdAt, @updatedAt)
       ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
    );
    this.getStatement = db.prepare('SELECT * FROM console_users WHERE name = ?');
    this.listStatement = db.prepare('SELECT * FROM console_users ORDER BY name');
    this.removeStatement = db.prepare('DELETE FROM console_users WHERE name = ?');
  }

  async put(user: ConsoleUserRecord): Promise<void> {
    this.putStatement.run(user);
  }

  async get(name: string): Promise<ConsoleUserRecord | undefined> {
    const row = this.getStatement.get(name);
    return row && fromRow(row);
  }

  async list(): Promise<ConsoleUserRecord[]> {
    return this.listStatement.all().map(fromRow);
  }

  async remove(name: string): Promise<boolean> {
    return this.removeStatement.run(name).changes > 0;
  }
}
