import type { AccountRecord } from '../traffic/types.js';
import type { ApiKeyRecord, Store } from '../store/store.js';
import { displayPrefix, hashSecret, newId, newSecret } from './key-secret.js';

export class NotFoundError extends Error {
  constructor(readonly what: 'account' | 'key', readonly id: string) {
    super(`no ${what} "${id}"`);
  }
}

export interface IssuedKey {
  key: PublicKey;
  /** Shown once, at creation or rotation; only its hash is stored. */
  secret: string;
}

/** A key as the admin API and CLI show it: never the hash, never the secret. */
export interface PublicKey {
  id: string;
  account: string;
  prefix: string;
  name: string | null;
  created_at: string;
  revoked_at: string | null;
  expires_at: string | null;
  status: 'active' | 'expiring' | 'expired' | 'revoked';
}

export function publicKey(key: ApiKeyRecord, nowMs: number): PublicKey {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const status = key.revokedAt !== null ? 'revoked' : key.expiresAt === null ? 'active' : key.expiresAt > nowMs ? 'expiring' : 'expired';
  return {
    id: key.id,
    account: key.account,
    prefix: key.prefix,
    name: key.name,
    created_at: new Date(key.createdAt).toISOString(),
    revoked_at: iso(key.revokedAt),
    expires_at: iso(key.expiresAt),
    status,
  };
}

/** Accounts and keys: the one code path behind both the admin API and the CLI. */
export class KeyService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
    /** Told of every key written here, so a gateway's registry has it before the change feed's wake-up. */
    private readonly onKeyWritten: (key: ApiKeyRecord) => void = () => {},
  ) {}

  async upsertAccount(account: AccountRecord): Promise<AccountRecord> {
    await this.store.accounts.upsert(account);
    return account;
  }

  async getAccount(id: string): Promise<AccountRecord> {
    const account = await this.store.accounts.get(id);
    if (!account) throw new NotFoundError('account', id);
    return account;
  }

  listAccounts(): Promise<AccountRecord[]> {
    return this.store.accounts.list();
  }

  async createKey(accountId: string, name: string | null = null): Promise<IssuedKey> {
    await this.getAccount(accountId);
    const secret = newSecret();
    const nowMs = this.now();
    const record: ApiKeyRecord = {
      id: newId('key_'),
      account: accountId,
      hash: hashSecret(secret),
      prefix: displayPrefix(secret),
      name,
      createdAt: nowMs,
      revokedAt: null,
      expiresAt: null,
      updatedAt: nowMs,
    };
    await this.store.keys.insert(record);
    this.onKeyWritten(record);
    return { key: publicKey(record, nowMs), secret };
  }

  async listKeys(accountId?: string): Promise<PublicKey[]> {
    const keys = accountId ? await this.store.keys.listByAccount(accountId) : await this.store.keys.list();
    const nowMs = this.now();
    return keys.map((key) => publicKey(key, nowMs));
  }

  async revokeKey(id: string): Promise<PublicKey> {
    const key = await this.requireKey(id);
    const nowMs = this.now();
    await this.store.keys.update(id, { revokedAt: nowMs }, nowMs);
    const revoked = { ...key, revokedAt: key.revokedAt ?? nowMs, updatedAt: nowMs };
    this.onKeyWritten(revoked);
    return publicKey(revoked, nowMs);
  }

  /** Issues a successor; the old key keeps working for `graceSeconds`, so clients can switch without downtime. */
  async rotateKey(id: string, graceSeconds: number): Promise<{ previous: PublicKey; next: IssuedKey }> {
    const key = await this.requireKey(id);
    if (key.revokedAt !== null) throw new Error(`key "${id}" is revoked and cannot be rotated`);
    const next = await this.createKey(key.account, key.name);
    const nowMs = this.now();
    const expiresAt = Math.min(key.expiresAt ?? Number.MAX_SAFE_INTEGER, nowMs + graceSeconds * 1000);
    await this.store.keys.update(id, { expiresAt }, nowMs);
    const previous = { ...key, expiresAt, updatedAt: nowMs };
    this.onKeyWritten(previous);
    return { previous: publicKey(previous, nowMs), next };
  }

  private async requireKey(id: string): Promise<ApiKeyRecord> {
    const key = await this.store.keys.get(id);
    if (!key) throw new NotFoundError('key', id);
    return key;
  }
}
