import type { LedgerQuery, LedgerRepository, LedgerRow, LedgerText } from '../store.js';
import type { PgPool } from './pg-driver.js';
import { inTransaction } from './pg-versions.js';

/** The row columns in LedgerRow order, with the type each takes in an unnest() batch. */
const COLUMNS: readonly (readonly [keyof LedgerRow, string])[] = [
  ['id', 'text'],
  ['ts', 'text'],
  ['ts_ms', 'int8'],
  ['account', 'text'],
  ['key', 'text'],
  ['ip', 'text'],
  ['user_agent', 'text'],
  ['endpoint', 'text'],
  ['model', 'text'],
  ['request', 'text'],
  ['response', 'text'],
  ['prompt_tokens', 'int4'],
  ['completion_tokens', 'int4'],
  ['status', 'int4'],
  ['latency_ms', 'int4'],
  ['stream', 'bool'],
  ['aborted', 'bool'],
  ['usage_source', 'text'],
  ['error_code', 'text'],
];

export const ROW_COLUMNS = COLUMNS.map(([name]) => name).join(', ');

// One statement per batch whatever its size: each column travels as one array parameter.
const INSERT = `INSERT INTO requests (${ROW_COLUMNS})
  SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
  ON CONFLICT (id) DO NOTHING`;

// SQLSTATE classes that judge a row: 22 data exception (a value the column cannot hold, a NUL
// in text), 23 integrity constraint. Everything else (connection, disk, locks) is the store's state.
const CONTENT_CLASSES = ['22', '23'];

export class PostgresLedgerRepository implements LedgerRepository {
  constructor(private readonly pool: PgPool) {}

  async insertBatch(rows: readonly LedgerRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(INSERT, COLUMNS.map(([name]) => rows.map((row) => row[name])));
  }

  rejectsContent(error: unknown): boolean {
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    return typeof code === 'string' && code.length === 5 && CONTENT_CLASSES.includes(code.slice(0, 2));
  }

  async *scan(query: LedgerQuery, pageSize = 1000): AsyncGenerator<LedgerRow> {
    const since = query.sinceMs ?? 0;
    const until = query.untilMs ?? Number.MAX_SAFE_INTEGER;
    // Keyset paging on (ts_ms, id): stable under concurrent inserts, unlike OFFSET. Two
    // statements rather than `$5 IS NULL OR account = $5`, which would hide the account index.
    const sql = `SELECT ${ROW_COLUMNS} FROM requests
      WHERE ts_ms >= $1 AND ts_ms < $2 AND (ts_ms, id) > ($3, $4) ${query.account !== undefined ? 'AND account = $6' : ''}
      ORDER BY ts_ms, id LIMIT $5`;
    let afterTs = -1;
    let afterId = '';
    for (;;) {
      const parameters: unknown[] = [since, until, afterTs, afterId, pageSize];
      if (query.account !== undefined) parameters.push(query.account);
      const { rows } = await this.pool.query<LedgerRow>(sql, parameters);
      yield* rows;
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      afterTs = last.ts_ms;
      afterId = last.id;
    }
  }

  async textBefore(beforeMs: number, limit: number): Promise<LedgerText[]> {
    const { rows } = await this.pool.query<LedgerText>('SELECT id, request, response FROM requests WHERE ts_ms < $1 AND NOT text_dropped ORDER BY ts_ms LIMIT $2', [beforeMs, limit]);
    return rows;
  }

  async replaceText(rows: readonly LedgerText[]): Promise<void> {
    await inTransaction(this.pool, (client) =>
      client.query(
        `UPDATE requests SET request = t.request, response = t.response, text_dropped = true
         FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, request, response) WHERE requests.id = t.id`,
        [rows.map((row) => row.id), rows.map((row) => row.request), rows.map((row) => row.response)],
      ),
    );
  }
}
