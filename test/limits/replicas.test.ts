import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { admin } from '../helpers/gateway-fixture.js';
import { dropPrefix, redisProbe, requireService, uniquePrefix, REDIS_URL } from '../helpers/services.js';
import { spawnReplicas, type Replicas } from '../helpers/spawned-gateways.js';

const redisSkip = await requireService('redis', redisProbe());
const prefix = uniquePrefix('replicas');
after(() => (redisSkip ? undefined : dropPrefix(prefix)));

// These tests measure exactness, not the failure mode (redis-outage.test.ts does): on a loaded
// machine the gateways' event-loop lag alone can pass the default 1 s command timeout.
const TIMEOUT_MS = 10_000;
const BACKENDS = [
  // Acceptance 1: the limit holds across processes that share only Redis and the database.
  { name: 'redis, two gateway processes', replicas: 2, skip: redisSkip, limits: { backend: 'redis', redis: { url: REDIS_URL, keyPrefix: prefix, commandTimeoutMs: TIMEOUT_MS } } },
  // Acceptance 2: the same on the in-memory backend, one process.
  { name: 'memory, one gateway process', replicas: 1, skip: false, limits: { backend: 'memory' } },
];

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Say something short.' }], max_tokens: 40 };

type Outcome = { ok: true; tokens: number } | { ok: false; error: InstanceType<typeof OpenAI.APIError> };

async function outcome(work: () => Promise<number>): Promise<Outcome> {
  try {
    return { ok: true, tokens: await work() };
  } catch (error) {
    assert.ok(error instanceof OpenAI.APIError, String(error));
    return { ok: false, error };
  }
}

function assertRateLimited(error: InstanceType<typeof OpenAI.APIError>, type: 'requests' | 'tokens'): void {
  assert.ok(error instanceof OpenAI.RateLimitError, `429, not ${error.status}`);
  assert.deepEqual({ ...(error.error as object), message: undefined }, { message: undefined, type, param: null, code: 'rate_limit_exceeded' });
  assert.match(String((error.error as { message: string }).message), /^Rate limit reached for /);
  assert.ok(Number(error.headers?.get('retry-after')) >= 1, 'Retry-After in whole seconds');
}

for (const backend of BACKENDS) {
  describe(backend.name, { skip: backend.skip }, () => {
    test('400 concurrent requests from one key at 100 requests/minute: exactly 100 pass, 300 get 429', async () => {
      const replicas = await spawnReplicas(backend.replicas, { limits: { ...backend.limits, tiers: { default: { account: { requestsPerMinute: 100 } } } } });
      try {
        const outcomes = await Promise.all(
          Array.from({ length: 400 }, (_, i) => outcome(async () => (await replicas.clients[i % replicas.clients.length]!.chat.completions.create(chat)).usage!.total_tokens)),
        );
        const admitted = outcomes.filter((o) => o.ok).length;
        await assertBackendHealthy(replicas);
        assert.equal(admitted, 100);
        for (const o of outcomes) if (!o.ok) assertRateLimited(o.error, 'requests');
        assert.equal(replicas.standIn.served.length, 100, 'the upstream saw only the admitted requests');
        if (backend.replicas > 1) await raiseLive(replicas);
      } finally {
        await replicas.close();
      }
    });

    test('a token limit with streamed answers: admitted tokens stay within the limit plus one reservation', async () => {
      const limit = 3000;
      const replicas = await spawnReplicas(
        backend.replicas,
        { limits: { ...backend.limits, redis: { ...(backend.limits.redis ?? {}), keyPrefix: `${prefix}tokens:` }, tiers: { default: { account: { tokensPerMinute: limit } } } } },
        { chunkDelayMs: 2 },
      );
      try {
        const outcomes = await Promise.all(
          Array.from({ length: 400 }, (_, i) =>
            outcome(async () => {
              const stream = await replicas.clients[i % replicas.clients.length]!.chat.completions.create({ ...chat, stream: true, stream_options: { include_usage: true } });
              let tokens = 0;
              for await (const chunk of stream) tokens += chunk.usage?.total_tokens ?? 0;
              return tokens;
            }),
          ),
        );
        const served = replicas.standIn.served.reduce((sum, s) => sum + s.usage.prompt_tokens + s.usage.completion_tokens, 0);
        const clientSeen = outcomes.reduce((sum, o) => sum + (o.ok ? o.tokens : 0), 0);
        const reservation = Math.max(...replicas.standIn.served.map((s) => s.usage.prompt_tokens)) + chat.max_tokens;
        const refused = outcomes.filter((o) => !o.ok);
        await assertBackendHealthy(replicas);
        process.stderr.write(`[${backend.name}] tokens: ${outcomes.length - refused.length} streams admitted, ${served} tokens served (limit ${limit}, one reservation ${reservation}), ${refused.length} refused\n`);
        assert.equal(clientSeen, served);
        assert.ok(served <= limit + reservation, `${served} tokens served against a limit of ${limit}`);
        assert.ok(served > limit / 2, 'the limit was used, not refused wholesale');
        assert.ok(refused.length > 0);
        for (const o of refused) assertRateLimited((o as { error: InstanceType<typeof OpenAI.APIError> }).error, 'tokens');
      } finally {
        await replicas.close();
      }
    });
  });
}

/** Nothing was let through unchecked: every decision was the backend's. */
async function assertBackendHealthy(replicas: Replicas): Promise<void> {
  for (const url of replicas.urls) {
    const status = await admin(url, 'GET', '/admin/limits/status');
    assert.deepEqual({ healthy: status.body.healthy, errors: status.body.errors }, { healthy: true, errors: 0 }, JSON.stringify(status.body));
  }
}

/** A limit raised through one replica's admin API applies on the other (the store's change feed); the CLI sees the usage. */
async function raiseLive(replicas: Replicas): Promise<void> {
  const changed = await admin(replicas.urls[0]!, 'PATCH', `/admin/limits/accounts/${replicas.account}`, { limits: { requestsPerMinute: 150 } });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  const started = performance.now();
  const other = replicas.clients[1]!;
  // Bounded far past any propagation; how fast it is, is for the benchmark, not an assertion.
  let applied = false;
  while (!applied && performance.now() - started < 15_000) {
    applied = (await outcome(async () => (await other.chat.completions.create(chat)).usage!.total_tokens)).ok;
    if (!applied) await sleep(20);
  }
  assert.ok(applied, 'the other replica applied the change');
  process.stderr.write(`live limit change applied by the other replica after ${Math.round(performance.now() - started)} ms\n`);
  const more = await Promise.all(Array.from({ length: 100 }, () => outcome(async () => (await other.chat.completions.create(chat)).usage!.total_tokens)));
  assert.equal(more.filter((o) => o.ok).length, 49, '150 in all');

  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'limits', 'show', '--account', replicas.account, '-c', replicas.configPath, '--db', replicas.dbPath], {
    cwd: new URL('../../', import.meta.url).pathname,
    encoding: 'utf8',
  });
  assert.equal(cli.status, 0, cli.stderr);
  const shown = JSON.parse(cli.stdout) as { usage: { scope: string; limit: string; max: number; used: number; remaining: number }[] };
  const rpm = shown.usage.find((row) => row.scope === 'account' && row.limit === 'requestsPerMinute');
  assert.deepEqual({ max: rpm?.max, used: rpm?.used, remaining: rpm?.remaining }, { max: 150, used: 150, remaining: 0 });
}
