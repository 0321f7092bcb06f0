import type { LedgerQuery, LedgerRepository, LedgerRow, UsageFilter, UsageQueries } from '../store/store.js';
import type { LedgerRecord } from './record.js';

/** A record as the store keeps it; serialising here is what lets the store know nothing of records. */
export const toRow = (record: LedgerRecord): LedgerRow => ({
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
  stream: record.stream,
  aborted: record.aborted,
  usage_source: record.usage_source,
  error_code: record.error_code,
});

export const fromRow = (row: LedgerRow): LedgerRecord => ({
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
  stream: row.stream,
  aborted: row.aborted,
  usage_source: row.usage_source as LedgerRecord['usage_source'],
  error_code: row.error_code,
});

/** The ledger's records in timestamp order, paged by the store. */
export async function* scanRecords(ledger: LedgerRepository, query: LedgerQuery): AsyncGenerator<LedgerRecord> {
  for await (const row of ledger.scan(query)) yield fromRow(row);
}

/** Up to `limit` records spread evenly over the matching requests, oldest first. */
export async function sampleRecords(usage: UsageQueries, filter: UsageFilter, limit: number): Promise<LedgerRecord[]> {
  return (await usage.sampleRequests(filter, limit)).map(fromRow);
}
