import type Database from 'better-sqlite3';
import type { LedgerRecord } from '../../ledger/record.js';
import { dropText } from '../../ledger/text-retention.js';
import type { LedgerQuery, LedgerRepository } from '../store.js';

export interface RequestRow {
  id: string;
  ts: string;
  ts_ms: number;
  account: string;
  key: string;
  ip: string;
  user_agent: string;
  endpoint: string;
  model: string | null;
  request: string;
  response: string;
  prompt_tokens: number;
  completion_tokens: number;
  status: number;
  latency_ms: number;
  stream: number;
  aborted: number;
  usage_source: LedgerRecord['usage_source'];
  error_code: string | null;
}

// SQLite's result codes that judge a row; every other code (FULL, IOERR, BUSY, READONLY, ...) is the store's own state.
const CONTENT_CODES = ['SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_TOOBIG', 'SQLITE_RANGE'];

const toRow = (record: LedgerRecord): RequestRow => ({
  id: record.id,
  ts: record.ts,
  ts_ms: Date.parse(record.ts),
  account: record.account,
  key: record.key,
  ip: record.ip,
  user_agent: record.user_agent,
  endpoint: record.endpoint,
  model: record.model,
  request: JSON.stringify(record.request),
  response: JSON.stringify(record.response),
  prompt_tokens: record.usage.prompt_tokens,
  completion_tokens: record.usage.completion_tokens,
  status: record.status,
  latency_ms: record.latency_ms,
  stream: record.stream ? 1 : 0,
  aborted: record.aborted ? 1 : 0,
  usage_source: record.usage_source,
  error_code: record.error_code,
});

export const fromRow = (row: RequestRow): LedgerRecord => ({
  id: row.id,
  ts: row.ts,
  account: row.account,
  key: row.key,
  ip: row.ip,
  user_agent: row.user_agent,
  endpoint: row.endpoint,
  request: JSON.parse(row.request) as LedgerRecord['request'],
  response: JSON.parse(row.response) as LedgerRecord['response'],
  usage: { prompt_tokens: row.prompt_tokens, completion_tokens: row.completion_tokens },
  status: row.status,
  latency_ms: row.latency_ms,
  model: row.model,
  stream: row.stream === 1,
  aborted: row.aborted === 1,
  usage_source: row.usage_source,
  error_code: row.error_code,
});

export class SqliteLedgerRepository implements LedgerRepository {
  private readonly insertStatement: Database.Statement;
  private readonly insertMany: (records: readonly LedgerRecord[]) => void;
  private readonly pageStatement: Database.Statement<unknown[], RequestRow>;
  private readonly textStatement: Database.Statement<[number], Pick<RequestRow, 'id' | 'request' | 'response'>>;
  private readonly dropStatement: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertStatement = db.prepare(
      `INSERT INTO requests (id, ts, ts_ms, account, key, ip, user_agent, endpoint, model, request, response,
         prompt_tokens, completion_tokens, status, latency_ms, stream, aborted, usage_source, error_code)
       VALUES (@id, @ts, @ts_ms, @account, @key, @ip, @user_agent, @endpoint, @model, @request, @response,
         @prompt_tokens, @completion_tokens, @status, @latency_ms, @stream, @aborted, @usage_source, @error_code)
       ON CONFLICT(id) DO NOTHING`,
    );
    // ON CONFLICT makes a retried batch (after a failed commit) idempotent; unlike OR IGNORE
    // it still fails on a broken record, which must not vanish silently.
    this.insertMany = db.transaction((records: readonly LedgerRecord[]) => {
      for (const record of records) this.insertStatement.run(toRow(record));
    });
    // Keyset paging on (ts_ms, id): stable under concurrent inserts, unlike OFFSET.
    this.pageStatement = db.prepare(
      `SELECT * FROM requests
       WHERE ts_ms >= ? AND ts_ms < ? AND (ts_ms > ? OR (ts_ms = ? AND id > ?))
         AND (? IS NULL OR account = ?)
       ORDER BY ts_ms, id LIMIT ?`,
    );
    this.textStatement = db.prepare('SELECT id, request, response FROM requests WHERE ts_ms < ? AND text_dropped = 0');
    this.dropStatement = db.prepare('UPDATE requests SET request = ?, response = ?, text_dropped = 1 WHERE id = ?');
  }

  async insertBatch(records: readonly LedgerRecord[]): Promise<void> {
    this.insertMany(records);
  }

  rejectsContent(error: unknown): boolean {
    // Serialising or binding a record (toRow) fails with these before SQLite sees it.
    if (error instanceof RangeError || error instanceof TypeError) return true;
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    return typeof code === 'string' && CONTENT_CODES.some((prefix) => code.startsWith(prefix));
  }

  async *scan(query: LedgerQuery, pageSize = 1000): AsyncGenerator<LedgerRecord> {
    const since = query.sinceMs ?? 0;
    const until = query.untilMs ?? Number.MAX_SAFE_INTEGER;
    const account = query.account ?? null;
    let afterTs = -1;
    let afterId = '';
    for (;;) {
      const rows = this.pageStatement.all(since, until, afterTs, afterTs, afterId, account, account, pageSize);
      for (const row of rows) yield fromRow(row);
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      afterTs = last.ts_ms;
      afterId = last.id;
    }
  }

  async dropTextBefore(beforeMs: number): Promise<number> {
    const rows = this.textStatement.all(beforeMs);
    this.db.transaction(() => {
      for (const row of rows) {
        const kept = dropText(JSON.parse(row.request) as LedgerRecord['request'], JSON.parse(row.response) as LedgerRecord['response']);
        this.dropStatement.run(JSON.stringify(kept.request), JSON.stringify(kept.response), row.id);
      }
    })();
    return rows.length;
  }
}
