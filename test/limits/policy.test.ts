import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitPolicy } from '../../src/limits/limit-policy.js';
import { limitsSchema } from '../../src/limits/limits-schema.js';
import { OverrideCache } from '../../src/limits/overrides.js';
import { formatDuration } from '../../src/limits/rate-limit-headers.js';
import { reserveTokens } from '../../src/limits/reservation.js';
import type { EndpointKind } from '../../src/metering/endpoint.js';
import { parseRequestFields } from '../../src/traffic/request-fields.js';
import type { LimitOverrideRecord, LimitOverrideRepository } from '../../src/store/store.js';

const noStore: LimitOverrideRepository = {
  put: async () => undefined,
  get: async () => undefined,
  list: async () => [],
  changedSince: async () => [],
};

const config = limitsSchema.parse({
  tiers: {
    default: {
      account: { requestsPerMinute: 100, tokensPerMinute: 10_000, monthlyTokens: 1_000_000 },
      key: { concurrent: 4 },
      models: { 'gpt-4o*': { account: { requestsPerMinute: 10 } } },
    },
  },
});
const caller = { keyId: 'key_1', account: 'acct', tier: 'default' };
const override = (record: Omit<LimitOverrideRecord, 'updatedAt'>): LimitOverrideRecord => ({ ...record, updatedAt: Date.now() });
const summary = (policy: LimitPolicy, model: string) =>
  Object.fromEntries(policy.plan(caller, model, () => 50, Date.now()).map((c) => [`${c.scope}.${c.model}.${c.name}`, `${c.limit}/${c.amount}`]));

test('a tier gives each account and each key its limits; a model rule has its own counters, the monthly budget stays shared', () => {
  const policy = new LimitPolicy(config, new OverrideCache(noStore));
  assert.deepEqual(summary(policy, 'text-embedding-3-small'), {
    'key.*.concurrent': '4/1',
    'account.*.requestsPerMinute': '100/1',
    'account.*.tokensPerMinute': '10000/50',
    'account.*.monthlyTokens': '1000000/50',
  });
  assert.deepEqual(summary(policy, 'gpt-4o-mini'), {
    'key.gpt-4o*.concurrent': '4/1',
    'account.gpt-4o*.requestsPerMinute': '10/1',
    'account.gpt-4o*.tokensPerMinute': '10000/50',
    'account.*.monthlyTokens': '1000000/50',
  });
});

test('overrides replace, lift (null) or keep the tier limits, per subject and per model', () => {
  const overrides = new OverrideCache(noStore);
  overrides.put(override({ scope: 'account', subject: 'acct', model: '', limits: { requestsPerMinute: 7, tokensPerMinute: null } }));
  overrides.put(override({ scope: 'account', subject: 'acct', model: 'gpt-4o', limits: { requestsPerMinute: 3 } }));
  const policy = new LimitPolicy(config, overrides);
  assert.deepEqual(summary(policy, 'o3'), {
    'key.*.concurrent': '4/1',
    'account.*.requestsPerMinute': '7/1',
    'account.*.monthlyTokens': '1000000/50',
  });
  // The exact override beats the tier's prefix rule.
  assert.equal(summary(policy, 'gpt-4o')['account.gpt-4o.requestsPerMinute'], '3/1');
  overrides.put(override({ scope: 'account', subject: 'acct', model: '', limits: {} }));
  assert.equal(summary(policy, 'o3')['account.*.requestsPerMinute'], '100/1');
});

test('the reservation is the prompt plus the output cap the request names, else the tier default, per choice', () => {
  const messages = [{ role: 'user', content: 'hello world' }];
  const reserve = (kind: EndpointKind, body: Record<string, unknown>) => reserveTokens(kind, parseRequestFields(body).fields, 7, 999);
  assert.equal(reserve('chat', { messages, max_tokens: 100 }), 7 + 100);
  assert.equal(reserve('chat', { messages, max_completion_tokens: 30, n: 2 }), 7 + 60);
  assert.equal(reserve('responses', { input: 'hello world', max_output_tokens: 20 }), 7 + 20);
  assert.equal(reserve('chat', { messages }), 7 + 999);
  assert.equal(reserve('chat', { messages, max_tokens: null }), 7 + 999);
  assert.equal(reserve('embeddings', { input: 'hello world' }), 7);
});

test("durations in OpenAI's format", () => {
  assert.equal(formatDuration(17), '17ms');
  assert.equal(formatDuration(1000), '1s');
  assert.equal(formatDuration(1500), '1.5s');
  assert.equal(formatDuration(360_000), '6m0s');
  assert.equal(formatDuration(60_652), '1m0.652s');
  assert.equal(formatDuration(86_400_000), '24h0m0s');
});
