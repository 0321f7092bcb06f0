/**
 * What the rate-limit step adds to a request: admit + settle through LimitGate (policy,
 * prompt token count, backend) for the memory and Redis backends, against a baseline of the
 * same loop without limits. Six limits per request (key concurrency; account RPM, RPD, TPM,
 * TPD, monthly budget), never reached, over 1,000 accounts.
 *   tsx bench/limits-bench.ts [--n 20000] [--redis redis://127.0.0.1:6379] [--no-write]
 * Prints the section and writes it into BENCHMARKS.md under "Rate limits".
 */
import { spawnSync } from 'node:child_process';
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { LimitGate } from '../src/limits/limit-gate.js';
import { LimitPolicy } from '../src/limits/limit-policy.js';
import type { RateLimiter } from '../src/limits/limiter.js';
import { limitsSchema } from '../src/limits/limits-schema.js';
import { MemoryLimiter } from '../src/limits/memory/memory-limiter.js';
import { OverrideCache } from '../src/limits/overrides.js';
import { RedisLimiter } from '../src/limits/redis/redis-limiter.js';
import { countTokens } from '../src/metering/tokenizer.js';
import { parseRequestFields, promptTextOf } from '../src/traffic/request-fields.js';
import type { RequestBody } from '../src/traffic/types.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '20000' }, redis: { type: 'string', default: 'redis://127.0.0.1:6379' }, 'no-write': { type: 'boolean', default: false } } });
const N = Number(values.n);
const CONCURRENCY = 64;
const prefix = `moat:bench:${process.pid}:${Date.now().toString(36)}:`;

const big = 1_000_000_000;
const config = limitsSchema.parse({
  tiers: { default: { account: { requestsPerMinute: big, requestsPerDay: big, tokensPerMinute: big, tokensPerDay: big, monthlyTokens: big }, key: { concurrent: big } } },
});
const policy = new LimitPolicy(config, new OverrideCache({ put: async () => undefined, get: async () => undefined, list: async () => [], changedSince: async () => [] }));
const silent = pino({ level: 'silent' });
// A typical chat request: a system prompt and a question, about 120 prompt tokens.
const body: RequestBody = {
  model: 'gpt-4o-mini',
  max_tokens: 256,
  messages: [
    { role: 'system', content: 'You are a careful assistant. Answer briefly, cite sources when you can, and say so when you are not sure. '.repeat(3) },
    { role: 'user', content: 'Explain the difference between a sliding-window rate limiter and a token bucket, with one example of each.' },
  ],
};
const fields = parseRequestFields(body).fields;
const usage = { prompt_tokens: 120, completion_tokens: 180 };

type Step = (i: number) => Promise<void>;

function gateStep(limiter: RateLimiter | undefined): Step {
  if (!limiter) return async () => undefined;
  const gate = new LimitGate(policy, limiter, 'closed', silent);
  return async (i) => {
    const caller = { keyId: `key_${i % 1000}`, account: `acct_${i % 1000}`, tier: 'default' };
    const admission = await gate.admit(`req_${i}`, caller, 'chat', fields, () => countTokens(promptTextOf(fields)));
    if (admission.refusal) throw admission.refusal;
    admission.settle(usage);
  };
}

interface Result {
  medianUs: number;
  p99Us: number;
  sequentialPerSec: number;
  concurrentPerSec: number;
  cpuUsPerOp: number;
}

async function measure(step: Step): Promise<Result> {
  for (let i = 0; i < 2000; i++) await step(i);
  const latencies = new Float64Array(N);
  const cpu = process.cpuUsage();
  let started = performance.now();
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await step(i);
    latencies[i] = performance.now() - t0;
  }
  const sequentialMs = performance.now() - started;
  const cpuUsed = process.cpuUsage(cpu);
  started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < N) await step(next++);
  }));
  const concurrentMs = performance.now() - started;
  latencies.sort();
  return {
    medianUs: latencies[Math.floor(N / 2)]! * 1000,
    p99Us: latencies[Math.floor(N * 0.99)]! * 1000,
    sequentialPerSec: N / (sequentialMs / 1000),
    concurrentPerSec: N / (concurrentMs / 1000),
    cpuUsPerOp: (cpuUsed.user + cpuUsed.system) / N,
  };
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const read = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return read('used_cpu_user') + read('used_cpu_sys');
}

const rows: string[] = [];
const row = (name: string, r: Result, baseline: Result | undefined, extra = '') =>
  rows.push(`| ${name} | ${r.medianUs.toFixed(1)} | ${r.p99Us.toFixed(1)} | ${baseline ? `+${(r.medianUs - baseline.medianUs).toFixed(1)}` : '—'} | ${Math.round(r.sequentialPerSec)} | ${Math.round(r.concurrentPerSec)} | ${r.cpuUsPerOp.toFixed(1)} | ${extra || '—'} |`);

const baseline = await measure(gateStep(undefined));
row('no limits (baseline)', baseline, undefined);
// Admits everything without counting: isolates the policy and the prompt's token count from the backends.
const counting: RateLimiter = {
  admit: async (checks) => ({ admitted: true, at: 0, states: checks.map(() => ({ used: 0, resetMs: 0 })), failed: -1, retryAfterMs: 0 }),
  settle: async () => undefined,
  peek: async (checks) => checks.map(() => ({ used: 0, resetMs: 0 })),
  close: async () => undefined,
};
row('policy + token count, no backend', await measure(gateStep(counting)), baseline);
const memory = new MemoryLimiter();
row('memory backend', await measure(gateStep(memory)), baseline);
await memory.close();

const probe = new Redis(values.redis, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
probe.on('error', () => undefined);
let redisNote = '';
try {
  await probe.connect();
  const limiter = new RedisLimiter({ url: values.redis, keyPrefix: prefix, commandTimeoutMs: 10_000, concurrencyLeaseMs: 600_000 });
  await limiter.connect();
  // The floor any Redis backend pays: two round trips (admit, settle) that do nothing.
  const pinger = new Redis(values.redis);
  row('two Redis PINGs (round-trip floor)', await measure(async () => {
    await pinger.ping();
    void pinger.ping();
  }), baseline);
  pinger.disconnect();
  const cpuBefore = await redisCpuSeconds(probe);
  const result = await measure(gateStep(limiter));
  // Every op was done twice (sequential and concurrent passes) plus the warm-up.
  const redisCpu = ((await redisCpuSeconds(probe)) - cpuBefore) / (2 * N);
  row('redis backend (local, loopback)', result, baseline, (redisCpu * 1e6).toFixed(1));
  await limiter.close();
  let cursor = '0';
  do {
    const [next, keys] = await probe.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await probe.del(...keys);
    cursor = next;
  } while (cursor !== '0');
} catch (error) {
  redisNote = `Redis at ${values.redis} not reachable (${error instanceof Error ? error.message : String(error)}): no Redis row.`;
} finally {
  probe.disconnect();
}

const machine = `${execSync('nproc').toString().trim()} CPUs, ${execSync("lscpu | sed -n 's/^Model name: *//p'").toString().trim()}, Node ${process.version}, load average ${execSync("cut -d' ' -f1-3 /proc/loadavg").toString().trim()} when the run ended`;
const section = [
  `Command: \`npx tsx bench/limits-bench.ts --n ${N}\`. Date: ${new Date().toISOString().slice(0, 16)}Z. Machine: ${machine}.`,
  '',
  `Admit + settle through \`LimitGate\` (limit policy, prompt token count, backend), ${N} requests one at a time and then ${CONCURRENCY} at a time, six limits per request over 1,000 accounts; the baseline is the same loop without limits. Microseconds per request; CPU is this process's (the gateway's share); Redis CPU is the server's, per request.`,
  '',
  '| backend | median µs | p99 µs | added median µs | sequential req/s | concurrent req/s | CPU µs/req | Redis CPU µs/req |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows,
  ...(redisNote ? ['', redisNote] : []),
  '',
  'Read: the memory backend adds about the cost of counting the prompt\'s tokens plus a few µs; the Redis backend adds two round trips and one script run each way, ONE admit script and ONE settle script per request. Absolute figures depend on the machine\'s load (a load average above the CPU count means other work shared the CPUs, and the Redis server\'s CPU counter includes any other client of the same Redis); compare rows within one run.',
].join('\n');
process.stdout.write(`${section}\n`);
if (!values['no-write']) {
  const written = spawnSync(process.execPath, ['--import', 'tsx', 'bench/update-section.ts', 'Rate limits'], { input: section, stdio: ['pipe', 'inherit', 'inherit'] });
  if (written.status !== 0) process.exitCode = 1;
}
