import { AckPolicy, connect, DeliverPolicy, DiscardPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import type { MoatConfig } from '../config/schema.js';
import { fnv1a } from '../detect/hash.js';

export type NatsConfig = NonNullable<MoatConfig['events']['nats']>;

/**
 * The names every role agrees on, all derived from `events.nats.name`: two deployments (or two
 * test runs) with different names share a NATS server without seeing each other.
 */
export class BusNames {
  constructor(
    readonly name: string,
    readonly partitions: number,
  ) {}

  /** Usage records, and the gateways' watermarks, one subject per account partition. */
  get eventStream(): string {
    return `${this.name}_EVENTS`;
  }
  /** What detector workers read from records (features, no text), and the watermarks they passed on. */
  get observationStream(): string {
    return `${this.name}_OBS`;
  }
  event(partition: number): string {
    return `${this.name}.ev.${partition}`;
  }
  observation(partition: number): string {
    return `${this.name}.obs.${partition}`;
  }
  /** Core NATS (not stored): detection's verdicts, to every gateway. */
  get verdicts(): string {
    return `${this.name}.verdicts`;
  }
  /** Core NATS: the request a starting gateway makes for every verdict that is not `none`. */
  get verdictSnapshot(): string {
    return `${this.name}.verdicts.snapshot`;
  }
  /** Core NATS: each gateway says it is alive every watermark interval (and when it stops). */
  get presence(): string {
    return `${this.name}.presence`;
  }
  get ledgerConsumer(): string {
    return `${this.name}_ledger`;
  }
  detectorConsumer(partition: number): string {
    return `${this.name}_detector_${partition}`;
  }
  partitionOf(account: string): number {
    return fnv1a(account) % this.partitions;
  }
}

export function busNames(config: NatsConfig): BusNames {
  return new BusNames(config.name, config.partitions);
}

/** Reconnects forever: a gateway keeps serving (and spooling) while NATS is away, and resumes on its own. */
export async function connectNats(config: NatsConfig, label: string): Promise<NatsConnection> {
  return connect({
    servers: config.servers,
    name: label,
    token: config.token,
    user: config.user,
    pass: config.password,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    pingInterval: 2_000,
    maxPingOut: 2,
  });
}

/** Creates the streams if missing (idempotent: every role calls it at start, whichever starts first). */
export async function ensureStreams(jsm: JetStreamManager, config: NatsConfig, warmUpDays: number): Promise<void> {
  const names = busNames(config);
  const common = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(config.duplicateWindowMs),
  };
  await upsertStream(jsm, { ...common, name: names.eventStream, subjects: [`${config.name}.ev.>`], max_age: nanos(config.retentionHours * 3_600_000) });
  // The linkage worker rebuilds detection from this stream at start: it keeps the warm-up window.
  const obsAge = Math.max(warmUpDays * 24, config.retentionHours) * 3_600_000;
  await upsertStream(jsm, { ...common, name: names.observationStream, subjects: [`${config.name}.obs.>`], max_age: nanos(obsAge) });
}

async function upsertStream(jsm: JetStreamManager, config: Parameters<JetStreamManager['streams']['add']>[0] & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
  } catch {
    await jsm.streams.add(config);
  }
}

/** How long a consumer's delivered record may stay unacknowledged before JetStream hands it out again. */
export const ACK_WAIT_MS = 30_000;

/**
 * A durable pull consumer. An `ordered` one's next delivery is the first record not yet acknowledged, in stream
 * order. A consumer left with unacknowledged records by a crash would redeliver them only after
 * their ack wait, after newer ones: it is recreated at its ack floor instead, so a partition is
 * read in order again (what follows the floor and was already handled is handled again, which
 * is harmless: everything downstream is idempotent by request id).
 */
export async function ensureDurable(jsm: JetStreamManager, stream: string, durable: string, filterSubject: string, ordered: boolean): Promise<void> {
  let startSeq: number | undefined;
  try {
    const info = await jsm.consumers.info(stream, durable);
    // Shared by several writers (the ledger's): never recreated under the others' feet.
    if (!ordered || info.num_ack_pending === 0) return;
    startSeq = info.ack_floor.stream_seq + 1;
    await jsm.consumers.delete(stream, durable);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: filterSubject,
    ack_wait: nanos(ACK_WAIT_MS),
    max_ack_pending: 10_000,
    ...(startSeq === undefined ? { deliver_policy: DeliverPolicy.All } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq }),
  });
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /not found/i.test(error.message);
}
