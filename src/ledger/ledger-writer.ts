import type { Logger } from 'pino';
import type { LedgerRepository } from '../store/store.js';
import type { AppendFile } from './append-file.js';
import type { LedgerFiles } from './ledger-files.js';
import type { LedgerRecord } from './record.js';
import { toRow } from './ledger-rows.js';
import { retainText, type TextRetention } from './text-retention.js';

export interface LedgerWriterOptions {
  batchSize: number;
  /** While the store is down, how often the spool is retried with no new record to prompt it. */
  flushIntervalMs: number;
  text: TextRetention;
}

/** What /metrics reports of the ledger, whichever thread writes it. */
export interface LedgerStats {
  readonly pending: number;
  readonly failedFlushes: number;
  readonly spooledBytes: number;
}

/** How a batch went: how many of its records are settled (committed or quarantined), and the store fault that stopped the rest. */
interface Commit {
  settled: number;
  fault: unknown;
}

/**
 * Takes usage records from the request path in O(1) and writes them in batches, one
 * transaction each, off that path. No record is dropped for a store fault:
 * - a store that is full or down gets nothing more; what it could not take is appended to the
 *   spool (fsync'd per batch) and replayed, in order, when it takes a batch again (inserts
 *   are idempotent by request id, so a replay cut short is simply run again);
 * - only a record the store rejects for its content is set aside, into the quarantine file;
 * - with a journal, each record is on local disk from the moment it is appended, and the
 *   journal is replayed at start-up after a crash.
 */
export class LedgerWriter implements LedgerStats {
  private queue: LedgerRecord[] = [];
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private storeDown = false;
  private journalBroken = false;

  constructor(
    private readonly repository: LedgerRepository,
    private readonly files: LedgerFiles,
    private readonly options: LedgerWriterOptions,
    private readonly logger: Logger,
  ) {}

  /** A crash left records in the journal: they go back in the queue (the store ignores those it has). */
  recover(): number {
    const journal = this.files.journal;
    if (!journal || journal.size === 0) return 0;
    const recovered = [...this.records(journal, 'journal')];
    this.queue = [...recovered, ...this.queue];
    return recovered.length;
  }

  append(record: LedgerRecord): void {
    const kept = retainText(this.options.text, record);
    this.queue.push(kept);
    if (this.files.journal && !this.journalBroken) this.journalLine(kept);
    this.schedule();
  }

  /**
   * A record already retained and journaled elsewhere (the main thread, for a writer in a
   * worker), as its JSON line; one that does not parse is quarantined, never dropped. Returns
   * the record queued (the worker's detection reads the same object).
   */
  takeLine(line: string, from = 'journal'): LedgerRecord | undefined {
    let record: LedgerRecord;
    try {
      record = JSON.parse(line) as LedgerRecord;
    } catch (error) {
      this.quarantine(line, error, from);
      return undefined;
    }
    this.queue.push(record);
    return record;
  }

  /**
   * Writes once the current turn of the event loop is done: every record finished in that
   * turn goes in one transaction, and an idle gateway runs no timer at all.
   */
  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.tick();
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  get failedFlushes(): number {
    return this.failures;
  }

  /** Bytes waiting in the spool for the store to come back. */
  get spooledBytes(): number {
    return this.files.spool.size;
  }

  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Commits or spools everything; false only if neither the store nor the local disk would take a record (then each is logged whole). */
  async close(): Promise<boolean> {
    clearTimeout(this.retry);
    this.retry = undefined;
    await this.flush();
    if (this.queue.length > 0) await this.flush();
    this.closed = true;
    const left = this.queue;
    for (const record of left) this.logger.fatal({ record }, 'ledger record could be neither committed nor spooled');
    this.files.journal?.close();
    this.files.spool.close();
    this.files.quarantine.close();
    return left.length === 0;
  }

  private async tick(): Promise<void> {
    // After close the files' descriptors may belong to other files: nothing may touch them.
    if (this.closed) return;
    await this.flush();
    if (this.closed) return;
    // The batch's fsync: on power loss the journal loses at most the records of one batch.
    if (this.files.journal && !this.journalBroken && this.files.journal.size > 0) {
      await this.files.journal.sync().catch((error: unknown) => this.journalFailed(error));
    }
  }

  private async drain(): Promise<void> {
    if (this.files.spool.size > 0 && !(await this.replaySpool())) return this.spoolQueue();
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.options.batchSize);
      const { settled, fault } = await this.commit(batch);
      this.queue = this.queue.slice(settled);
      if (fault !== undefined) return this.spoolQueue();
    }
    // Checked and emptied in one turn of the loop: every journaled record is now in the store or the spool.
    if (this.files.journal && !this.journalBroken) this.files.journal.truncate();
    this.storeBack();
  }

  private async commit(batch: LedgerRecord[]): Promise<Commit> {
    try {
      // Mapping inside the try: a record that cannot be serialised is refused for its content.
      await this.repository.insertBatch(batch.map(toRow));
      return { settled: batch.length, fault: undefined };
    } catch (error) {
      if (!this.repository.rejectsContent(error)) return this.storeFault(error, 0);
    }
    // Some record in the batch is refused for its content: find it, commit the rest.
    for (let i = 0; i < batch.length; i++) {
      const record = batch[i]!;
      try {
        await this.repository.insertBatch([toRow(record)]);
      } catch (error) {
        if (!this.repository.rejectsContent(error)) return this.storeFault(error, i);
        this.quarantine(record, error);
      }
    }
    return { settled: batch.length, fault: undefined };
  }

  private storeFault(error: unknown, settled: number): Commit {
    this.failures++;
    // The only timer: while the store is down, the spool is retried even if no request comes.
    this.retry ??= setTimeout(() => {
      this.retry = undefined;
      void this.tick();
    }, this.options.flushIntervalMs).unref();
    if (!this.storeDown) {
      this.storeDown = true;
      this.logger.error({ err: error, spool: this.files.spool.path }, 'ledger store failed; records go to the spool until it is back');
    }
    return { settled, fault: error };
  }

  private storeBack(): void {
    if (!this.storeDown) return;
    this.storeDown = false;
    this.logger.warn('ledger store is back; the spool has been replayed');
  }

  /** The spool, in order, into the store; true when it is all in (and the spool emptied). */
  private async replaySpool(): Promise<boolean> {
    let batch: LedgerRecord[] = [];
    for (const record of this.records(this.files.spool, 'spool')) {
      batch.push(record);
      if (batch.length < this.options.batchSize) continue;
      if ((await this.commit(batch)).fault !== undefined) return false;
      batch = [];
    }
    if (batch.length > 0 && (await this.commit(batch)).fault !== undefined) return false;
    this.files.spool.truncate();
    return true;
  }

  /** Moves the whole queue to the spool (after what is there: order is kept), fsync'd. */
  private spoolQueue(): void {
    if (this.queue.length === 0) return;
    const lines: string[] = [];
    for (const record of this.queue) {
      try {
        lines.push(JSON.stringify(record));
      } catch (error) {
        this.quarantine(record, error);
      }
    }
    try {
      this.files.spool.append(lines);
      this.files.spool.syncNow();
    } catch (error) {
      // The local disk is full too: the records stay in memory and the next flush tries both again.
      this.logger.error({ err: error, pending: this.queue.length }, 'ledger spool write failed; records kept in memory');
      return;
    }
    this.queue = [];
    if (this.files.journal && !this.journalBroken) this.files.journal.truncate();
  }

  private journalLine(record: LedgerRecord): void {
    try {
      this.files.journal!.append([JSON.stringify(record)]);
    } catch (error) {
      // An unserialisable record is the store's to judge (and quarantine); a failing disk ends journaling.
      if (!(error instanceof RangeError || error instanceof TypeError)) this.journalFailed(error);
    }
  }

  private journalFailed(error: unknown): void {
    if (this.journalBroken) return;
    this.journalBroken = true;
    this.logger.error({ err: error, journal: this.files.journal?.path }, 'ledger journal write failed; records are held only in memory until committed');
  }

  private *records(file: AppendFile, what: string): Generator<LedgerRecord> {
    for (const line of file.lines()) {
      let record: LedgerRecord;
      try {
        record = JSON.parse(line) as LedgerRecord;
      } catch (error) {
        // A line cut off by a crash mid-write; set aside where an operator looks, never silently.
        this.quarantine(line, error, what);
        continue;
      }
      yield record;
    }
  }

  private quarantine(record: LedgerRecord | string, error: unknown, from = 'store'): void {
    const reason = error instanceof Error ? error.message : String(error);
    let line: string;
    try {
      line = JSON.stringify({ quarantined_at: new Date().toISOString(), from, reason, record });
    } catch {
      const { id, ts, account, key, usage, status, endpoint } = record as LedgerRecord;
      line = JSON.stringify({ quarantined_at: new Date().toISOString(), from, reason, record: { id, ts, account, key, usage, status, endpoint, request: '[not serialisable]' } });
    }
    try {
      this.files.quarantine.append([line]);
      this.files.quarantine.syncNow();
    } catch (writeError) {
      this.logger.fatal({ err: writeError, quarantined: line }, 'ledger quarantine write failed');
    }
    this.logger.error({ reason, from, id: typeof record === 'string' ? undefined : record.id, file: this.files.quarantine.path }, 'ledger record quarantined');
  }
}
