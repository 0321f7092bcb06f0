import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import OpenAI from 'openai';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { StandInUpstream } from '../../src/upstream/stand-in.js';
import { startRoles } from '../../src/workers/roles.js';
import { MODELS } from '../helpers/gateway-fixture.js';
import { seedAccount } from '../helpers/spawned-gateways.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpSpan {
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpValue }[];
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

const plain = (value: OtlpValue): unknown => value.stringValue ?? value.doubleValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.arrayValue?.values.map(plain)));

test('each request is traced over OTLP/HTTP with GenAI semantic-convention attributes, no text on the span', async () => {
  const exports: OtlpExport[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type']?.includes('json')) exports.push(JSON.parse(body) as OtlpExport);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'moat-traces-'));
  const upstream = new StandInUpstream({ models: MODELS });
  const upstreamUrl = await upstream.listen();
  const dbPath = join(dir, 'moat.db');
  const { issued } = await seedAccount(dbPath, 'acct_traced');
  const config = parseConfig(
    {
      server: { port: 0 },
      store: { path: dbPath },
      upstreams: [{ name: 'stand-in', baseUrl: upstreamUrl, models: MODELS }],
      telemetry: { otlpEndpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`, serviceName: 'moat-test' },
    },
    {},
  );
  const roles = await startRoles(config, 'all', { logger: pino({ level: 'silent' }) });
  try {
    const client = new OpenAI({ baseURL: `${roles.gateway!.url}/v1`, apiKey: issued.secret, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a secret prompt about tracing' }], max_tokens: 32, temperature: 0.2 });
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'embed me' });
  } finally {
    await roles.close();
    await upstream.close();
    receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const spans = exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
  const resource = exports[0]?.resourceSpans[0]?.resource.attributes.find((a) => a.key === 'service.name');
  assert.equal(resource && plain(resource.value), 'moat-test');
  const byName = new Map(spans.map((span) => [span.name, span]));
  const chat = byName.get('chat gpt-4o-mini');
  assert.ok(chat, `a chat span (got ${[...byName.keys()].join(', ')})`);
  assert.equal(chat.kind, 2, 'SERVER span');
  const attributes = Object.fromEntries(chat.attributes.map((a) => [a.key, plain(a.value)]));
  assert.equal(attributes['gen_ai.system'], 'openai');
  assert.equal(attributes['gen_ai.operation.name'], 'chat');
  assert.equal(attributes['gen_ai.request.model'], 'gpt-4o-mini');
  assert.equal(attributes['gen_ai.request.max_tokens'], 32);
  assert.equal(attributes['gen_ai.request.temperature'], 0.2);
  assert.ok((attributes['gen_ai.usage.input_tokens'] as number) > 0);
  assert.ok((attributes['gen_ai.usage.output_tokens'] as number) > 0);
  assert.equal(attributes['http.response.status_code'], 200);
  assert.equal(attributes['moat.account'], 'acct_traced');
  assert.ok(BigInt(chat.endTimeUnixNano) >= BigInt(chat.startTimeUnixNano));
  assert.ok(!JSON.stringify(spans).includes('secret prompt'), 'prompt text never reaches a span');
  assert.equal(byName.get('embeddings text-embedding-3-small')?.attributes.find((a) => a.key === 'gen_ai.operation.name')?.value.stringValue, 'embeddings');
});
