import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { KeyRegistry } from '../auth/key-registry.js';
import { KeyService } from '../auth/key-service.js';
import type { MoatConfig } from '../config/schema.js';
import { AuthFailureLimiter } from '../auth/failure-limiter.js';
import { openLedgerFiles } from '../ledger/ledger-files.js';
import { LedgerWriter } from '../ledger/ledger-writer.js';
import { dropTextBefore } from '../ledger/text-retention.js';
import { InThreadLedgerSink, WorkerLedgerSink, type LedgerSink } from '../events/ledger-sink.js';
import { tokenCounter } from '../metering/tokenizer.js';
import type { LedgerRecord } from '../ledger/record.js';
import { startEnforcement, type Enforcement } from '../enforce/create-enforcement.js';
import { startLimits, type Limits } from '../limits/create-limits.js';
import { limitsSchema } from '../limits/limits-schema.js';
import { appendAudit } from '../enforce/audit/audit-chain.js';
import { policySchema } from '../enforce/policy-schema.js';
import { KeyRing } from '../provenance/key-ring.js';
import { Marking } from '../provenance/marking.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { UpstreamRouter } from '../upstream/router.js';
import { calibrationFrom } from '../detect/calibration-file.js';
import { createEngine } from '../detect/index.js';
import { buildApp } from './app.js';
import { GatewayMetrics } from './metrics.js';
import { InFlight } from './in-flight.js';
import { createLogger } from './logger.js';
import { DetectionTap } from '../events/detection-tap.js';
import type { EventSink } from '../events/event-sink.js';
import type { LiveDetection } from '../events/live-detection.js';
import type { RemoteDetection } from '../events/verdict-feed.js';

export interface Gateway {
  url: string;
  app: FastifyInstance;
  store: Store;
  /** Where finished requests' records go: a ledger worker thread, or the main thread for a caller's store. */
  ledger: LedgerSink;
  keys: KeyService;
  detection: LiveDetection | undefined;
  limits: Limits | undefined;
  enforcement: Enforcement | undefined;
  logger: Logger;
  /** Extra consumers of finished requests' records, called after the ledger has them. */
  onRecord(listener: (record: LedgerRecord) => void): void;
  /** Finishes the requests in flight, then commits or spools every record; false if some could be neither. */
  close(): Promise<boolean>;
}

export interface GatewayOptions {
  /** Upstream names that are Moat's stand-in, not a real model server. */
  standIns?: ReadonlySet<string>;
  logger?: Logger;
  /** A store opened by the caller (tests wrap one to inject faults); by default the config's. */
  store?: Store;
  /**
   * Mounts more routes on the gateway's app before it listens (the CLI mounts the console
   * this way): the gateway knows nothing of what sits above it.
   */
  mount?: (gateway: Mountable) => Promise<void>;
  /**
   * Scale-out: where finished requests' records go instead of this process's ledger writer
   * (NATS JetStream), with the arrivals in flight the sink reads its watermark from, and the
   * verdicts of a detection engine running elsewhere for enforcement to act on.
   */
  events?: { sink: EventSink<LedgerRecord>; inFlight: InFlight; detection: RemoteDetection | undefined };
}

/** What a mount may use of a gateway that is not yet listening. */
export interface Mountable {
  app: FastifyInstance;
  store: Store;
  detection: LiveDetection | undefined;
}

const HOUR_MS = 3_600_000;

export async function startGateway(config: MoatConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger(config.log.level);
  const store = options.store ?? (await openStore(config.store));
  const registry = new KeyRegistry(store);
  await registry.start((error) => logger.error({ err: error }, 'key refresh failed'));
  const keys = new KeyService(store, Date.now, (key) => registry.put(key));
  const inFlight = options.events?.inFlight ?? new InFlight();
  // Scale-out gateways publish to the bus, and detection runs in its workers.
  const localDetection = config.detection.enabled && !options.events;
  const ledger = openLedger(config, store, { callersStore: options.store !== undefined, detection: localDetection, inFlight }, logger);
  const recovered = ledger.recover();
  if (recovered > 0) logger.warn({ records: recovered }, 'ledger journal held records from a crash; committing them');
  // Before detection warms up from the ledger, so it sees the recovered records too.
  await ledger.flush();
  const router = new UpstreamRouter(config);
  const listeners: ((record: LedgerRecord) => void)[] = [];
  const detection = localDetection ? await startDetection(config, store, ledger, inFlight, listeners, logger) : undefined;

  // Enforcement throttles through limit overrides, so it needs the limit step even where the config sets no limits.
  const limitsConfig = config.limits ?? (config.enforcement.enabled ? limitsSchema.parse({}) : undefined);
  const limits = limitsConfig && (await startLimits(limitsConfig, store, logger));
  const remote = options.events?.detection;
  const enforcement = config.enforcement.enabled ? await startEnforcement(config.enforcement, store, detection ?? remote, logger) : undefined;
  if (enforcement && detection) detection.onDrained((accounts) => enforcement.enforcer.detectionChanged(accounts));
  if (enforcement && remote) remote.onChanged((accounts) => enforcement.enforcer.detectionChanged(accounts));
  const sink = options.events?.sink;
  const authFailures = new AuthFailureLimiter(config.server.authFailures.limit, config.server.authFailures.windowSeconds * 1000);
  let closing = false;
  const markKeys = new KeyRing(config.provenance.keys);
  // A policy set through the admin API before `mark` existed is replayed from the log without it.
  const defaultMark = policySchema.parse({}).mark;
  const marking =
    enforcement && markKeys.size > 0
      ? new Marking(markKeys, () => enforcement.enforcer.currentPolicy().mark ?? defaultMark, new Set(config.provenance.canaries.campaigns), (use) => {
          const { account, campaign, keyId, at } = use;
          const draft =
            use.kind === 'mark'
              ? { action: 'mark', reason: `answers marked with provenance key ${keyId} (rate ${use.settings.rate}, balance ${use.settings.balance}, ${use.settings.keyScope} key)`, data: { mark: { keyId, ...use.settings } } }
              : { action: 'canary', reason: `served campaign ${campaign}'s canary ${use.token}`, data: { canary: { keyId, token: use.token } } };
          appendAudit(store.audit, { at, account, campaign, actor: 'moat', ...draft }).catch((error: unknown) =>
            logger.error({ err: error, account, keyId }, 'provenance mark use could not be written to the audit log'),
          );
        })
      : undefined;

  const app = buildApp({
    logger,
    router,
    registry,
    keys,
    adminToken: config.admin.token,
    rotationGraceSeconds: config.keys.rotationGraceSeconds,
    server: config.server,
    authFailures,
    closing: () => closing,
    countTokens: tokenCounter(config.metering.tokenizeMaxChars),
    standIns: options.standIns ?? new Set(),
    inFlight,
    detection,
    limits: limits?.gate,
    enforcement,
    marking,
    audit: store.audit,
    limitService: limits?.service,
    limitHealth: limits && (() => ({ backend: limits.backend, ...limits.gate.health })),
    arrival: config.replayClock ? replayArrival : () => Date.now(),
    record: (record, bodyText) => {
      let journaled: Promise<void> | undefined;
      if (sink) sink.publish(record);
      else {
        ledger.publish(record, bodyText);
        journaled = ledger.journaled();
      }
      // One consumer failing (metrics, detection's buffer) must not keep the record from the others.
      for (const listener of listeners) {
        try {
          listener(record);
        } catch (error) {
          logger.error({ err: error, requestId: record.id }, 'record consumer failed');
        }
      }
      return journaled;
    },
  });
  const metrics = new GatewayMetrics(ledger);
  authFailures.onBurst((burst) => {
    // A burst of unknown keys from one address is itself a sign of key guessing or a harvesting fleet's churn.
    logger.warn(burst, 'authentication failure burst: address refused until its window ends');
    metrics.authBurst(burst.surface);
  });
  metrics.register(app, config.admin.token);
  listeners.push((record) => metrics.observe(record));
  await options.mount?.({ app, store, detection });
  const retention = startTextRetention(config, store, logger);
  await app.listen({ host: config.server.host, port: config.server.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host}:${port}`;
  if (config.replayClock) logger.warn('replay clock on: clients may set request timestamps (x-moat-replay-ts); never use in production');
  for (const name of options.standIns ?? []) logger.warn({ upstream: name }, 'upstream is the built-in STAND-IN: answers come from no model');
  logger.info({ url, upstreams: config.upstreams.map((u) => u.name) }, 'moat gateway listening');

  return {
    url,
    app,
    store,
    ledger,
    keys,
    detection,
    limits,
    enforcement,
    logger,
    onRecord: (listener) => listeners.push(listener),
    async close() {
      closing = true;
      clearInterval(retention);
      await registry.stop();
      const closed = app.close();
      // Node keeps a connection whose client aborted a stream counted as busy until its
      // keep-alive timeout; once no inference request is in flight, nothing is lost by
      // closing every connection.
      while (inFlight.oldest() !== Number.POSITIVE_INFINITY) await sleep(20);
      app.server.closeAllConnections();
      await closed;
      metrics.close();
      // Before the ledger: detection in the ledger's worker takes its last records as the worker closes.
      await detection?.close();
      // Both, whatever the first says: the sink's close sends the gateway's last watermark.
      const ledgerDurable = await ledger.close();
      const durable = (sink ? await sink.close() : true) && ledgerDurable;
      await enforcement?.close();
      await limits?.close();
      await router.close();
      await store.close();
      return durable;
    },
  };
}

/**
 * SQLite commits block the thread that makes them, so its ledger writes go to a worker with its
 * own connection, and the detection engine runs there too; PostgreSQL's are I/O the event loop
 * waits on without blocking, and a store the caller opened (tests wrap one to inject faults)
 * must be the one written.
 */
function openLedger(config: MoatConfig, store: Store, use: { callersStore: boolean; detection: boolean; inFlight: InFlight }, logger: Logger): LedgerSink {
  const journal = config.ledger.durability === 'journal';
  if (use.callersStore || config.store.driver !== 'sqlite') return new InThreadLedgerSink(new LedgerWriter(store.ledger, openLedgerFiles(config.store.path, config.ledger.localDir, journal), config.ledger, logger));
  // The worker keeps the spool and quarantine; the journal is written here, on the request path.
  const files = openLedgerFiles(config.store.path, config.ledger.localDir, journal);
  files.spool.close();
  files.quarantine.close();
  const data = { storePath: config.store.path, localDir: config.ledger.localDir, options: config.ledger, logLevel: config.log.level, detection: use.detection ? calibrationChoice(config) : undefined };
  return new WorkerLedgerSink(data, files.journal, config.ledger, logger, undefined, use.inFlight);
}

const calibrationChoice = (config: MoatConfig) => ({ targetFpr: config.detection.targetFalsePositiveRate, calibrationFile: config.detection.calibrationFile });

/**
 * Detection in the ledger's worker when it has one (the records reach it there anyway), else an
 * engine on this thread fed each finished record; either way warmed up from the ledger first,
 * so a restart does not forget what it had seen.
 */
async function startDetection(config: MoatConfig, store: Store, ledger: LedgerSink, inFlight: InFlight, listeners: ((record: LedgerRecord) => void)[], logger: Logger): Promise<LiveDetection> {
  const sinceMs = Date.now() - config.detection.warmUpDays * 24 * HOUR_MS;
  const inWorker = ledger instanceof WorkerLedgerSink ? ledger.detection : undefined;
  let detection: LiveDetection;
  let warmed: number;
  if (inWorker) {
    warmed = await inWorker.warmUp(sinceMs);
    detection = inWorker;
  } else {
    const tap = new DetectionTap(createEngine({ calibration: calibrationFrom(calibrationChoice(config)) }), store, inFlight, logger);
    warmed = await tap.warmUp(sinceMs);
    listeners.push((record) => tap.take(record));
    detection = tap;
  }
  logger.info({ requests: warmed, thread: inWorker ? 'ledger worker' : 'main' }, 'detection state rebuilt from the ledger');
  return detection;
}

/** Replay and test mode only: the request's original time, so detection sees the recorded timeline. */
function replayArrival(request: FastifyRequest): number {
  const header = request.headers['x-moat-replay-ts'];
  const ms = typeof header === 'string' ? Date.parse(header) : Number.NaN;
  return Number.isNaN(ms) ? Date.now() : ms;
}

function startTextRetention(config: MoatConfig, store: Store, logger: Logger): NodeJS.Timeout | undefined {
  const days = config.ledger.textRetentionDays;
  if (days === undefined) return undefined;
  const purge = () =>
    dropTextBefore(store.ledger, Date.now() - days * 24 * HOUR_MS)
      .then((count) => count > 0 && logger.info({ count, days }, 'dropped text of ledger records past retention'))
      .catch((error: unknown) => logger.error({ err: error }, 'text retention purge failed'));
  void purge();
  const timer = setInterval(purge, HOUR_MS);
  timer.unref();
  return timer;
}
