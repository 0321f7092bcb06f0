import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LedgerStats } from '../ledger/ledger-writer.js';
import type { LedgerRecord } from '../ledger/record.js';
import { adminGuard } from './admin-routes.js';
import { LabelHistogram } from './label-histogram.js';
import { stepChannel, type StepTiming } from './pipeline.js';

interface RecordSeries {
  requests: { inc(): void };
  prompt: { inc(value: number): void };
  completion: { inc(value: number): void };
  latency: { observe(value: number): void };
}

/** Prometheus metrics, fed from finished requests' records rather than from the hot path. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'moat_requests_total',
    help: 'Inference requests by endpoint, model and status',
    labelNames: ['endpoint', 'model', 'status'] as const,
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: 'moat_tokens_total',
    help: 'Tokens metered, by kind (prompt, completion) and by where the count came from',
    labelNames: ['kind', 'source'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'moat_request_duration_seconds',
    help: 'Time from arrival to the end of the answer',
    labelNames: ['endpoint'] as const,
    buckets: [0.005, 0.025, 0.1, 0.5, 1, 2.5, 10, 30, 120],
    registers: [this.registry],
  });

  private readonly authBursts = new Counter({
    name: 'moat_auth_failure_bursts_total',
    help: 'Source addresses that reached the failed-authentication limit, by surface (api_key, admin, console)',
    labelNames: ['surface'] as const,
    registers: [this.registry],
  });

  private readonly steps = new LabelHistogram(
    'moat_pipeline_step_seconds',
    "Time from each request step's start until it handed on (for the step that answered or refused, until the steps settled), from the moat:pipeline:step diagnostics channel",
    'step',
    [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.025, 0.1, 1, 10],
  );

  private readonly recordSeries = new Map<string, RecordSeries>();

  private readonly onStep = (message: unknown) => {
    const { step, ms } = message as StepTiming;
    this.steps.observe(step, ms / 1000);
  };

  // No prom-client default metrics: their event-loop monitor wakes the process every 10 ms,
  // which measurably raised Moat's CPU per request at low request rates.
  constructor(ledger: LedgerStats) {
    this.registry.registerMetric(this.steps.asMetric());
    stepChannel.subscribe(this.onStep);
    new Gauge({ name: 'moat_ledger_pending', help: 'Records waiting to be written', registers: [this.registry], collect() { this.set(ledger.pending); } });
    new Gauge({ name: 'moat_ledger_spooled_bytes', help: 'Bytes of records waiting in the spool for the store', registers: [this.registry], collect() { this.set(ledger.spooledBytes); } });
    new Gauge({ name: 'moat_ledger_failed_flushes', help: 'Ledger batches that failed to commit (and were kept)', registers: [this.registry], collect() { this.set(ledger.failedFlushes); } });
  }

  close(): void {
    stepChannel.unsubscribe(this.onStep);
  }

  authBurst(surface: string): void {
    this.authBursts.inc({ surface });
  }

  observe(record: LedgerRecord): void {
    const model = record.model ?? '';
    const series = this.seriesOf(`${record.endpoint}\u0000${model}\u0000${record.status}\u0000${record.usage_source}`, () => ({
      requests: this.requests.labels({ endpoint: record.endpoint, model, status: String(record.status) }),
      prompt: this.tokens.labels({ kind: 'prompt', source: record.usage_source }),
      completion: this.tokens.labels({ kind: 'completion', source: record.usage_source }),
      latency: this.latency.labels({ endpoint: record.endpoint }),
    }));
    series.requests.inc();
    series.prompt.inc(record.usage.prompt_tokens);
    series.completion.inc(record.usage.completion_tokens);
    series.latency.observe(record.latency_ms / 1000);
  }

  /**
   * Each record's children of the four metrics, looked up once per label combination: prom-client
   * sorts and joins a label object on every call, several microseconds per request in all.
   */
  private seriesOf(key: string, make: () => RecordSeries): RecordSeries {
    let series = this.recordSeries.get(key);
    if (!series) this.recordSeries.set(key, (series = make()));
    return series;
  }

  /** Behind the admin token: metrics name accounts' models and volumes. */
  register(app: FastifyInstance, adminToken: string | undefined): void {
    app.register(async (scope) => {
      scope.addHook('onRequest', adminGuard(adminToken));
      scope.get('/metrics', async (_request, reply) => {
        reply.header('content-type', this.registry.contentType);
        return this.registry.metrics();
      });
    });
  }
}
