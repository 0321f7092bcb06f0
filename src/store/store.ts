import type { AccountRecord } from '../traffic/types.js';
import type { ChangeFeed } from './change-feed.js';

export interface ApiKeyRecord {
  id: string;
  account: string;
  /** SHA-256 of the secret: the secret itself is never stored. */
  hash: string;
  /** The first characters of the secret, so people can tell their keys apart. */
  prefix: string;
  name: string | null;
  createdAt: number;
  revokedAt: number | null;
  /** Set when a key is rotated: it keeps working until then, beside its successor. */
  expiresAt: number | null;
  updatedAt: number;
}

export interface AccountRepository {
  upsert(account: AccountRecord): Promise<void>;
  get(account: string): Promise<AccountRecord | undefined>;
  list(): Promise<AccountRecord[]>;
}

export interface KeyRepository {
  insert(key: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  listByAccount(account: string): Promise<ApiKeyRecord[]>;
  list(): Promise<ApiKeyRecord[]>;
  /** Keys changed at or after `sinceMs`, for replicas that keep keys in memory. */
  changedSince(sinceMs: number): Promise<ApiKeyRecord[]>;
  update(id: string, change: Partial<Pick<ApiKeyRecord, 'revokedAt' | 'expiresAt'>>, nowMs: number): Promise<void>;
}

export interface LedgerQuery {
  sinceMs?: number;
  untilMs?: number;
  account?: string;
}

/**
 * One ledger row as stored. The store takes rows and gives them back; what a record means
 * (its mapping, what text is kept) belongs to src/ledger.
 */
export interface LedgerRow {
  id: string;
  ts: string;
  /** `ts` in epoch milliseconds: what ranges and paging order by. */
  ts_ms: number;
  account: string;
  key: string;
  ip: string;
  user_agent: string;
  endpoint: string;
  model: string | null;
  /** The request body and the response, as JSON text. */
  request: string;
  response: string;
  prompt_tokens: number;
  completion_tokens: number;
  status: number;
  latency_ms: number;
  stream: boolean;
  aborted: boolean;
  usage_source: string;
  error_code: string | null;
}

export type LedgerText = Pick<LedgerRow, 'id' | 'request' | 'response'>;

export interface LedgerRepository {
  /** Idempotent by row id: a row already stored is left as it is. */
  insertBatch(rows: readonly LedgerRow[]): Promise<void>;
  /**
   * Whether an error from `insertBatch` is about the records themselves (a constraint, a value
   * the store cannot hold), as opposed to the store's own state (full, down, locked): the
   * first kind is set aside, the second waits in the spool for the store to return.
   */
  rejectsContent(error: unknown): boolean;
  /** In timestamp order, paged so a large range never sits in memory at once. */
  scan(query: LedgerQuery, pageSize?: number): AsyncGenerator<LedgerRow>;
  /** Up to `limit` rows older than `beforeMs` whose text has not been replaced yet. */
  textBefore(beforeMs: number, limit: number): Promise<LedgerText[]>;
  /** Overwrites the rows' text and marks it replaced, so `textBefore` returns them no more. */
  replaceText(rows: readonly LedgerText[]): Promise<void>;
}

export type LimitScope = 'account' | 'key';

/** Limits set for one account or key, beside its tier's; `null` means explicitly unlimited. */
export interface LimitOverrideRecord {
  scope: LimitScope;
  subject: string;
  /** '' for all models, else a model name or `prefix*` with counters of its own. */
  model: string;
  limits: Readonly<Record<string, number | null>>;
  updatedAt: number;
}

export interface LimitOverrideRepository {
  put(record: LimitOverrideRecord): Promise<void>;
  get(scope: LimitScope, subject: string, model: string): Promise<LimitOverrideRecord | undefined>;
  list(): Promise<LimitOverrideRecord[]>;
  /** Overrides changed at or after `sinceMs`, for replicas that keep them in memory. */
  changedSince(sinceMs: number): Promise<LimitOverrideRecord[]>;
}

/** Which ledger rows an aggregate covers; `accounts` absent means every account. */
export interface UsageFilter {
  accounts?: readonly string[];
  sinceMs?: number;
  untilMs?: number;
}

export interface UsageTotals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Accounts with at least one request in the range. */
  accounts: number;
  firstTs: string | null;
  lastTs: string | null;
}

export interface UsageBucket {
  startMs: number;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface AccountUsage {
  account: string;
  requests: number;
  completionTokens: number;
  firstTs: string;
  lastTs: string;
}

export interface UsageShare {
  value: string;
  requests: number;
  firstTs: string;
  lastTs: string;
}

/** Aggregates over the ledger, so every figure the console and reports show is the ledger's own. */
export interface UsageQueries {
  totals(filter: UsageFilter): Promise<UsageTotals>;
  series(filter: UsageFilter, bucketMs: number): Promise<UsageBucket[]>;
  byAccount(): Promise<AccountUsage[]>;
  /** An account's requests per key or per client IP. */
  breakdown(account: string, by: 'key' | 'ip'): Promise<UsageShare[]>;
  /** Requests per model name over the matching rows. */
  byModel(filter: UsageFilter): Promise<UsageShare[]>;
  /** Up to `limit` prompts spread evenly over the matching requests, oldest first. */
  sampleRequests(filter: UsageFilter, limit: number): Promise<LedgerRow[]>;
}

/** One entry of the enforcement audit log, as stored; `hash` seals it and everything before it. */
export interface AuditEntry {
  seq: number;
  at: string;
  account: string | null;
  campaign: string | null;
  action: string;
  actor: string;
  reason: string;
  data: unknown;
  prevHash: string;
  hash: string;
}

export type AuditDraft = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

export interface AuditQuery {
  account?: string;
  /** Entries after this sequence number, oldest first; without it, the newest first. */
  afterSeq?: number;
  limit?: number;
}

export interface AuditRepository {
  /**
   * Appends atomically across processes: `seal` is given the last entry and returns the
   * new entry's seq and hashes, all in one write transaction.
   */
  append(draft: AuditDraft, seal: (draft: AuditDraft, last: AuditEntry | undefined) => AuditEntry): Promise<AuditEntry>;
  list(query: AuditQuery): Promise<AuditEntry[]>;
  /** Every entry in seq order, paged. */
  scan(pageSize?: number): AsyncGenerator<AuditEntry>;
}

/** One interface, one folder per database dialect. */
export interface Store {
  readonly usage: UsageQueries;
  readonly accounts: AccountRepository;
  readonly keys: KeyRepository;
  readonly ledger: LedgerRepository;
  readonly limitOverrides: LimitOverrideRepository;
  readonly audit: AuditRepository;
  /** Versions of what replicas keep in memory, bumped by every write, and a wake-up when they move. */
  readonly changes: ChangeFeed;
  close(): Promise<void>;
}
