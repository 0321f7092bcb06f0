import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { requestFeatures, type RequestFeatures } from '../detect/features.js';
import { toTrafficRequest, type LedgerRecord } from '../ledger/record.js';
import { inBatches } from './batches.js';
import { ACK_WAIT_MS, ensureDurable, type BusNames } from './bus.js';
import { ConsumerStats } from './consumer-stats.js';
import { observationOf } from './observation.js';
import { isWatermark } from './watermark.js';

export interface DetectorWorkerOptions {
  nc: NatsConnection;
  names: BusNames;
  /** This worker's number among `workers`: it takes the partitions p with p % workers == worker. */
  worker: number;
  workers: number;
  publishTimeoutMs: number;
  logger: Logger;
}

const BATCH = 256;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Reads its partitions of the event stream in order, reads each request's text into detection
 * features (the costly part of detection, per request, so it spreads over workers), and passes
 * them on with the gateways' watermarks to the observation stream, where the one linkage worker
 * runs the cross-account engine. A record is acknowledged only after its observation is stored.
 */
export class DetectorWorker {
  readonly stats = new ConsumerStats();
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly open = new Set<ConsumerMessages>();
  private readonly js: JetStreamClient;
  private jsm: JetStreamManager | undefined;

  constructor(private readonly options: DetectorWorkerOptions) {
    this.js = options.nc.jetstream({ timeout: options.publishTimeoutMs });
  }

  get partitions(): number[] {
    const { names, worker, workers } = this.options;
    return Array.from({ length: names.partitions }, (_, p) => p).filter((p) => p % workers === worker);
  }

  async start(): Promise<void> {
    this.jsm = await this.options.nc.jetstreamManager();
    for (const p of this.partitions) {
      await ensureDurable(this.jsm, this.options.names.eventStream, this.options.names.detectorConsumer(p), this.options.names.event(p), true);
      this.loops.push(this.run(p));
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const messages of this.open) await messages.close();
    await Promise.all(this.loops);
  }

  private async run(partition: number): Promise<void> {
    const { names, logger } = this.options;
    while (!this.stopped) {
      try {
        const consumer = await this.js.consumers.get(names.eventStream, names.detectorConsumer(partition));
        let current: ConsumerMessages | undefined;
        await inBatches(
          consumer,
          { size: BATCH, ackWaitMs: ACK_WAIT_MS },
          async (batch) => {
            await this.handle(partition, batch);
            this.stats.pending(partition, batch.at(-1)?.info.pending);
          },
          (messages) => this.open.add((current = messages)),
        ).finally(() => {
          if (!current) return;
          this.open.delete(current);
          // Failed mid-batch: this reader must stop before the partition is read again from its ack floor.
          void current.close();
        });
      } catch (error) {
        if (this.stopped) break;
        logger.error({ err: error, partition }, 'detector worker: partition failed; resuming from its first unacknowledged record');
        await sleep(1_000);
        // A batch cut short leaves records unacknowledged: read the partition in order from there again.
        await ensureDurable(this.jsm!, names.eventStream, names.detectorConsumer(partition), names.event(partition), true).catch(() => undefined);
      }
    }
  }

  private async handle(partition: number, messages: readonly JsMsg[]): Promise<void> {
    const subject = this.options.names.observation(partition);
    // Published in stream order on one connection, so stored in that order.
    const acks = messages.map((msg) => {
      this.stats.delivered(msg.info.redeliveryCount);
      if (isWatermark(msg)) return this.js.publish(subject, msg.data, { headers: msg.headers });
      const record = JSON.parse(decoder.decode(msg.data)) as LedgerRecord;
      return this.js.publish(subject, encoder.encode(JSON.stringify(observationOf(record, this.features(record)))), { msgID: record.id });
    });
    await Promise.all(acks);
    for (const msg of messages) msg.ack();
    this.stats.processed(messages.length);
  }

  private features(record: LedgerRecord): RequestFeatures | undefined {
    try {
      return requestFeatures(toTrafficRequest(record));
    } catch (error) {
      // The linkage worker's engine reads this one itself, and skips it if it throws there too.
      this.options.logger.error({ err: error, requestId: record.id }, 'detector worker: features failed');
      return undefined;
    }
  }
}
