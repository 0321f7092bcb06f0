import type { LimitOverrideRecord, LimitOverrideRepository, LimitScope } from '../store.js';
import type { PgPool } from './pg-driver.js';
import type { VersionedWrite } from './pg-versions.js';

interface OverrideRow {
  scope: LimitScope;
  subject: string;
  model: string;
  limits: string;
  updatedAt: number;
}

const COLUMNS = 'scope, subject, model, limits, updated_at AS "updatedAt"';
const fromRow = (row: OverrideRow): LimitOverrideRecord => ({ ...row, limits: JSON.parse(row.limits) as Record<string, number | null> });

export class PostgresLimitOverrideRepository implements LimitOverrideRepository {
  constructor(
    private readonly pool: PgPool,
    private readonly write: VersionedWrite,
  ) {}

  async put(record: LimitOverrideRecord): Promise<void> {
    await this.write('limits', (client) =>
      client.query(
        `INSERT INTO limit_overrides (scope, subject, model, limits, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (scope, subject, model) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at`,
        [record.scope, record.subject, record.model, JSON.stringify(record.limits), record.updatedAt],
      ),
    );
  }

  async get(scope: LimitScope, subject: string, model: string): Promise<LimitOverrideRecord | undefined> {
    const { rows } = await this.pool.query<OverrideRow>(`SELECT ${COLUMNS} FROM limit_overrides WHERE scope = $1 AND subject = $2 AND model = $3`, [scope, subject, model]);
    return rows[0] && fromRow(rows[0]);
  }

  async list(): Promise<LimitOverrideRecord[]> {
    return (await this.pool.query<OverrideRow>(`SELECT ${COLUMNS} FROM limit_overrides ORDER BY scope, subject, model`)).rows.map(fromRow);
  }

  async changedSince(sinceMs: number): Promise<LimitOverrideRecord[]> {
    return (await this.pool.query<OverrideRow>(`SELECT ${COLUMNS} FROM limit_overrides WHERE updated_at >= $1`, [sinceMs])).rows.map(fromRow);
  }
}
