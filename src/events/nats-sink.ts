import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { headers, type JetStreamClient, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { AppendFile } from '../ledger/append-file.js';
import type { LedgerRecord } from '../ledger/record.js';
import type { BusNames } from './bus.js';
import type { EventSink } from './event-sink.js';
import { encodeWatermark, type Watermark } from './watermark.js';

export interface NatsSinkOptions {
  nc: NatsConnection;
  names: BusNames;
  /** This gateway process, in watermarks (a restarted gateway is a new one). */
  gatewayId: string;
  /** Folder of the journal and spool. */
  localDir: string;
  publishTimeoutMs: number;
  watermarkIntervalMs: number;
  /** Arrival time of the oldest request still in flight (Infinity when idle). */
  oldestInFlight: () => number;
  /** Arrivals carry their recorded time (tests, replays): before its first request a gateway cannot say how far the replay is. */
  replayClock: boolean;
  logger: Logger;
}

interface Outgoing {
  subject: string;
  data: Uint8Array;
  /** The request id (JetStream de-duplicates on it); none for a watermark. */
  id: string | undefined;
  line: string | undefined;
}

const WINDOW = 256;
const RETRY_MS = 500;
const encoder = new TextEncoder();

/**
 * Publishes every finished request's record to JetStream, at least once, with the request id as
 * the message id (a record re-sent within the de-duplication window is stored once).
 * - Each record is appended to a local journal as it is published (one write(2): it survives the
 *   process being killed; fsync'd every watermark interval) and the journal is emptied once
 *   JetStream has acknowledged or the spool holds everything; a restart re-publishes it.
 * - While NATS is unreachable (or does not acknowledge within `publishTimeoutMs`) records go to
 *   the spool, fsync'd, and everything after them too, so order is kept; the spool is replayed
 *   in order once NATS answers again, and only then does direct publishing resume.
 * - Every interval the gateway's watermark goes to every partition, behind the records it covers,
 *   so detection can release traffic in arrival order across gateways.
 */
export class NatsEventSink implements EventSink<LedgerRecord> {
  private readonly js: JetStreamClient;
  private readonly journal: AppendFile;
  private readonly spool: AppendFile;
  private queue: Outgoing[] = [];
  private pumping: Promise<void> | undefined;
  private spooling: boolean;
  private nextAttempt = 0;
  private connected = true;
  private lastTs = 0;
  private lastTsAt = 0;
  private lost = 0;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  /** Records JetStream did not take in time, sent to the spool (a Prometheus counter reads it). */
  spooledRecords = 0;

  constructor(private readonly options: NatsSinkOptions) {
    this.js = options.nc.jetstream({ timeout: options.publishTimeoutMs });
    mkdirSync(options.localDir, { recursive: true });
    const file = (suffix: string) => join(options.localDir, `${options.names.name}-${suffix}.jsonl`);
    this.journal = new AppendFile(file('events-journal'));
    this.spool = new AppendFile(file('events-spool'));
    this.spooling = this.spool.size > 0;
    void this.watchStatus();
    this.timer = setInterval(() => this.tick(), options.watermarkIntervalMs);
    this.timer.unref();
  }

  /** Records a crash left in the journal go out first (consumers ignore those they already have). */
  recover(): number {
    let count = 0;
    const recovered: Outgoing[] = [];
    for (const line of this.journal.lines()) {
      const record = parseRecord(line);
      if (!record) continue;
      recovered.push(this.outgoing(record, line));
      count++;
    }
    this.queue = [...recovered, ...this.queue];
    if (count > 0) this.pump();
    return count;
  }

  publish(record: LedgerRecord): void {
    const line = JSON.stringify(record);
    try {
      this.journal.append([line]);
    } catch (error) {
      this.options.logger.error({ err: error, requestId: record.id }, 'event journal write failed; the record is held in memory until published');
    }
    const ms = Date.parse(record.ts);
    if (ms > this.lastTs) {
      this.lastTs = ms;
      this.lastTsAt = Date.now();
    }
    this.queue.push(this.outgoing(record, line));
    this.pump();
  }

  /** Bytes waiting in the spool for NATS to come back. */
  get spoolBytes(): number {
    return this.spool.size;
  }

  get pending(): number {
    return this.queue.length;
  }

  async flush(): Promise<boolean> {
    while (this.pumping) await this.pumping;
    return this.lost === 0;
  }

  async close(): Promise<boolean> {
    clearInterval(this.timer);
    // Detection stops waiting for this gateway once its last watermark (Infinity) is through.
    if (!this.spooling) this.enqueueWatermark(Number.POSITIVE_INFINITY);
    this.pump();
    await this.flush();
    // "Stopping" only once the last watermark is in the stream, so detection may wait for it as
    // long as the workers take; spooling, it cannot be, and this gateway falls silent like a
    // killed one (given up after the timeout; its spool goes out when it starts again).
    if (!this.spooling) this.sayAlive(Number.POSITIVE_INFINITY);
    this.closed = true;
    try {
      this.journal.syncNow();
    } catch {
      // Already logged on write; the spool and JetStream hold what matters.
    }
    this.journal.close();
    this.spool.close();
    return this.lost === 0;
  }

  private outgoing(record: LedgerRecord, line: string): Outgoing {
    return { subject: this.options.names.event(this.options.names.partitionOf(record.account)), data: encoder.encode(line), id: record.id, line };
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.options.nc.status()) {
      if (status.type === 'disconnect') this.connected = false;
      if (status.type === 'reconnect') {
        this.connected = true;
        this.nextAttempt = 0;
        this.pump();
      }
    }
  }

  private tick(): void {
    this.sayAlive(Date.now());
    if (this.spooling) this.pump();
    else if (this.connected && !this.queue.some((out) => out.id === undefined)) {
      const oldest = this.options.oldestInFlight();
      this.enqueueWatermark(Number.isFinite(oldest) ? oldest : this.idleWatermark());
    }
    if (this.journal.size > 0) void this.journal.sync().catch(() => undefined);
  }

  /**
   * Idle, everything this gateway took is published, and its next arrival is later than its last
   * by at least the time since: with the wall clock that is now; with the replay clock it holds
   * while the replay runs at least as fast as the traffic was recorded (replays run far faster),
   * and a replay must send each gateway some traffic.
   */
  private idleWatermark(): number {
    // Before any request: with the wall clock, now; replaying, nothing is known, so detection waits for this gateway's first one.
    if (this.lastTs === 0) return this.options.replayClock ? 0 : Date.now();
    return this.lastTs + 1 + (Date.now() - this.lastTsAt);
  }

  /** Core NATS, not stored: a gateway that stops saying it is a killed one (Infinity: stopping). */
  private sayAlive(ms: number): void {
    if (this.options.nc.isClosed()) return;
    this.options.nc.publish(this.options.names.presence, encodeWatermark({ gateway: this.options.gatewayId, ms }));
  }

  private enqueueWatermark(ms: number): void {
    const watermark: Watermark = { gateway: this.options.gatewayId, ms };
    const data = encodeWatermark(watermark);
    for (let p = 0; p < this.options.names.partitions; p++) this.queue.push({ subject: this.options.names.event(p), data, id: undefined, line: undefined });
    this.pump();
  }

  private pump(): void {
    this.pumping ??= this.drain()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'event publishing failed'))
      .finally(() => {
        this.pumping = undefined;
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.spooling && !(await this.replaySpool())) {
        this.spoolQueue();
        return;
      }
      if (this.queue.length === 0) break;
      const batch = this.queue.splice(0, WINDOW);
      const failed = await this.send(batch);
      if (failed >= 0) {
        this.queue = [...batch.slice(failed), ...this.queue];
        this.startSpooling();
      }
    }
    // Everything journaled is acknowledged by JetStream now.
    if (this.queue.length === 0 && !this.spooling) this.journal.truncate();
  }

  /** Sends in order; the index of the first that JetStream did not acknowledge, or -1. */
  private async send(batch: readonly Outgoing[]): Promise<number> {
    const results = await Promise.allSettled(batch.map((out) => this.js.publish(out.subject, out.data, out.id === undefined ? { headers: watermarkHeaders } : { msgID: out.id })));
    return results.findIndex((result) => result.status === 'rejected');
  }

  private startSpooling(): void {
    if (this.spooling) return;
    this.spooling = true;
    this.nextAttempt = Date.now() + RETRY_MS;
    this.options.logger.error({ spool: this.spool.path }, 'NATS is not acknowledging events; spooling them until it is back');
  }

  /** The spool, in order, to JetStream; true once it is all acknowledged (and the spool emptied). */
  private async replaySpool(): Promise<boolean> {
    if (!this.connected || Date.now() < this.nextAttempt || this.closed) return false;
    let batch: Outgoing[] = [];
    const flush = async () => {
      const failed = await this.send(batch);
      batch = [];
      return failed < 0;
    };
    for (const line of this.spool.lines()) {
      const record = parseRecord(line);
      if (record) batch.push(this.outgoing(record, line));
      if (batch.length >= WINDOW && !(await flush())) return this.retryLater();
    }
    if (batch.length > 0 && !(await flush())) return this.retryLater();
    // Checked and emptied in one turn of the loop: nothing was appended in between.
    this.spool.truncate();
    this.spooling = false;
    this.options.logger.warn('NATS is back; the event spool has been replayed');
    return true;
  }

  private retryLater(): false {
    this.nextAttempt = Date.now() + RETRY_MS;
    return false;
  }

  /** The queue's records after what the spool holds, fsync'd; watermarks are dropped (newer ones follow). */
  private spoolQueue(): void {
    const lines = this.queue.flatMap((out) => (out.line === undefined ? [] : [out.line]));
    if (lines.length === 0) {
      this.queue = [];
      return;
    }
    try {
      this.spool.append(lines);
      this.spool.syncNow();
    } catch (error) {
      // The disk is full too: the records stay in memory (and in the journal) for the next try.
      this.options.logger.error({ err: error, pending: lines.length }, 'event spool write failed; records kept in memory');
      this.queue = this.queue.filter((out) => out.line !== undefined);
      return;
    }
    this.spooledRecords += lines.length;
    this.queue = [];
    this.journal.truncate();
  }
}

const watermarkHeaders = (() => {
  const h = headers();
  h.set('Moat-Kind', 'watermark');
  return h;
})();

function parseRecord(line: string): LedgerRecord | undefined {
  try {
    return JSON.parse(line) as LedgerRecord;
  } catch {
    // A line cut off by a kill mid-write: the request it held was never answered whole.
    return undefined;
  }
}
