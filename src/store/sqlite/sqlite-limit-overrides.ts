import type Database from 'better-sqlite3';
import type { LimitOverrideRecord, LimitOverrideRepository, LimitScope } from '../store.js';
import type { VersionedWrite } from './sqlite-versions.js';

interface OverrideRow {
  scope: LimitScope;
  subject: string;
  model: string;
  limits: string;
  updated_at: number;
}

const fromRow = (row: OverrideRow): LimitOverrideRecord => ({
  scope: row.scope,
  subject: row.subject,
  model: row.model,
  limits: JSON.parse(row.limits) as Record<string, number | null>,
  updatedAt: row.updated_at,
});

export class SqliteLimitOverrideRepository implements LimitOverrideRepository {
  private readonly putStatement: Database.Statement;
  private readonly getStatement: Database.Statement<[string, string, string], OverrideRow>;
  private readonly listStatement: Database.Statement<[], OverrideRow>;
  private readonly changedStatement: Database.Statement<[number], OverrideRow>;

  constructor(
    db: Database.Database,
    private readonly write: VersionedWrite,
  ) {
    this.putStatement = db.prepare(
      `INSERT INTO limit_overrides (scope, subject, model, limits, updated_at) VALUES (@scope, @subject, @model, @limits, @updatedAt)
       ON CONFLICT(scope, subject, model) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at`,
    );
    this.getStatement = db.prepare('SELECT * FROM limit_overrides WHERE scope = ? AND subject = ? AND model = ?');
    this.listStatement = db.prepare('SELECT * FROM limit_overrides ORDER BY scope, subject, model');
    this.changedStatement = db.prepare('SELECT * FROM limit_overrides WHERE updated_at >= ?');
  }

  async put(record: LimitOverrideRecord): Promise<void> {
    this.write('limits', () => this.putStatement.run({ ...record, limits: JSON.stringify(record.limits) }));
  }

  async get(scope: LimitScope, subject: string, model: string): Promise<LimitOverrideRecord | undefined> {
    const row = this.getStatement.get(scope, subject, model);
    return row && fromRow(row);
  }

  async list(): Promise<LimitOverrideRecord[]> {
    return this.listStatement.all().map(fromRow);
  }

  async changedSince(sinceMs: number): Promise<LimitOverrideRecord[]> {
    return this.changedStatement.all(sinceMs).map(fromRow);
  }
}
