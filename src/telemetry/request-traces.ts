import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { LedgerRecord } from '../ledger/record.js';

export interface RequestTraces {
  /** One span for one finished request. */
  record(record: LedgerRecord): void;
  /** Exports what is still batched, then stops. */
  close(): Promise<void>;
}

/** GenAI semantic conventions' operation names, by Moat endpoint. */
const OPERATIONS: Record<string, string> = {
  '/v1/chat/completions': 'chat',
  '/v1/completions': 'text_completion',
  '/v1/embeddings': 'embeddings',
  '/v1/responses': 'chat',
};

/**
 * OpenTelemetry traces of each request, exported over OTLP/HTTP: a SERVER span per request,
 * from its arrival to the end of its answer, named and attributed after the GenAI semantic
 * conventions (`gen_ai.operation.name`, `gen_ai.request.model`, `gen_ai.usage.input_tokens`, ...).
 * Built from the finished record, off the request path: tracing costs the request nothing.
 * Prompt and answer text are never put on a span.
 */
export function startRequestTraces(options: { endpoint: string; serviceName: string }): RequestTraces {
  const exporter = new OTLPTraceExporter({ url: options.endpoint });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000, maxQueueSize: 8_192, maxExportBatchSize: 512 })],
  });
  const tracer = provider.getTracer('moat');
  return {
    record(record) {
      const start = Date.parse(record.ts);
      const operation = OPERATIONS[record.endpoint] ?? 'chat';
      const span = tracer.startSpan(`${operation} ${record.model ?? ''}`.trim(), { kind: SpanKind.SERVER, startTime: start, attributes: attributesOf(record, operation) });
      if (record.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: record.error_code ?? String(record.status) });
      span.end(start + Math.max(0, record.latency_ms));
    },
    close: () => provider.shutdown(),
  };
}

function attributesOf(record: LedgerRecord, operation: string): Attributes {
  const body = record.request as Record<string, unknown>;
  const attributes: Attributes = {
    'gen_ai.system': 'openai',
    'gen_ai.operation.name': operation,
    'gen_ai.usage.input_tokens': record.usage.prompt_tokens,
    'gen_ai.usage.output_tokens': record.usage.completion_tokens,
    'http.request.method': 'POST',
    'http.route': record.endpoint,
    'http.response.status_code': record.status,
    'moat.request_id': record.id,
    'moat.account': record.account,
    'moat.stream': record.stream,
    'moat.usage_source': record.usage_source,
  };
  if (record.model) attributes['gen_ai.request.model'] = record.model;
  const maxTokens = body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens;
  if (typeof maxTokens === 'number') attributes['gen_ai.request.max_tokens'] = maxTokens;
  if (typeof body.temperature === 'number') attributes['gen_ai.request.temperature'] = body.temperature;
  if (typeof body.top_p === 'number') attributes['gen_ai.request.top_p'] = body.top_p;
  if (typeof body.seed === 'number') attributes['gen_ai.request.seed'] = body.seed;
  if (record.response?.finish_reason) attributes['gen_ai.response.finish_reasons'] = [record.response.finish_reason];
  if (record.error_code) attributes['error.type'] = record.error_code;
  else if (record.status >= 400) attributes['error.type'] = String(record.status);
  if (record.aborted) attributes['moat.aborted'] = true;
  return attributes;
}
