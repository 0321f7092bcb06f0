import type { Logger } from 'pino';
import type { LedgerRepository } from '../store/store.js';
import type { LedgerRecord } from './record.js';
import { retainText, type TextRetention } from './text-retention.js';

export interface LedgerWriterOptions {
  batchSize: number;
  flushIntervalMs: number;
  text: TextRetention;
}

/**
 * Takes usage records from the request path in O(1) and writes them in batches, one
 * transaction each, off that path. A batch that fails to commit stays queued and is tried
 * again, so a record is never dropped while the process lives; `close()` drains the queue.
 */
export class LedgerWriter {
  private queue: LedgerRecord[] = [];
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly repository: LedgerRepository,
    private readonly options: LedgerWriterOptions,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  append(record: LedgerRecord): void {
    this.queue.push(record);
    if (this.queue.length >= this.options.batchSize) void this.flush();
  }

  get pending(): number {
    return this.queue.length;
  }

  get failedFlushes(): number {
    return this.failures;
  }

  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.queue.length > 0) await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.options.batchSize).map((record) => retainText(this.options.text, record));
      try {
        await this.repository.insertBatch(batch);
      } catch (error) {
        this.failures++;
        if (!(await this.isolatePoison(batch))) {
          this.logger.error({ err: error, pending: this.queue.length }, 'ledger batch failed to commit; kept for retry');
          return;
        }
      }
      this.queue = this.queue.slice(batch.length);
    }
  }

  /**
   * Tells a store that is down (every record fails: keep all for retry) from one record the
   * store rejects (the rest commit; that one is logged whole, so its usage survives in the
   * log, instead of blocking the ledger forever).
   */
  private async isolatePoison(batch: LedgerRecord[]): Promise<boolean> {
    let committed = 0;
    const rejected: { record: LedgerRecord; error: unknown }[] = [];
    for (const record of batch) {
      try {
        await this.repository.insertBatch([record]);
        committed++;
      } catch (error) {
        rejected.push({ record, error });
      }
    }
    if (committed === 0) return false;
    for (const { record, error } of rejected) this.logger.error({ err: error, record }, 'ledger record rejected by the store');
    return true;
  }
}
