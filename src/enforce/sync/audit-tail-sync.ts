import { ChangeFollower, type ChangeFeed } from '../../store/change-feed.js';
import type { AuditRepository } from '../../store/store.js';
import { messageOf } from '../decision-log.js';
import type { DecisionSync, SyncMessage } from './decision-sync.js';

/**
 * Without Redis the audit log is the channel: every change is an entry in the shared store,
 * so when the store's change feed says the log moved, a gateway reads the entries after the
 * last it saw (the CLI's, another replica's).
 */
export class AuditTailSync implements DecisionSync {
  private follower: ChangeFollower | undefined;

  constructor(
    private readonly audit: AuditRepository,
    private readonly changes: ChangeFeed,
    private lastSeq: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(listener: (message: SyncMessage) => void): Promise<void> {
    this.follower = new ChangeFollower(['audit'], () => this.read(listener), this.onError);
    await this.follower.start(this.changes);
    // Entries appended between the replay and the follower's start.
    await this.read(listener);
  }

  async publish(): Promise<void> {
    // Appending the audit entry was the publication.
  }

  async close(): Promise<void> {
    await this.follower?.stop();
  }

  private async read(listener: (message: SyncMessage) => void): Promise<void> {
    for (;;) {
      const entries = await this.audit.list({ afterSeq: this.lastSeq, limit: 500 });
      for (const entry of entries) {
        this.lastSeq = entry.seq;
        const message = messageOf(entry);
        if (message) listener(message);
      }
      if (entries.length < 500) return;
    }
  }
}
