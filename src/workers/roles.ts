import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { Gauge, Registry } from 'prom-client';
import type { MoatConfig } from '../config/schema.js';
import { calibrationFrom } from '../detect/calibration-file.js';
import { createEngine } from '../detect/index.js';
import { busNames, connectNats, ensureStreams, type BusNames } from '../events/bus.js';
import type { ConsumerStats } from '../events/consumer-stats.js';
import { DetectorWorker } from '../events/detector-worker.js';
import { LedgerConsumer } from '../events/ledger-consumer.js';
import { NatsEventSink } from '../events/nats-sink.js';
import { VerdictFeed } from '../events/verdict-feed.js';
import { startGateway, type Gateway, type GatewayOptions } from '../gateway/gateway.js';
import { InFlight } from '../gateway/in-flight.js';
import { createLogger } from '../gateway/logger.js';
import { AppendFile } from '../ledger/append-file.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { startRequestTraces } from '../telemetry/request-traces.js';
import { LinkageWorker } from './linkage-worker.js';
import { startOpsServer, type OpsServer, type ReadinessCheck } from './ops-server.js';

export const ROLES = ['gateway', 'ledger', 'detector', 'linkage', 'all'] as const;
export type Role = (typeof ROLES)[number];

export interface RunningRoles {
  gateway: Gateway | undefined;
  sink: NatsEventSink | undefined;
  /** The verdicts this gateway enforces, as the linkage worker pushed them. */
  verdicts: VerdictFeed | undefined;
  ledger: LedgerConsumer | undefined;
  detector: DetectorWorker | undefined;
  linkage: LinkageWorker | undefined;
  ops: OpsServer | undefined;
  logger: Logger;
  /** Stops every role (the gateway first, so its last records reach the stream); false if a record could be neither published nor spooled. */
  close(): Promise<boolean>;
}

/**
 * Starts what one process does in a deployment. `all` without `events.nats` is the zero-setup
 * single process (its own ledger writer and detection); with NATS, `all` runs every role over
 * the bus, and each other role runs alone:
 * - gateway: serves the API, publishes each record to JetStream (spooling while NATS is away),
 *   enforces the verdicts the linkage worker pushes;
 * - ledger: writes the event stream into the store;
 * - detector: reads its partitions' requests into detection features;
 * - linkage: the one cross-account detection engine, publishing verdicts.
 */
export async function startRoles(config: MoatConfig, role: Role, options: GatewayOptions = {}): Promise<RunningRoles> {
  const logger = options.logger ?? createLogger(config.log.level);
  const nats = config.events.nats;
  const registry = new Registry();
  const checks: Record<string, ReadinessCheck> = {};
  const closers: (() => Promise<unknown>)[] = [];
  const has = (r: Role) => role === r || role === 'all';
  let gateway: Gateway | undefined;
  let sink: NatsEventSink | undefined;
  let verdicts: VerdictFeed | undefined;
  let ledger: LedgerConsumer | undefined;
  let detector: DetectorWorker | undefined;
  let linkage: LinkageWorker | undefined;
  let durable = true;
  /** The NATS connection, drained once every role on it has stopped. */
  let drain: () => Promise<void> = async () => undefined;

  if (!nats) {
    if (role !== 'all' && role !== 'gateway') throw new Error(`--role ${role} needs events.nats in the config (or MOAT_NATS_URL): the roles share work over NATS JetStream`);
    gateway = await startGateway(config, { ...options, logger });
    checks.store = storeCheck(gateway.store);
  } else {
    const names = busNames(nats);
    const nc = await connectNats(nats, `moat-${role}-${process.pid}`);
    await ensureStreams(await nc.jetstreamManager(), nats, config.detection.warmUpDays);
    checks.nats = natsCheck(nc);
    // Workers get their own store connection; the gateway opens its own.
    let store: Store | undefined;
    const workerStore = async () => (store ??= options.store ?? (await openStore(config.store)));

    if (has('linkage')) {
      const engine = createEngine({ calibration: calibrationFrom({ targetFpr: config.detection.targetFalsePositiveRate, calibrationFile: config.detection.calibrationFile }) });
      linkage = new LinkageWorker({ nc, names, store: await workerStore(), engine, intervalMs: config.events.watermarkIntervalMs, gatewayTimeoutMs: config.events.gatewayTimeoutMs, logger });
      await linkage.start();
      const worker = linkage;
      closers.push(() => worker.close());
      gauge(registry, 'moat_linkage_buffered', 'Requests the linkage worker holds until every gateway watermark has passed them', () => worker.buffered);
      gauge(registry, 'moat_linkage_release_ms', 'Arrival time (ms since the epoch) before which every gateway has published all it took: detection has released up to here', () => worker.releasedMs);
      gauge(registry, 'moat_linkage_observed', 'Requests the linkage worker has taken (each once)', () => worker.observed);
      gauge(registry, 'moat_linkage_duplicates', 'Observations delivered again and ignored (by request id)', () => worker.duplicates);
      gauge(registry, 'moat_linkage_late', 'Requests that arrived behind the release point (fed out of order)', () => worker.late);
      checks.linkage_lag = async () => (worker.buffered > config.events.maxConsumerLag ? `${worker.buffered} requests held` : undefined);
    }
    if (has('detector')) {
      const { worker, workers } = role === 'all' ? { worker: 0, workers: 1 } : config.events.detector;
      detector = new DetectorWorker({ nc, names, worker, workers, publishTimeoutMs: nats.publishTimeoutMs, logger });
      await detector.start();
      const running = detector;
      closers.push(() => running.close());
      consumerMetrics(registry, 'detector', running.stats, config, checks);
    }
    if (has('ledger')) {
      const s = await workerStore();
      const quarantine = new AppendFile(join(config.events.localDir ?? dirname(config.store.path), `${nats.name}-ledger-quarantine.jsonl`));
      ledger = new LedgerConsumer(nc, names, s.ledger, quarantine, config.ledger.text, logger);
      await ledger.start();
      const running = ledger;
      closers.push(async () => {
        await running.close();
        quarantine.close();
      });
      consumerMetrics(registry, 'ledger', running.stats, config, checks);
    }
    if (store) {
      const s = store;
      checks.store = storeCheck(s);
      closers.push(() => s.close());
    }
    if (has('gateway')) {
      ({ gateway, sink, feed: verdicts } = await startBusGateway(config, nc, names, options, logger, registry));
      checks.store ??= storeCheck(gateway.store);
      const limits = gateway.limits;
      if (limits?.backend === 'redis') checks.redis = async () => (limits.gate.health.healthy ? undefined : `limits backend failing: ${limits.gate.health.lastError ?? 'unknown'}`);
    }
    drain = () => nc.drain();
  }

  const endpoint = config.telemetry.otlpEndpoint;
  if (gateway && endpoint) {
    const traces = startRequestTraces({ endpoint, serviceName: config.telemetry.serviceName });
    gateway.onRecord((record) => traces.record(record));
    // Closed last, after the gateway: the last requests' spans go out too.
    closers.unshift(() => traces.close());
  }
  const ops = config.ops.port === undefined ? undefined : await startOpsServer(config.ops.host, config.ops.port, checks, registry);
  logger.info({ role, ops: ops?.url }, 'moat roles started');
  const gw = gateway;
  return {
    gateway,
    sink,
    verdicts,
    ledger,
    detector,
    linkage,
    ops,
    logger,
    async close() {
      if (gw) durable = await gw.close();
      // Workers stop in start order reversed: the ledger and detectors take what the gateway last published.
      for (const close of closers.reverse()) await close().catch((error: unknown) => logger.error({ err: error }, 'role failed to stop cleanly'));
      await drain().catch((error: unknown) => logger.error({ err: error }, 'NATS connection failed to drain'));
      await ops?.close();
      return durable;
    },
  };
}

async function startBusGateway(config: MoatConfig, nc: NatsConnection, names: BusNames, options: GatewayOptions, logger: Logger, registry: Registry): Promise<{ gateway: Gateway; sink: NatsEventSink; feed: VerdictFeed }> {
  const nats = config.events.nats!;
  const inFlight = new InFlight();
  const sink = new NatsEventSink({
    nc,
    names,
    gatewayId: `${process.pid}-${randomBytes(4).toString('hex')}`,
    localDir: config.events.localDir ?? dirname(config.store.path),
    publishTimeoutMs: nats.publishTimeoutMs,
    watermarkIntervalMs: config.events.watermarkIntervalMs,
    oldestInFlight: () => inFlight.oldest(),
    replayClock: config.replayClock,
    logger,
  });
  const recovered = sink.recover();
  if (recovered > 0) logger.warn({ records: recovered }, 'event journal held records from a crash; publishing them again');
  const feed = new VerdictFeed(nc, names, logger);
  await feed.start();
  // Detection runs in the linkage worker: this process keeps no engine of its own.
  const gatewayConfig = { ...config, detection: { ...config.detection, enabled: false } };
  const gateway = await startGateway(gatewayConfig, { ...options, logger, events: { sink, inFlight, detection: config.enforcement.enabled ? feed : undefined } });
  gauge(registry, 'moat_events_spool_bytes', 'Bytes of usage records spooled locally while NATS does not acknowledge', () => sink.spoolBytes);
  gauge(registry, 'moat_events_spooled_records', 'Usage records sent to the local spool since start', () => sink.spooledRecords);
  gauge(registry, 'moat_events_pending', 'Usage records waiting for a JetStream acknowledgement', () => sink.pending);
  gauge(registry, 'moat_verdicts_age_seconds', 'Seconds since the last verdict update reached this gateway', () => (feed.lastUpdateMs === 0 ? -1 : (Date.now() - feed.lastUpdateMs) / 1000));
  return { gateway, sink, feed };
}

function consumerMetrics(registry: Registry, consumer: string, stats: ConsumerStats, config: MoatConfig, checks: Record<string, ReadinessCheck>): void {
  gauge(registry, `moat_events_${consumer}_lag`, `Records in the event stream not yet delivered to the ${consumer} consumer`, () => stats.totalLag);
  gauge(registry, `moat_events_${consumer}_redeliveries`, `Records the ${consumer} consumer was handed again (not acknowledged in time, or after a restart)`, () => stats.redeliveries);
  gauge(registry, `moat_events_${consumer}_handled`, `Records the ${consumer} consumer has written and acknowledged`, () => stats.handled);
  checks[`${consumer}_lag`] = async () => (stats.totalLag > config.events.maxConsumerLag ? `${stats.totalLag} records behind (bound ${config.events.maxConsumerLag})` : undefined);
}

function gauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

function storeCheck(store: Store): ReadinessCheck {
  return async () => {
    await store.keys.changedSince(Date.now());
    return undefined;
  };
}

function natsCheck(nc: NatsConnection): ReadinessCheck {
  return async () => {
    if (nc.isClosed()) return 'connection closed';
    // A round trip to the server: a connection still reconnecting does not answer.
    await nc.flush();
    return undefined;
  };
}
