import type { AccountUsage, LedgerRow, UsageBucket, UsageFilter, UsageQueries, UsageShare, UsageTotals } from '../store.js';
import type { PgPool } from './pg-driver.js';
import { ROW_COLUMNS } from './postgres-ledger.js';

/** The filter as `WHERE` text over parameters $1.. and their values; later parameters follow them. */
function whereOf(filter: UsageFilter): { where: string; parameters: unknown[] } {
  const parameters: unknown[] = [filter.sinceMs ?? 0, filter.untilMs ?? Number.MAX_SAFE_INTEGER];
  let where = 'ts_ms >= $1 AND ts_ms < $2';
  if (filter.accounts) {
    parameters.push(filter.accounts);
    where = `account = ANY($3::text[]) AND ${where}`;
  }
  return { where, parameters };
}

const next = (parameters: readonly unknown[]) => `$${parameters.length + 1}`;

export class PostgresUsageQueries implements UsageQueries {
  constructor(private readonly pool: PgPool) {}

  async totals(filter: UsageFilter): Promise<UsageTotals> {
    const { where, parameters } = whereOf(filter);
    const { rows } = await this.pool.query<UsageTotals>(
      `SELECT count(*) AS requests, coalesce(sum(prompt_tokens), 0) AS "promptTokens", coalesce(sum(completion_tokens), 0) AS "completionTokens",
         count(DISTINCT account) AS accounts, min(ts) AS "firstTs", max(ts) AS "lastTs"
       FROM requests WHERE ${where}`,
      parameters,
    );
    return rows[0]!;
  }

  async series(filter: UsageFilter, bucketMs: number): Promise<UsageBucket[]> {
    const { where, parameters } = whereOf(filter);
    const bucket = next(parameters);
    parameters.push(Math.max(1, Math.round(bucketMs)));
    const { rows } = await this.pool.query<UsageBucket>(
      `SELECT (ts_ms / ${bucket}::int8) * ${bucket}::int8 AS "startMs", count(*) AS requests,
         sum(prompt_tokens) AS "promptTokens", sum(completion_tokens) AS "completionTokens"
       FROM requests WHERE ${where} GROUP BY 1 ORDER BY 1`,
      parameters,
    );
    return rows;
  }

  async byAccount(): Promise<AccountUsage[]> {
    const { rows } = await this.pool.query<AccountUsage>(
      'SELECT account, requests, completion_tokens AS "completionTokens", first_ts AS "firstTs", last_ts AS "lastTs" FROM account_usage ORDER BY account',
    );
    return rows;
  }

  async breakdown(account: string, by: 'key' | 'ip'): Promise<UsageShare[]> {
    const column = by === 'key' ? 'key' : 'ip';
    const { rows } = await this.pool.query<UsageShare>(
      `SELECT ${column} AS value, count(*) AS requests, min(ts) AS "firstTs", max(ts) AS "lastTs"
       FROM requests WHERE account = $1 GROUP BY ${column} ORDER BY requests DESC, value`,
      [account],
    );
    return rows;
  }

  async byModel(filter: UsageFilter): Promise<UsageShare[]> {
    const { where, parameters } = whereOf(filter);
    const { rows } = await this.pool.query<UsageShare>(
      `SELECT coalesce(model, '(none)') AS value, count(*) AS requests, min(ts) AS "firstTs", max(ts) AS "lastTs"
       FROM requests WHERE ${where} GROUP BY 1 ORDER BY requests DESC, value`,
      parameters,
    );
    return rows;
  }

  async sampleRequests(filter: UsageFilter, limit: number): Promise<LedgerRow[]> {
    const { where, parameters } = whereOf(filter);
    const { rows: counted } = await this.pool.query<{ n: number }>(`SELECT count(*) AS n FROM requests WHERE ${where}`, parameters);
    const step = Math.max(1, Math.ceil(counted[0]!.n / Math.max(1, limit)));
    const stepAt = next(parameters);
    const limitAt = `$${parameters.length + 2}`;
    // Positions are numbered over the narrow index; only the chosen rows are then read whole.
    const { rows } = await this.pool.query<LedgerRow>(
      `SELECT ${ROW_COLUMNS} FROM requests WHERE id IN (
         SELECT id FROM (SELECT id, row_number() OVER (ORDER BY ts_ms, id) - 1 AS position FROM requests WHERE ${where}) numbered
         WHERE position % ${stepAt} = 0 LIMIT ${limitAt}
       ) ORDER BY ts_ms, id`,
      [...parameters, step, limit],
    );
    return rows;
  }
}
