import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { renameSync, writeFileSync } from 'node:fs';
import { AppendFile } from '../ledger/append-file.js';
import type { LedgerStats, LedgerWriter, LedgerWriterOptions } from '../ledger/ledger-writer.js';
import type { LedgerRecord } from '../ledger/record.js';
import { retainText } from '../ledger/text-retention.js';
import type { ArrivalWatermark } from './detection-tap.js';
import type { EventSink } from './event-sink.js';
import type { FromLedgerWorker, LedgerWorkerData, ToLedgerWorker } from './ledger-messages.js';
import { WorkerDetection, type DetectionRequest } from './worker-detection.js';

/** The event sink the gateway hands finished records to, with what /metrics reports of it. */
export interface LedgerSink extends EventSink<LedgerRecord>, LedgerStats {
  /** `bodyText`: the record's request as the client sent it (JSON text), when it is exactly that. */
  publish(record: LedgerRecord, bodyText?: string): void;
  /** Records a crash left in the journal go to the store first; returns how many. */
  recover(): number;
  /**
   * Resolves once every record published so far is in the journal, when journal lines are
   * written in batches; undefined when they are already there (or there is no journal). The
   * request path waits on it before the answer's last bytes go out.
   */
  journaled(): Promise<void> | undefined;
}

/**
 * The writer on the main thread: for a store the caller opened (tests wrap one to inject
 * faults), which cannot cross to another thread.
 */
export class InThreadLedgerSink implements LedgerSink {
  constructor(private readonly writer: LedgerWriter) {}

  publish(record: LedgerRecord): void {
    this.writer.append(record);
  }

  recover(): number {
    return this.writer.recover();
  }

  /** The in-thread writer journals each record as it takes it. */
  journaled(): undefined {
    return undefined;
  }

  async flush(): Promise<boolean> {
    await this.writer.flush();
    return this.writer.pending === 0;
  }

  close(): Promise<boolean> {
    return this.writer.close();
  }

  get pending(): number {
    return this.writer.pending;
  }

  get failedFlushes(): number {
    return this.writer.failedFlushes;
  }

  get spooledBytes(): number {
    return this.writer.spooledBytes;
  }
}

/**
 * The worker's entry. Under tsx (tests, `npm run moat`) this module is TypeScript and so is
 * the worker; Node 20 does not run `--import` hooks before a worker's entry module loads, so
 * a two-line script registers tsx in the worker first.
 */
function ledgerWorker(workerData: LedgerWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./ledger-worker.js', import.meta.url), { workerData });
  const entry = new URL('./ledger-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData });
}

type Done = Extract<FromLedgerWorker, { type: 'done' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The record's JSON line with its request spliced in as the client's own JSON text, not
 * serialised again from the parsed body (the largest part of most lines). A body with line
 * breaks between its tokens would split the line, so it is serialised as any other.
 */
export function lineWithBody(record: LedgerRecord, bodyText: string): string {
  if (bodyText.includes('\n') || bodyText.includes('\r')) return JSON.stringify(record);
  return `{"request":${bodyText},${JSON.stringify({ ...record, request: undefined }).slice(1)}`;
}

/**
 * The embedded sink: records go to a worker thread that does the ledger's SQLite writes and,
 * with detection on, runs the detection engine over the same records.
 * What stays on the request path is one JSON.stringify per record and, with durability
 * `journal`, the journal write: the lines of one event-loop turn in one write(2) at the end
 * of the turn (a write per record was the largest single cost of a request), which the
 * request path awaits before the answer's last bytes go out, so a record is on local disk
 * before its client has them and a crash (of either thread) loses nothing answered. The
 * lines of one batch window (`flushIntervalMs`) go to the worker in one message.
 */
export class WorkerLedgerSink implements LedgerSink {
  private readonly worker: Worker;
  private outbox: string[] = [];
  private scheduled = false;
  private published = 0;
  /** Lines handed to the worker so far. */
  private posted = 0;
  private settled = 0;
  private stats = { pending: 0, spooledBytes: 0, failedFlushes: 0 };
  private nextId = 0;
  private readonly answers = new Map<number, (done: Done | undefined) => void>();
  /** Full copies of this batch's lines for detection, when text retention strips the lines themselves. */
  private fullLines: string[] = [];
  /** Detection in the worker, when the worker was started with it. */
  readonly detection: WorkerDetection | undefined;
  private journalBroken = false;
  private failed = false;
  /** Lines published this turn, not yet in the journal, and the promise their write settles. */
  private unjournaled: string[] = [];
  /** What was appended since the journal was last emptied or replaced, in characters (about bytes: the lines are mostly ASCII). */
  private journalBytes = 0;
  private journalWrite: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    data: Omit<LedgerWorkerData, 'journalPath'>,
    private journal: AppendFile | undefined,
    private readonly options: LedgerWriterOptions,
    private readonly logger: Logger,
    /** Below this size the journal waits for a moment when all of it is settled (a truncate) instead of being rewritten. */
    private readonly compactAtBytes = 1 << 20,
    /** Releases records to the worker's detection: the requests still in flight. Required with `data.detection`. */
    private readonly inFlight?: ArrivalWatermark,
  ) {
    this.worker = ledgerWorker({ ...data, journalPath: journal?.path });
    this.detection = data.detection && new WorkerDetection((request) => this.askDetection(request), logger);
    this.worker.on('message', (message: FromLedgerWorker) => this.received(message));
    this.worker.on('error', (error) => {
      // What it had not settled is in the journal (durability `journal`) and replays at the next start.
      this.failed = true;
      this.logger.fatal({ err: error, unsettled: this.published - this.settled }, 'ledger worker failed; unsettled records stay in the journal');
      for (const answer of this.answers.values()) answer(undefined);
      this.answers.clear();
    });
  }

  publish(record: LedgerRecord, bodyText?: string): void {
    const kept = retainText(this.options.text, record);
    let line: string;
    try {
      line = kept === record && bodyText !== undefined ? lineWithBody(record, bodyText) : JSON.stringify(kept);
    } catch (error) {
      // Only the body can hold what JSON cannot (every other field is Moat's own): the usage record is kept without it.
      line = JSON.stringify({ ...kept, request: {} });
      this.logger.error({ err: error, requestId: kept.id }, 'ledger record body could not be serialised; recorded without it');
    }
    if (this.journal && !this.journalBroken) this.journalLater(line);
    this.outbox.push(line);
    if (this.detection && kept !== record) this.fullLines.push(this.fullLine(record, line));
    this.published++;
    // One message (and one transaction in the worker) per batch window; armed only when there is a record to send.
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.post(), this.options.flushIntervalMs).unref();
  }

  journaled(): Promise<void> | undefined {
    return this.journalWrite?.promise;
  }

  recover(): number {
    if (!this.journal || this.journal.size === 0) return 0;
    // Already journaled: they go to the worker as they are, and count towards what must settle before the journal empties.
    const lines = [...this.journal.lines()];
    this.post();
    this.outbox.push(...lines);
    this.published += lines.length;
    this.post(false);
    return lines.length;
  }

  async flush(): Promise<boolean> {
    return (await this.ask({ type: 'flush' }))?.durable ?? false;
  }

  async close(): Promise<boolean> {
    const durable = (await this.ask({ type: 'close' }))?.durable ?? false;
    this.writeJournal();
    await this.worker.terminate();
    this.journal?.close();
    return durable && !this.failed;
  }

  get pending(): number {
    return this.published - this.settled;
  }

  get failedFlushes(): number {
    return this.stats.failedFlushes;
  }

  get spooledBytes(): number {
    return this.stats.spooledBytes;
  }

  /** `detect` false: lines recovered from the journal, which detection warms up from in the ledger instead. */
  private post(detect = true): void {
    this.scheduled = false;
    // The worker may settle (and the journal be emptied of) only lines that are in it.
    this.writeJournal();
    if (this.outbox.length === 0 || this.failed) return;
    this.compactJournal();
    const part = detect && this.detection ? { watermark: this.watermark(), fullLines: this.fullLines.length > 0 ? this.fullLines : undefined } : undefined;
    this.send({ type: 'lines', lines: this.outbox, detect: part });
    this.posted += this.outbox.length;
    this.outbox = [];
    this.fullLines = [];
  }

  /** Every record published after this was posted arrived at or after it: detection may take the ones before. */
  private watermark(): number {
    return this.inFlight?.oldest() ?? Number.POSITIVE_INFINITY;
  }

  private fullLine(record: LedgerRecord, kept: string): string {
    try {
      return JSON.stringify(record);
    } catch {
      return kept;
    }
  }

  private async askDetection(request: DetectionRequest): Promise<number> {
    const done = await this.ask(request.type === 'detect' ? { type: 'detect', watermark: this.watermark() } : request);
    if (!done) throw new Error('the ledger worker stopped; detection is not available');
    if (done.error !== undefined) throw new Error(`detection in the ledger worker failed: ${done.error}`);
    return done.count;
  }

  /**
   * Under steady load there is never a moment when every journaled line is settled (new ones
   * arrive while the worker writes), so the journal cannot simply be emptied: once everything
   * posted before is settled, it is replaced, atomically by rename, with just the lines about
   * to be posted. A crash at any point leaves either the old journal or the new one, both
   * holding every unsettled line. A small journal is left to grow: rewriting it every batch
   * window cost more than the rest of a quiet gateway's bookkeeping, and one whose lines all
   * settle is emptied by a truncate anyway.
   */
  private compactJournal(): void {
    const journal = this.journal;
    if (!journal || this.journalBroken || this.settled !== this.posted || this.posted === 0 || this.journalBytes < this.compactAtBytes) return;
    const next = `${journal.path}.next`;
    try {
      writeFileSync(next, this.outbox.length === 0 ? '' : this.outbox.join('\n') + '\n', { mode: 0o600 });
      renameSync(next, journal.path);
    } catch (error) {
      // The old journal is still whole: it goes on growing until a rename works or the worker settles all of it.
      this.logger.error({ err: error, journal: journal.path }, 'ledger journal compaction failed');
      return;
    }
    journal.close();
    this.journal = new AppendFile(journal.path);
    this.journalBytes = 0;
  }

  /** Posts what is waiting first, so the worker answers after taking every record published before the question. */
  private ask(request: DistributiveOmit<Extract<ToLedgerWorker, { id: number }>, 'id'>): Promise<Done | undefined> {
    this.post();
    if (this.failed) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.answers.set(id, resolve);
      this.send({ ...request, id } as ToLedgerWorker);
    });
  }

  private send(message: ToLedgerWorker): void {
    this.worker.postMessage(message);
  }

  private received(message: FromLedgerWorker): void {
    if (message.type === 'done') {
      this.answers.get(message.id)?.(message);
      this.answers.delete(message.id);
      return;
    }
    if (message.type === 'verdicts') {
      this.detection?.apply(message.update);
      return;
    }
    this.settled = message.settled;
    this.stats = message;
    // Checked and emptied in one turn: every journaled line is now in the store, the spool or quarantine.
    if (this.journal && !this.journalBroken && this.settled === this.published && this.outbox.length === 0) {
      this.journal.truncate();
      this.journalBytes = 0;
    }
  }

  /** Queues a line for the journal write at the end of this turn (setImmediate: after the turn's I/O callbacks). */
  private journalLater(line: string): void {
    this.unjournaled.push(line);
    if (this.journalWrite) return;
    let resolve!: () => void;
    const promise = new Promise<void>((done) => (resolve = done));
    this.journalWrite = { promise, resolve };
    setImmediate(() => this.writeJournal());
  }

  /** One write(2) for the turn's lines; its waiters go on whether it worked or not (a failure is logged, the lines stay in memory). */
  private writeJournal(): void {
    const waiting = this.journalWrite;
    if (!waiting) return;
    this.journalWrite = undefined;
    const lines = this.unjournaled;
    this.unjournaled = [];
    if (this.journal && !this.journalBroken) {
      try {
        this.journal.append(lines);
        for (const line of lines) this.journalBytes += line.length + 1;
      } catch (error) {
        this.journalBroken = true;
        this.logger.error({ err: error, journal: this.journal.path }, 'ledger journal write failed; records are held only in memory until committed');
      }
    }
    waiting.resolve();
  }
}
