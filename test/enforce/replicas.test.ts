import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { admin } from '../helpers/gateway-fixture.js';
import { dropPrefix, redisProbe, requireService, uniquePrefix, REDIS_URL } from '../helpers/services.js';
import { spawnReplicas } from '../helpers/spawned-gateways.js';

const redisSkip = await requireService('redis', redisProbe());
const prefix = uniquePrefix('enforce');
after(() => (redisSkip ? undefined : dropPrefix(prefix)));

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Say something short.' }], max_tokens: 20 };

/** What one request from the account gets: 'ok', or the error code the gateway answered with. */
async function attempt(client: OpenAI): Promise<string> {
  try {
    await client.chat.completions.create(chat);
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof OpenAI.APIError, String(error));
    return String(error.code);
  }
}

test('two replicas over Redis: a suspension made on one is enforced by the other within a second', { skip: redisSkip, timeout: 90_000 }, async (t) => {
  // A resync far longer than the test, so only pub/sub can carry the change in time.
  const replicas = await spawnReplicas(2, { enforcement: { redis: { url: REDIS_URL, keyPrefix: prefix, resyncIntervalMs: 600_000 } } });
  try {
    const [first, second] = replicas.clients as [OpenAI, OpenAI];
    assert.equal(await attempt(second), 'ok');
    const suspended = await admin(replicas.urls[0]!, 'POST', `/admin/enforcement/accounts/${replicas.account}/suspend`, { reason: 'harvesting', actor: 'alice' });
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    const madeAt = performance.now();
    let outcome = await attempt(second);
    while (outcome === 'ok' && performance.now() - madeAt < 5_000) {
      await sleep(20);
      outcome = await attempt(second);
    }
    const elapsed = performance.now() - madeAt;
    assert.equal(outcome, 'account_suspended');
    t.diagnostic(`suspension enforced by the other replica after ${elapsed.toFixed(0)} ms`);
    assert.ok(elapsed < 1_000, `enforced by the other replica after ${elapsed.toFixed(0)} ms`);
    assert.equal(await attempt(first), 'account_suspended');

    const state = await admin(replicas.urls[1]!, 'GET', `/admin/enforcement/accounts/${replicas.account}`);
    assert.deepEqual([state.body.actions, state.body.actor, state.body.manual], [['suspend_account'], 'alice', true]);

    const reinstated = await admin(replicas.urls[1]!, 'POST', `/admin/enforcement/accounts/${replicas.account}/reinstate`, { reason: 'appeal upheld', actor: 'bob' });
    assert.equal(reinstated.status, 200);
    const liftedAt = performance.now();
    while ((await attempt(first)) !== 'ok') {
      assert.ok(performance.now() - liftedAt < 1_000, 'the reinstatement reaches the first replica within a second');
      await sleep(20);
    }
    const audit = await admin(replicas.urls[0]!, 'GET', `/admin/audit?account=${replicas.account}`);
    assert.deepEqual(audit.body.data.map((e: { action: string; actor: string }) => [e.action, e.actor]), [['reinstate', 'bob'], ['suspend', 'alice']]);
    const verified = await admin(replicas.urls[0]!, 'GET', '/admin/audit/verify');
    assert.deepEqual([verified.body.ok, verified.body.entries], [true, 2]);
  } finally {
    await replicas.close();
  }
});
