import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, DeliverPolicy, nanos, type ConsumerMessages, type JetStreamManager, type NatsConnection, type Subscription } from 'nats';
import type { Logger } from 'pino';
import type { RequestFeatures } from '../detect/features.js';
import type { DetectionEngine } from '../detect/types.js';
import type { BusNames } from '../events/bus.js';
import type { Observation } from '../events/observation.js';
import { encodeVerdicts } from '../events/verdict-feed.js';
import { decodeWatermark, isWatermark } from '../events/watermark.js';
import { DetectionTap } from '../events/detection-tap.js';
import { InFlight } from '../gateway/in-flight.js';
import type { Store } from '../store/store.js';
import type { TrafficRequest } from '../traffic/types.js';

export interface LinkageWorkerOptions {
  nc: NatsConnection;
  names: BusNames;
  store: Store;
  engine: DetectionEngine;
  intervalMs: number;
  gatewayTimeoutMs: number;
  logger: Logger;
}

const decoder = new TextDecoder();

/** Detection's release point: the lowest watermark any live gateway has reached on every partition. */
class StreamWatermark extends InFlight {
  constructor(private readonly value: () => number) {
    super();
  }

  override oldest(): number {
    return this.value();
  }
}

/**
 * The one owner of detection's cross-account state (links, groups, campaigns): reads every
 * partition's observations (features from the detector workers, with the gateways' watermarks
 * behind them) and feeds the same engine, through the same tap, as one process does, releasing
 * requests only once every live gateway's watermark on every partition has passed them. So the
 * engine takes requests in arrival order across gateways and ends with the flags and campaigns
 * of one process. On start it re-reads the observation stream (kept for the warm-up window);
 * requests it has seen are ignored, so redeliveries never count twice.
 */
export class LinkageWorker {
  readonly tap: DetectionTap;
  private readonly features = new Map<string, RequestFeatures>();
  private readonly seen = new Set<string>();
  /** partition → gateway → watermark. */
  private readonly marks = new Map<number, Map<string, number>>();
  /** gateway → when it last said it is alive (Infinity: it said it stopped); dropped once its last watermark is through every partition, or silent past the timeout. */
  private readonly alive = new Map<string, number>();
  /**
   * Gateways dropped: a watermark of theirs read later (redelivered after a detector worker's
   * restart, or relayed behind the timeout) must not make detection wait for them again. Only
   * the gateway itself, saying it is alive, brings one back.
   */
  private readonly gone = new Set<string>();
  /** Re-decides the release point on time alone: a gateway's timeout, or last watermarks read after the last request. */
  private releaseTimer: NodeJS.Timeout | undefined;
  private messages: ConsumerMessages | undefined;
  private jsm: JetStreamManager | undefined;
  private stopped = false;
  /** The last observation-stream sequence taken: the stream is read whole, in order, without a gap. */
  private lastSeq = 0;
  private presence: Subscription | undefined;
  private snapshots: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private released = Number.NEGATIVE_INFINITY;
  /** While this worker is cut off from NATS every gateway is silent: none is taken for dead then. */
  private connected = true;
  duplicates = 0;
  /** Requests that arrived behind the release point (a gateway taken for dead came back): fed at once. */
  late = 0;
  observed = 0;

  constructor(private readonly options: LinkageWorkerOptions) {
    const engine = options.engine;
    const features = this.features;
    // The tap feeds the engine from the record; the features the detector worker read go with it.
    const featured: DetectionEngine = {
      addAccount: (account) => engine.addAccount(account),
      observe: (request: TrafficRequest) => {
        const f = features.get(request.id);
        features.delete(request.id);
        engine.observe(request, f);
      },
      assessment: (account) => engine.assessment(account),
      verdicts: () => engine.verdicts(),
      campaigns: () => engine.campaigns(),
      grouped: () => engine.grouped(),
    };
    this.tap = new DetectionTap(featured, options.store, new StreamWatermark(() => this.watermark()), options.logger, options.intervalMs);
    this.tap.onDrained((accounts) => this.publish(accounts));
  }

  async start(): Promise<void> {
    const { nc, names } = this.options;
    this.presence = nc.subscribe(names.presence, { callback: (error, msg) => !error && this.heard(msg.data) });
    this.snapshots = nc.subscribe(names.verdictSnapshot, { callback: (error, msg) => !error && msg.respond(this.snapshot(msg.data.length > 0 && decoder.decode(msg.data) === 'all')) });
    this.jsm = await nc.jetstreamManager();
    this.messages = await this.reader();
    this.loop = this.read();
    void this.watchStatus();
    // The tap drains after each request it takes; once traffic stops, what it holds waits for
    // the watermarks and timeouts that follow the last request, so the release point is
    // re-read every interval too.
    this.releaseTimer = setInterval(() => void this.tap.drain().catch((error: unknown) => this.options.logger.error({ err: error }, 'linkage worker: drain failed')), this.options.intervalMs);
    this.releaseTimer.unref();
  }

  /**
   * A consumer of its own reading the stream from just after the last sequence taken. Not
   * JetStream's ordered consumer (it needs NATS 2.10); a gap or a broken connection makes a new
   * one from where this one stopped, which is what the ordered consumer does.
   */
  private async reader(): Promise<ConsumerMessages> {
    const { nc, names } = this.options;
    const name = `${names.name}_linkage_${randomBytes(4).toString('hex')}`;
    await this.jsm!.consumers.add(names.observationStream, {
      name,
      ack_policy: AckPolicy.None,
      inactive_threshold: nanos(60_000),
      ...(this.lastSeq === 0 ? { deliver_policy: DeliverPolicy.All } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.lastSeq + 1 }),
    });
    const consumer = await nc.jetstream().consumers.get(names.observationStream, name);
    return consumer.consume({ max_messages: 1_000 });
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.options.nc.status()) {
      if (status.type === 'disconnect') this.connected = false;
      if (status.type !== 'reconnect') continue;
      this.connected = true;
      // The server may have lost this reader while away (it was never durable): read on through a new one.
      void this.messages?.close();
      const now = Date.now();
      for (const [gateway, seenAt] of this.alive) if (seenAt !== Number.POSITIVE_INFINITY) this.alive.set(gateway, now);
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.releaseTimer);
    this.presence?.unsubscribe();
    this.snapshots?.unsubscribe();
    await this.messages?.close();
    await this.loop;
    await this.tap.close();
  }

  /** The lowest watermark of the live gateways over all partitions (Infinity with no gateway left). */
  watermark(): number {
    const now = Date.now();
    let low = Number.POSITIVE_INFINITY;
    for (const [gateway, seenAt] of this.alive) {
      // A stopping gateway said so only once its last watermark was in the stream: it is waited for, however long the detector workers take to pass it on.
      if (this.connected && seenAt !== Number.POSITIVE_INFINITY && now - seenAt > this.options.gatewayTimeoutMs) {
        // Killed: what it published is in the stream; what its journal held comes back with its restart (late).
        this.forget(gateway);
        this.options.logger.warn({ gateway }, 'gateway silent past the timeout; detection no longer waits for it');
        continue;
      }
      let done = true;
      for (let p = 0; p < this.options.names.partitions; p++) {
        const mark = this.marks.get(p)?.get(gateway) ?? Number.NEGATIVE_INFINITY;
        if (mark < low) low = mark;
        if (mark !== Number.POSITIVE_INFINITY) done = false;
      }
      // Its last watermark (Infinity) is through every partition: it will publish nothing more, whether or not its goodbye was heard (one read again from the stream at start).
      if (done) this.forget(gateway);
    }
    if (low > this.released) this.released = low;
    return low;
  }

  get releasedMs(): number {
    return this.released;
  }

  get buffered(): number {
    return this.features.size;
  }

  private forget(gateway: string): void {
    this.alive.delete(gateway);
    this.gone.add(gateway);
    for (const marks of this.marks.values()) marks.delete(gateway);
  }

  private heard(data: Uint8Array): void {
    const { gateway, ms } = decodeWatermark(data);
    // A stopping gateway is waited for until its last watermark (Infinity) is through every partition.
    if (this.alive.get(gateway) === Number.POSITIVE_INFINITY) return;
    if (this.gone.has(gateway)) {
      // Dropped and done, or dropped as silent and now speaking again (it was cut off, not killed): wait for it again.
      if (ms === Number.POSITIVE_INFINITY) return;
      this.gone.delete(gateway);
      this.options.logger.warn({ gateway }, 'gateway taken for dead is alive again; detection waits for it again');
    }
    this.alive.set(gateway, ms === Number.POSITIVE_INFINITY ? ms : Date.now());
  }

  private async read(): Promise<void> {
    while (!this.stopped) {
      const messages = this.messages!;
      try {
        for await (const msg of messages) {
          // Older than the stream's first message (trimmed by age) is no gap: nothing is there to read.
          if (msg.seq !== this.lastSeq + 1 && this.lastSeq !== 0) {
            this.options.logger.warn({ expected: this.lastSeq + 1, got: msg.seq }, 'linkage worker: gap in the observation stream; reading again from the last taken');
            break;
          }
          this.lastSeq = msg.seq;
          this.handle(msg.subject, msg.headers, msg.data, msg.seq);
        }
      } catch (error) {
        this.options.logger.error({ err: error }, 'linkage worker: reading the observation stream failed; resuming');
      }
      if (this.stopped) break;
      await messages.close().catch(() => undefined);
      for (;;) {
        try {
          this.messages = await this.reader();
          break;
        } catch (error) {
          if (this.stopped) return;
          this.options.logger.error({ err: error }, 'linkage worker: cannot reopen the observation stream; retrying');
          await sleep(1_000);
        }
      }
    }
  }

  private handle(subject: string, headers: Parameters<typeof isWatermark>[0]['headers'], data: Uint8Array, seq: number): void {
    try {
      const partition = Number(subject.slice(subject.lastIndexOf('.') + 1));
      if (isWatermark({ headers })) this.mark(partition, decodeWatermark(data));
      else this.take(JSON.parse(decoder.decode(data)) as Observation);
    } catch (error) {
      this.options.logger.error({ err: error, seq }, 'unreadable observation; skipped');
    }
  }

  private mark(partition: number, watermark: { gateway: string; ms: number }): void {
    if (this.gone.has(watermark.gateway)) return;
    let marks = this.marks.get(partition);
    if (!marks) this.marks.set(partition, (marks = new Map()));
    // Redelivered after a detector worker's restart, an older watermark never moves one back.
    if ((marks.get(watermark.gateway) ?? Number.NEGATIVE_INFINITY) < watermark.ms) marks.set(watermark.gateway, watermark.ms);
    if (!this.alive.has(watermark.gateway)) this.alive.set(watermark.gateway, Date.now());
  }

  private take({ record, features }: Observation): void {
    if (this.seen.has(record.id)) {
      this.duplicates++;
      return;
    }
    this.seen.add(record.id);
    this.observed++;
    if (Date.parse(record.ts) < this.released) this.late++;
    if (features) this.features.set(record.id, features);
    this.tap.take(record);
  }

  private publish(accounts: ReadonlySet<string>): void {
    const engine = this.options.engine;
    const assessments = [...accounts].flatMap((account) => engine.assessment(account) ?? []);
    this.options.nc.publish(this.options.names.verdicts, encodeVerdicts({ assessments, campaigns: engine.campaigns() }));
  }

  /** Every verdict that is not `none` (or, asked for `all`, every one), and the groups: what a starting gateway needs. */
  private snapshot(all: boolean): Uint8Array {
    const engine = this.options.engine;
    const assessments = engine.verdicts().flatMap((verdict) => {
      const assessment = engine.assessment(verdict.account);
      return assessment && (all || assessment.level !== 'none' || assessment.flagged || assessment.campaign) ? [assessment] : [];
    });
    return encodeVerdicts({ assessments, campaigns: engine.campaigns() });
  }
}
