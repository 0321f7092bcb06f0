import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { admin, startFixture, type Fixture } from '../helpers/gateway-fixture.js';
import { redisProbe, requireService } from '../helpers/services.js';
import { freePort } from '../helpers/free-port.js';

const skip = await requireService('redis-server (binary)', async () => {
  const version = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(version.error?.message ?? `exit ${version.status}`);
});

/** A Redis of this test's own: the machine's shared one must never be stopped. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await redisProbe(`redis://127.0.0.1:${port}`)();
      return child;
    } catch {
      await sleep(50);
    }
  }
  child.kill('SIGKILL');
  throw new Error('private redis-server did not start');
}

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 10 };
const LIMIT = 20;

/** Status codes and whether the answer carried rate-limit headers (i.e. was checked). */
async function send(fixture: Fixture, count: number): Promise<{ status: number; checked: boolean }[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      try {
        const { response } = await fixture.client().chat.completions.create(chat).withResponse();
        return { status: response.status, checked: response.headers.has('x-ratelimit-remaining-requests') };
      } catch (error) {
        assert.ok(error instanceof OpenAI.APIError, String(error));
        return { status: error.status ?? 0, checked: error.headers?.has('x-ratelimit-remaining-requests') ?? false };
      }
    }),
  );
}

const tally = (results: { status: number }[]) => results.reduce<Record<number, number>>((t, r) => ({ ...t, [r.status]: (t[r.status] ?? 0) + 1 }), {});

// Acceptance 3: Redis stops mid-run; each failure mode does what it says; limits hold again once Redis is back.
describe('redis outage', { skip }, () => {
  let port: number;
  let redis: ChildProcess;
  const fixtures = {} as Record<'open' | 'closed', Fixture>;
  before(async () => {
    port = await freePort();
    redis = await startRedis(port);
    for (const mode of ['open', 'closed'] as const) {
      fixtures[mode] = await startFixture({
        config: { limits: { backend: 'redis', redis: { url: `redis://127.0.0.1:${port}`, keyPrefix: `outage:${mode}:`, onFailure: mode }, tiers: { default: { account: { requestsPerMinute: LIMIT } } } } },
      });
    }
  });
  after(async () => {
    await Promise.all(Object.values(fixtures).map((fixture) => fixture.close()));
    redis.kill('SIGKILL');
  });

  test('fail-open admits unchecked, fail-closed refuses with 503, both counted; limits hold again after', async () => {
    for (const fixture of Object.values(fixtures)) assert.deepEqual(tally(await send(fixture, 10)), { 200: 10 });

    redis.kill('SIGKILL');
    await once(redis, 'exit');
    const open = await send(fixtures.open, 30);
    assert.deepEqual(tally(open), { 200: 30 }, 'fail-open: every request served past the limit of 20');
    assert.ok(open.every((r) => !r.checked), 'unchecked answers carry no rate-limit headers');
    const closed = await send(fixtures.closed, 5);
    assert.deepEqual(tally(closed), { 503: 5 });
    const refusal = await fixtures.closed.client().chat.completions.create(chat).catch((error: unknown) => error);
    assert.ok(refusal instanceof OpenAI.APIError && (refusal.error as { code?: string }).code === 'rate_limiter_unavailable');

    const openStatus = (await admin(fixtures.open.gateway.url, 'GET', '/admin/limits/status')).body;
    assert.equal(openStatus.healthy, false);
    assert.equal(openStatus.admittedUnchecked, 30);
    const closedStatus = (await admin(fixtures.closed.gateway.url, 'GET', '/admin/limits/status')).body;
    assert.equal(closedStatus.refusedUnchecked, 6);
    for (const fixture of Object.values(fixtures)) assert.ok(fixture.logs.some((line) => line.includes('rate limit backend failed')), 'the outage is logged');

    redis = await startRedis(port);
    for (const fixture of Object.values(fixtures)) {
      // The restarted Redis is empty: the probe that shows the gateway reconnected is the first of a fresh window.
      const started = performance.now();
      while (!(await send(fixture, 1))[0]!.checked) {
        assert.ok(performance.now() - started < 5000, 'the gateway did not reconnect within 5 s');
        await sleep(50);
      }
      const after = await send(fixture, 40);
      assert.deepEqual(tally(after), { 200: LIMIT - 1, 429: 40 - (LIMIT - 1) }, 'the limit holds again');
      assert.equal((await admin(fixture.gateway.url, 'GET', '/admin/limits/status')).body.healthy, true);
      assert.ok(fixture.logs.some((line) => line.includes('rate limit backend is back')));
    }
  });
});
