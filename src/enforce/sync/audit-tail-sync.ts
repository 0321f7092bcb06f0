import type { AuditRepository } from '../../store/store.js';
import { messageOf } from '../decision-log.js';
import type { DecisionSync, SyncMessage } from './decision-sync.js';

/**
 * Without Redis the audit log is the channel: every change is an entry in the shared store,
 * so a gateway reads the entries after the last it saw (the CLI's, another replica's).
 */
export class AuditTailSync implements DecisionSync {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly audit: AuditRepository,
    private lastSeq: number,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(listener: (message: SyncMessage) => void): Promise<void> {
    this.timer = setInterval(() => {
      this.polling = this.poll(listener).catch(this.onError);
    }, this.intervalMs);
    this.timer.unref();
  }

  async publish(): Promise<void> {
    // Appending the audit entry was the publication.
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  private async poll(listener: (message: SyncMessage) => void): Promise<void> {
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
