import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Check, RateLimiter } from '../../src/limits/limiter.js';
import { MemoryLimiter } from '../../src/limits/memory/memory-limiter.js';
import { RedisLimiter } from '../../src/limits/redis/redis-limiter.js';
import { MINUTE_MS, monthOf } from '../../src/limits/window.js';
import { dropPrefix, redisProbe, requireService, uniquePrefix, REDIS_URL } from '../helpers/services.js';

const redisSkip = await requireService('redis', redisProbe());

interface Backend {
  name: string;
  skip: string | false;
  open(): Promise<RateLimiter>;
}

const prefix = uniquePrefix('limiter');
const BACKENDS: Backend[] = [
  { name: 'memory', skip: false, open: async () => new MemoryLimiter() },
  {
    name: 'redis',
    skip: redisSkip,
    async open() {
      const limiter = new RedisLimiter({ url: REDIS_URL, keyPrefix: prefix, commandTimeoutMs: 10_000, concurrencyLeaseMs: 60_000 });
      assert.ok(await limiter.connect());
      return limiter;
    },
  },
];

let sequence = 0;
const key = (name: string) => `${name}:${++sequence}`;
const windowCheck = (name: string, limit: number, amount = 1, spanMs = MINUTE_MS): Check => ({ key: key(name), kind: 'window', limit, amount, spanMs });

after(() => (redisSkip ? undefined : dropPrefix(prefix)));

// The same cases for every backend: the Redis script must behave exactly as the in-process counters.
for (const backend of BACKENDS) {
  describe(`${backend.name} limiter`, { skip: backend.skip }, () => {
    let limiter: RateLimiter;
    test('open', async () => {
      limiter = await backend.open();
    });
    after(() => limiter?.close());

    test('concurrent admissions never exceed a window limit', async () => {
      const check = windowCheck('rpm', 5);
      const decisions = await Promise.all(Array.from({ length: 12 }, (_, i) => limiter.admit([check], `r${i}`)));
      assert.equal(decisions.filter((d) => d.admitted).length, 5);
      const refused = decisions.find((d) => !d.admitted)!;
      assert.equal(refused.failed, 0);
      assert.ok(refused.retryAfterMs > 55_000 && refused.retryAfterMs <= 61_000, `retry in ${refused.retryAfterMs}`);
      assert.deepEqual((await limiter.peek([check])).map((s) => s.used), [5]);
    });

    test('all or nothing: a refused check leaves the others uncharged', async () => {
      const roomy = windowCheck('roomy', 100);
      const full = windowCheck('full', 1);
      assert.ok((await limiter.admit([full], 'a')).admitted);
      const decision = await limiter.admit([roomy, full], 'b');
      assert.equal(decision.admitted, false);
      assert.equal(decision.failed, 1);
      assert.deepEqual((await limiter.peek([roomy, full])).map((s) => s.used), [0, 1]);
    });

    test('settling refunds an unused reservation and charges an overrun', async () => {
      const tokens = windowCheck('tpm', 1000, 400);
      const first = await limiter.admit([tokens], 't1');
      assert.equal(first.states[0]!.used, 400);
      await limiter.settle([tokens], 't1', first.at, [-300]);
      assert.equal((await limiter.peek([tokens]))[0]!.used, 100);
      const second = await limiter.admit([tokens], 't2');
      await limiter.settle([tokens], 't2', second.at, [250]);
      assert.equal((await limiter.peek([tokens]))[0]!.used, 750);
      // A refund never takes more than the bucket holds.
      await limiter.settle([tokens], 't2', second.at, [-10_000]);
      assert.ok((await limiter.peek([tokens]))[0]!.used >= 0);
    });

    test('a request larger than the limit can never pass: retry -1', async () => {
      const decision = await limiter.admit([windowCheck('big', 100, 101)], 'x');
      assert.equal(decision.admitted, false);
      assert.equal(decision.retryAfterMs, -1);
    });

    test('the window slides: usage leaves it at the end of its bucket', async () => {
      const check = windowCheck('short', 2, 1, 2000);
      assert.ok((await limiter.admit([check], 's1')).admitted);
      assert.ok((await limiter.admit([check], 's2')).admitted);
      const refused = await limiter.admit([check], 's3');
      assert.equal(refused.admitted, false);
      assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 3000);
      await sleep(refused.retryAfterMs + 50);
      assert.ok((await limiter.admit([check], 's4')).admitted);
    });

    test('monthly budget: refused until the month ends', async () => {
      const month = monthOf(Date.now());
      const check: Check = { key: key(`month:${month.label}`), kind: 'month', limit: 1000, amount: 600, spanMs: month.endMs };
      assert.ok((await limiter.admit([check], 'm1')).admitted);
      const refused = await limiter.admit([check], 'm2');
      assert.equal(refused.admitted, false);
      assert.ok(Math.abs(refused.retryAfterMs - (month.endMs - Date.now())) < 5_000);
    });

    test('concurrency: a slot frees when its request settles', async () => {
      const check: Check = { key: key('conc'), kind: 'concurrency', limit: 2, amount: 1, spanMs: 0 };
      const a = await limiter.admit([check], 'c1');
      assert.ok(a.admitted && (await limiter.admit([check], 'c2')).admitted);
      assert.equal((await limiter.admit([check], 'c3')).admitted, false);
      await limiter.settle([check], 'c1', a.at, [0]);
      assert.ok((await limiter.admit([check], 'c4')).admitted);
    });

    test('peek charges nothing', async () => {
      const check = windowCheck('peek', 1);
      await limiter.peek([check]);
      assert.ok((await limiter.admit([check], 'p')).admitted);
    });
  });
}

describe('redis limiter on a server that has forgotten its scripts', { skip: redisSkip }, () => {
  test('a settlement sent before the next admission is applied before it', async () => {
    // As after a Redis restart: a script run by hash alone would take a round trip to fall back
    // to its source, and the next admission, known by hash, would be counted before the settlement.
    const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 0 });
    await admin.script('FLUSH');
    admin.disconnect();
    const limiter = new RedisLimiter({ url: REDIS_URL, keyPrefix: prefix, commandTimeoutMs: 10_000, concurrencyLeaseMs: 60_000 });
    try {
      assert.ok(await limiter.connect());
      const tokens = windowCheck('tpm-reloaded', 10_000, 100);
      const first = await limiter.admit([tokens], 'r1');
      const settled = limiter.settle([tokens], 'r1', first.at, [-90]);
      const next = await limiter.admit([tokens], 'r2');
      await settled;
      assert.deepEqual(next.states.map((s) => s.used), [110]);
    } finally {
      await limiter.close();
    }
  });
});
