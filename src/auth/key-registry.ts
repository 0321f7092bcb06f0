import type { AccountRecord } from '../traffic/types.js';
import type { ApiKeyRecord, Store } from '../store/store.js';
import { hashSecret } from './key-secret.js';
import { ChangeFollower, type ChangeTopic } from '../store/change-feed.js';

export interface Principal {
  keyId: string;
  account: string;
  tier: string;
}

export type AuthFailure = 'missing' | 'unknown' | 'revoked' | 'expired';

/** A refused key Moat knows (revoked or expired) still names its owner: key cycling is a signal. */
export interface Refusal {
  failure: AuthFailure;
  owner?: Principal;
}

/**
 * Keys and their accounts held in memory so authentication costs one hash and one map
 * lookup. Changes made elsewhere (the CLI, another replica) arrive through the store's change
 * feed: nothing is read while nothing changes.
 */
export class KeyRegistry {
  private readonly byHash = new Map<string, ApiKeyRecord>();
  private readonly tiers = new Map<string, string>();
  private lastSeenMs = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  private follower: ChangeFollower | undefined;

  /** Follows the store's changes from before the load, so none made during it is missed. */
  async start(onError: (error: unknown) => void): Promise<void> {
    this.follower = new ChangeFollower(['keys', 'accounts'], (changed) => this.refresh(changed), onError);
    await this.follower.start(this.store.changes);
    await this.load();
  }

  stop(): Promise<void> {
    return this.follower?.stop() ?? Promise.resolve();
  }

  async load(): Promise<void> {
    for (const account of await this.store.accounts.list()) this.tiers.set(account.account, account.tier);
    for (const key of await this.store.keys.list()) this.put(key);
  }

  async refresh(topics: ReadonlySet<ChangeTopic> = new Set(['keys'])): Promise<void> {
    // A tier changed elsewhere: accounts are few beside requests, and change rarely.
    if (topics.has('accounts')) for (const account of await this.store.accounts.list()) this.tiers.set(account.account, account.tier);
    if (!topics.has('keys')) return;
    // Re-read a window behind the newest change seen: writers' clocks and commits are not
    // strictly ordered, and re-applying a change is harmless.
    const changed = await this.store.keys.changedSince(this.lastSeenMs - 5_000);
    for (const key of changed) {
      if (!this.tiers.has(key.account)) await this.loadAccount(key.account);
      this.put(key);
    }
  }

  /** Called when an account is created or changes tier in this process. */
  noteAccount(account: AccountRecord): void {
    this.tiers.set(account.account, account.tier);
  }

  authenticate(secret: string | undefined): Principal | Refusal {
    if (!secret) return { failure: 'missing' };
    const key = this.byHash.get(hashSecret(secret));
    if (!key) return { failure: 'unknown' };
    const principal: Principal = { keyId: key.id, account: key.account, tier: this.tiers.get(key.account) ?? 'default' };
    if (key.revokedAt !== null) return { failure: 'revoked', owner: principal };
    if (key.expiresAt !== null && key.expiresAt <= this.now()) return { failure: 'expired', owner: principal };
    return principal;
  }

  put(key: ApiKeyRecord): void {
    this.byHash.set(key.hash, key);
    if (key.updatedAt > this.lastSeenMs) this.lastSeenMs = key.updatedAt;
  }

  private async loadAccount(id: string): Promise<void> {
    const account = await this.store.accounts.get(id);
    if (account) this.tiers.set(account.account, account.tier);
  }
}
