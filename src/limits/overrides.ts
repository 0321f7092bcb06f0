import type { LimitOverrideRecord, LimitOverrideRepository, LimitScope } from '../store/store.js';
import { LIMIT_NAMES, type LimitName, type LimitSet } from './limits-schema.js';
import { ChangeFollower, type ChangeFeed } from '../store/change-feed.js';

/** An override's values: a number sets a limit, null lifts it, an absent name keeps the tier's. */
export type LimitChange = Partial<Record<LimitName, number | null>>;

export function applyChange(base: LimitSet, change: LimitChange | undefined): LimitSet {
  if (!change) return base;
  const merged: LimitSet = { ...base };
  for (const name of LIMIT_NAMES) {
    const value = change[name];
    if (value === null) delete merged[name];
    else if (value !== undefined) merged[name] = value;
  }
  return merged;
}

function toChange(values: Readonly<Record<string, number | null>>): LimitChange {
  const change: LimitChange = {};
  for (const name of LIMIT_NAMES) if (name in values) change[name] = values[name] ?? null;
  return change;
}

const subjectKey = (scope: LimitScope, subject: string) => `${scope}\u0000${subject}`;

/**
 * Overrides held in memory so the hot path reads a map, re-read when the store's change feed
 * says they changed, so a change made through any replica's admin API or the CLI reaches every
 * replica as soon as the feed carries it.
 */
export class OverrideCache {
  /** scope+subject -> model ('' for all) -> change. */
  private readonly bySubject = new Map<string, Map<string, LimitChange>>();
  private lastSeenMs = 0;
  private follower: ChangeFollower | undefined;

  constructor(private readonly repository: LimitOverrideRepository) {}

  /** Follows the feed from before the load, so no change made during it is missed. */
  async start(changes: ChangeFeed, onError: (error: unknown) => void): Promise<void> {
    this.follower = new ChangeFollower(['limits'], () => this.refresh(), onError);
    await this.follower.start(changes);
    await this.load();
  }

  stop(): Promise<void> {
    return this.follower?.stop() ?? Promise.resolve();
  }

  async load(): Promise<void> {
    for (const record of await this.repository.list()) this.put(record);
  }

  async refresh(): Promise<void> {
    // A window behind the newest change seen: writers' clocks are not strictly ordered.
    for (const record of await this.repository.changedSince(this.lastSeenMs - 5_000)) this.put(record);
  }

  /** The subject's overrides by model ('' for all models); empty when it has none. */
  forSubject(scope: LimitScope, subject: string): ReadonlyMap<string, LimitChange> {
    return this.bySubject.get(subjectKey(scope, subject)) ?? EMPTY;
  }

  put(record: LimitOverrideRecord): void {
    const key = subjectKey(record.scope, record.subject);
    const models = this.bySubject.get(key) ?? new Map<string, LimitChange>();
    const change = toChange(record.limits);
    if (Object.keys(change).length === 0) models.delete(record.model);
    else models.set(record.model, change);
    if (models.size === 0) this.bySubject.delete(key);
    else this.bySubject.set(key, models);
    if (record.updatedAt > this.lastSeenMs) this.lastSeenMs = record.updatedAt;
  }
}

const EMPTY: ReadonlyMap<string, LimitChange> = new Map();
