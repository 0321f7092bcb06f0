import type Database from 'better-sqlite3';
import type { LedgerQuery, LedgerRepository, LedgerRow, LedgerText } from '../store.js';

/** A ledger row as SQLite holds it: booleans are integers. */
export interface SqliteRequestRow extends Omit<LedgerRow, 'stream' | 'aborted'> {
  stream: number;
  aborted: number;
}

// SQLite's result codes that judge a row; every other code (FULL, IOERR, BUSY, READONLY, ...) is the store's own state.
const CONTENT_CODES = ['SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_TOOBIG', 'SQLITE_RANGE'];

export const fromSqlite = (row: SqliteRequestRow & { text_dropped?: number }): LedgerRow => {
  const { text_dropped: _dropped, ...columns } = row;
  return { ...columns, stream: row.stream === 1, aborted: row.aborted === 1 };
};

export class SqliteLedgerRepository implements LedgerRepository {
  private readonly insertStatement: Database.Statement;
  private readonly insertMany: (rows: readonly LedgerRow[]) => void;
  private readonly pageStatement: Database.Statement<unknown[], SqliteRequestRow>;
  private readonly textStatement: Database.Statement<[number, number], LedgerText>;
  private readonly replaceStatement: Database.Statement;
  private readonly replaceMany: (rows: readonly LedgerText[]) => void;

  constructor(db: Database.Database) {
    // Bound by position: 19 named parameters are each looked up on the row, 2-3 µs a row in all.
    this.insertStatement = db.prepare(
      `INSERT INTO requests (id, ts, ts_ms, account, key, ip, user_agent, endpoint, model, request, response,
         prompt_tokens, completion_tokens, status, latency_ms, stream, aborted, usage_source, error_code)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`,
    );
    // ON CONFLICT makes a retried batch (after a failed commit) idempotent; unlike OR IGNORE
    // it still fails on a broken row, which must not vanish silently.
    this.insertMany = db.transaction((rows: readonly LedgerRow[]) => {
      for (const row of rows) {
        this.insertStatement.run(
          row.id, row.ts, row.ts_ms, row.account, row.key, row.ip, row.user_agent, row.endpoint, row.model, row.request, row.response,
          row.prompt_tokens, row.completion_tokens, row.status, row.latency_ms, row.stream ? 1 : 0, row.aborted ? 1 : 0, row.usage_source, row.error_code,
        );
      }
    });
    // Keyset paging on (ts_ms, id): stable under concurrent inserts, unlike OFFSET.
    this.pageStatement = db.prepare(
      `SELECT * FROM requests
       WHERE ts_ms >= ? AND ts_ms < ? AND (ts_ms > ? OR (ts_ms = ? AND id > ?))
         AND (? IS NULL OR account = ?)
       ORDER BY ts_ms, id LIMIT ?`,
    );
    this.textStatement = db.prepare('SELECT id, request, response FROM requests WHERE ts_ms < ? AND text_dropped = 0 ORDER BY ts_ms LIMIT ?');
    this.replaceStatement = db.prepare('UPDATE requests SET request = @request, response = @response, text_dropped = 1 WHERE id = @id');
    this.replaceMany = db.transaction((rows: readonly LedgerText[]) => {
      for (const row of rows) this.replaceStatement.run(row);
    });
  }

  async insertBatch(rows: readonly LedgerRow[]): Promise<void> {
    this.insertMany(rows);
  }

  rejectsContent(error: unknown): boolean {
    // Binding a value SQLite cannot hold fails with these before SQLite sees it.
    if (error instanceof RangeError || error instanceof TypeError) return true;
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    return typeof code === 'string' && CONTENT_CODES.some((prefix) => code.startsWith(prefix));
  }

  async *scan(query: LedgerQuery, pageSize = 1000): AsyncGenerator<LedgerRow> {
    const since = query.sinceMs ?? 0;
    const until = query.untilMs ?? Number.MAX_SAFE_INTEGER;
    const account = query.account ?? null;
    let afterTs = -1;
    let afterId = '';
    for (;;) {
      const rows = this.pageStatement.all(since, until, afterTs, afterTs, afterId, account, account, pageSize);
      for (const row of rows) yield fromSqlite(row);
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      afterTs = last.ts_ms;
      afterId = last.id;
    }
  }

  async textBefore(beforeMs: number, limit: number): Promise<LedgerText[]> {
    return this.textStatement.all(beforeMs, limit);
  }

  async replaceText(rows: readonly LedgerText[]): Promise<void> {
    this.replaceMany(rows);
  }
}
