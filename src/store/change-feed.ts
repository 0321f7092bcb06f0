export const CHANGE_TOPICS = ['accounts', 'keys', 'limits', 'audit'] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];
export type ChangeVersions = Readonly<Record<ChangeTopic, number>>;

type ChangeListener = (versions: ChangeVersions) => void;
type ErrorListener = (error: unknown) => void;

/**
 * How a replica learns that rows it keeps in memory (keys, accounts, limit overrides, the audit
 * log) changed, without polling: every write through the store bumps its topic's version in the
 * same transaction, and a wake-up (a write in this process, another process's write seen on the
 * SQLite file, a PostgreSQL NOTIFY, a Redis message) makes the feed read the versions once and
 * hand them to its subscribers. A lost wake-up costs latency only until the next one, since
 * versions, not messages, say what moved; an idle store wakes nobody.
 */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private readonly errorListeners = new Set<ErrorListener>();
  private readonly writeListeners = new Set<(topic: ChangeTopic) => void>();
  private reading: Promise<void> | undefined;
  private wokenWhileReading = false;

  constructor(private readonly readVersions: () => Promise<ChangeVersions>) {}

  versions(): Promise<ChangeVersions> {
    return this.readVersions();
  }

  /** Delivers the versions after every wake-up; returns the unsubscribe. */
  subscribe(listener: ChangeListener, onError: ErrorListener): () => void {
    this.listeners.add(listener);
    this.errorListeners.add(onError);
    return () => {
      this.listeners.delete(listener);
      this.errorListeners.delete(onError);
    };
  }

  /** Called by relays (Redis) that pass this process's writes on to other replicas. */
  onWrite(listener: (topic: ChangeTopic) => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /** A write through this store committed: wake this process's subscribers and tell the relays. */
  wrote(topic: ChangeTopic): void {
    for (const listener of this.writeListeners) listener(topic);
    this.wake();
  }

  /** Something may have changed elsewhere; wake-ups during a read are folded into one more read. */
  wake(): void {
    if (this.listeners.size === 0) return;
    if (this.reading) {
      this.wokenWhileReading = true;
      return;
    }
    this.reading = this.read().finally(() => {
      this.reading = undefined;
      if (this.wokenWhileReading) {
        this.wokenWhileReading = false;
        this.wake();
      }
    });
  }

  /** Resolves once the wake-ups so far have been delivered (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.reading) await this.reading;
  }

  private async read(): Promise<void> {
    let versions: ChangeVersions;
    try {
      versions = await this.readVersions();
    } catch (error) {
      for (const onError of this.errorListeners) onError(error);
      return;
    }
    for (const listener of this.listeners) listener(versions);
  }
}

/**
 * Keeps an in-memory copy current: `refresh` runs (one at a time, folded when changes come
 * faster) whenever one of `topics` moved past what the copy has seen. Start it before loading
 * the copy, so a change made during the load is not missed.
 */
export class ChangeFollower {
  private seen: ChangeVersions | undefined;
  private running: Promise<void> = Promise.resolve();
  private pending: Set<ChangeTopic> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly topics: readonly ChangeTopic[],
    private readonly refresh: (changed: ReadonlySet<ChangeTopic>) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Takes the versions the copy is about to be loaded at and follows changes past them. */
  async start(feed: ChangeFeed): Promise<void> {
    this.seen = await feed.versions();
    this.unsubscribe = feed.subscribe((versions) => this.take(versions), this.onError);
  }

  stop(): Promise<void> {
    this.unsubscribe?.();
    return this.running;
  }

  private take(versions: ChangeVersions): void {
    const seen = this.seen;
    const changed = this.topics.filter((topic) => seen === undefined || versions[topic] !== seen[topic]);
    if (changed.length === 0) return;
    this.seen = versions;
    if (this.pending) {
      for (const topic of changed) this.pending.add(topic);
      return;
    }
    const pending = new Set(changed);
    this.pending = pending;
    this.running = this.running.then(async () => {
      this.pending = undefined;
      try {
        await this.refresh(pending);
      } catch (error) {
        // Forget having seen these versions, so the next wake-up tries again.
        const retry: Record<ChangeTopic, number> = { ...this.seen! };
        for (const topic of pending) retry[topic] = -1;
        this.seen = retry;
        this.onError(error);
      }
    });
  }
}
