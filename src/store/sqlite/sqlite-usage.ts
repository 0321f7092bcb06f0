import type Database from 'better-sqlite3';
import type { AccountUsage, LedgerRow, UsageBucket, UsageFilter, UsageQueries, UsageShare, UsageTotals } from '../store.js';
import { fromSqlite, type SqliteRequestRow } from './sqlite-ledger.js';

// Two forms of each aggregate: `@accounts IS NULL OR account IN (...)` in one statement would
// keep SQLite off the (account, ts_ms, ...) index and scan the whole ledger. The account list
// travels as JSON so one prepared statement serves any number of accounts.
const RANGE = 'ts_ms >= @since AND ts_ms < @until';
// Without accounts, SQLite would pick the (ts_ms, id) index and fetch every row; the covering
// index answers the whole-ledger aggregates from the index alone.
const whereOf = (filter: UsageFilter) =>
  filter.accounts ? `account IN (SELECT value FROM json_each(@accounts)) AND ${RANGE}` : RANGE;
const fromOf = (filter: UsageFilter) => (filter.accounts ? 'requests' : 'requests INDEXED BY requests_usage');

interface Bound {
  since: number;
  until: number;
  accounts?: string;
}

const bind = (filter: UsageFilter): Bound => ({
  since: filter.sinceMs ?? 0,
  until: filter.untilMs ?? Number.MAX_SAFE_INTEGER,
  ...(filter.accounts && { accounts: JSON.stringify(filter.accounts) }),
});

const TOTALS = `SELECT count(*) AS requests, coalesce(sum(prompt_tokens), 0) AS promptTokens,
  coalesce(sum(completion_tokens), 0) AS completionTokens, count(DISTINCT account) AS accounts,
  min(ts) AS firstTs, max(ts) AS lastTs FROM `;
// The bucket is cast because better-sqlite3 binds JS numbers as REAL, and REAL division does not floor.
const SERIES = (from: string, where: string) => `SELECT (ts_ms / CAST(@bucket AS INTEGER)) * CAST(@bucket AS INTEGER) AS startMs, count(*) AS requests,
  sum(prompt_tokens) AS promptTokens, sum(completion_tokens) AS completionTokens
  FROM ${from} WHERE ${where} GROUP BY startMs ORDER BY startMs`;
const BY_MODEL = (where: string) => `SELECT coalesce(model, '(none)') AS value, count(*) AS requests, min(ts) AS firstTs, max(ts) AS lastTs
  FROM requests WHERE ${where} GROUP BY value ORDER BY requests DESC, value`;
// Positions are numbered over the narrow index (rowid rides along in it); only the chosen rows
// are then read whole, not every prompt and answer of a busy campaign.
const SAMPLE = (from: string, where: string) => `SELECT * FROM requests WHERE rowid IN (
  SELECT rid FROM (SELECT rowid AS rid, row_number() OVER (ORDER BY ts_ms, rowid) - 1 AS position FROM ${from} WHERE ${where})
  WHERE position % CAST(@step AS INTEGER) = 0 LIMIT @limit
) ORDER BY ts_ms, id`;

export class SqliteUsageQueries implements UsageQueries {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** Prepared once per distinct SQL text (a handful), then kept. */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async totals(filter: UsageFilter): Promise<UsageTotals> {
    return this.statement(`${TOTALS}${fromOf(filter)} WHERE ${whereOf(filter)}`).get(bind(filter)) as UsageTotals;
  }

  async series(filter: UsageFilter, bucketMs: number): Promise<UsageBucket[]> {
    return this.statement(SERIES(fromOf(filter), whereOf(filter))).all({ ...bind(filter), bucket: Math.max(1, Math.round(bucketMs)) }) as UsageBucket[];
  }

  async byAccount(): Promise<AccountUsage[]> {
    return this.statement(
      'SELECT account, requests, completion_tokens AS completionTokens, first_ts AS firstTs, last_ts AS lastTs FROM account_usage ORDER BY account',
    ).all() as AccountUsage[];
  }

  async breakdown(account: string, by: 'key' | 'ip'): Promise<UsageShare[]> {
    const column = by === 'key' ? 'key' : 'ip';
    return this.statement(
      `SELECT ${column} AS value, count(*) AS requests, min(ts) AS firstTs, max(ts) AS lastTs FROM requests WHERE account = ? GROUP BY ${column} ORDER BY requests DESC, value`,
    ).all(account) as UsageShare[];
  }

  async byModel(filter: UsageFilter): Promise<UsageShare[]> {
    return this.statement(BY_MODEL(whereOf(filter))).all(bind(filter)) as UsageShare[];
  }

  async sampleRequests(filter: UsageFilter, limit: number): Promise<LedgerRow[]> {
    const bound = bind(filter);
    const { n } = this.statement(`SELECT count(*) AS n FROM requests WHERE ${whereOf(filter)}`).get(bound) as { n: number };
    const step = Math.max(1, Math.ceil(n / Math.max(1, limit)));
    return (this.statement(SAMPLE(fromOf(filter), whereOf(filter))).all({ ...bound, step, limit }) as SqliteRequestRow[]).map(fromSqlite);
  }
}
