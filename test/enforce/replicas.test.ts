import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { admin } from '../helpers/gateway-fixture.js';
import { dropPrefix, postgresProbe, redisProbe, requireService, temporaryDatabase, uniquePrefix, REDIS_URL } from '../helpers/services.js';
import { spawnReplicas, type Replicas } from '../helpers/spawned-gateways.js';

const redisSkip = await requireService('redis', redisProbe());
const postgresSkip = await requireService('postgres', postgresProbe());
const skip = redisSkip || postgresSkip;
const prefix = uniquePrefix('enforce');
after(() => (redisSkip ? undefined : dropPrefix(prefix)));

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Say something short.' }], max_tokens: 20 };

/** What one request gets: 'ok', or the error code the gateway answered with. */
async function attempt(client: OpenAI): Promise<string> {
  try {
    await client.chat.completions.create(chat);
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof OpenAI.APIError, String(error));
    return String(error.code);
  }
}

/**
 * Sends requests until one gets `wanted` (bounded: 15 s, far past any propagation) and returns
 * the time it took, which the test reports and BENCHMARKS.md measures; it asserts only the effect.
 */
async function until(client: OpenAI, wanted: string, what: string, t: { diagnostic(message: string): void }): Promise<void> {
  const started = performance.now();
  let outcome = await attempt(client);
  while (outcome !== wanted && performance.now() - started < 15_000) {
    await sleep(10);
    outcome = await attempt(client);
  }
  assert.equal(outcome, wanted, `${what}: the other gateway answers ${wanted}`);
  t.diagnostic(`${what}: in force on the other gateway after ${(performance.now() - started).toFixed(0)} ms`);
}

// How replicas hear of each other's writes: PostgreSQL's own LISTEN/NOTIFY, or Redis pub/sub
// alone (as behind a pooler that cannot LISTEN). Decisions travel over Redis either way.
const TRANSPORTS = [
  { name: 'LISTEN/NOTIFY', changes: { listen: true } },
  { name: 'Redis pub/sub', changes: { listen: false, redis: { url: REDIS_URL, channelPrefix: `${prefix}changes:` } } },
];

for (const transport of TRANSPORTS) {
  describe(`two gateways on one PostgreSQL database, changes by ${transport.name}`, { skip }, () => {
    test('a key revoked, an account suspended or reinstated, a limit changed on one gateway is in force on the other', { timeout: 120_000 }, async (t) => {
      const database = await temporaryDatabase('replicas');
      let replicas: Replicas | undefined;
      try {
        replicas = await spawnReplicas(
          2,
          {
            store: { changes: transport.changes },
            enforcement: { redis: { url: REDIS_URL, keyPrefix: `${prefix}${transport.changes.listen ? 'listen' : 'relay'}:` } },
            limits: { backend: 'memory' },
          },
          {},
          database.url,
        );
        const [first, second] = replicas.urls as [string, string];
        const [, secondClient] = replicas.clients as [OpenAI, OpenAI];
        const clientOn = (url: string, secret: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: secret, maxRetries: 0 });

        // A key made on the first gateway works on the second; revoked on the first, it stops there.
        const made = await admin(first, 'POST', `/admin/accounts/${replicas.account}/keys`, { name: 'second' });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        const extra = clientOn(second, made.body.secret);
        await until(extra, 'ok', 'a new key', t);
        const revoked = await admin(first, 'POST', `/admin/keys/${made.body.key.id}/revoke`);
        assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
        await until(extra, 'invalid_api_key', 'a key revocation', t);

        // A suspension made on the first is enforced by the second; a reinstatement on the second lifts it on the first.
        const suspended = await admin(first, 'POST', `/admin/enforcement/accounts/${replicas.account}/suspend`, { reason: 'harvesting', actor: 'alice' });
        assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
        await until(secondClient, 'account_suspended', 'a suspension', t);
        const state = await admin(second, 'GET', `/admin/enforcement/accounts/${replicas.account}`);
        assert.deepEqual([state.body.actions, state.body.actor, state.body.manual], [['suspend_account'], 'alice', true]);
        const reinstated = await admin(second, 'POST', `/admin/enforcement/accounts/${replicas.account}/reinstate`, { reason: 'appeal upheld', actor: 'bob' });
        assert.equal(reinstated.status, 200);
        await until(replicas.clients[0]!, 'ok', 'a reinstatement', t);

        // A limit set on the first gateway refuses on the second (each counts in memory here, so one request a minute is all it lets through).
        const limited = await admin(first, 'PATCH', `/admin/limits/accounts/${replicas.account}`, { limits: { requestsPerMinute: 1 } });
        assert.equal(limited.status, 200, JSON.stringify(limited.body));
        await until(secondClient, 'rate_limit_exceeded', 'a limit change', t);

        // Both gateways appended to the one audit chain, in order, and it verifies.
        const audit = await admin(first, 'GET', `/admin/audit?account=${replicas.account}`);
        assert.deepEqual(audit.body.data.map((e: { action: string; actor: string }) => [e.action, e.actor]), [['reinstate', 'bob'], ['suspend', 'alice']]);
        const verified = await admin(second, 'GET', '/admin/audit/verify');
        assert.equal(verified.body.ok, true, JSON.stringify(verified.body));
      } finally {
        await replicas?.close();
        await database.drop();
      }
    });
  });
}
