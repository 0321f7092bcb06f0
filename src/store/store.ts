import type { AccountRecord } from '../traffic/types.js';
import type { LedgerRecord } from '../ledger/record.js';

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

export interface LedgerRepository {
  insertBatch(records: readonly LedgerRecord[]): Promise<void>;
  /** In timestamp order, paged so a large range never sits in memory at once. */
  scan(query: LedgerQuery, pageSize?: number): AsyncGenerator<LedgerRecord>;
  /** Drops prompt and response text from records older than `beforeMs`; returns how many. */
  dropTextBefore(beforeMs: number): Promise<number>;
}

/** One interface, one folder per database dialect. */
export interface Store {
  readonly accounts: AccountRepository;
  readonly keys: KeyRepository;
  readonly ledger: LedgerRepository;
  close(): Promise<void>;
}
