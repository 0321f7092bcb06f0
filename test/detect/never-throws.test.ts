import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../bench/gen/rng.js';
import { createEngine } from '../../src/detect/index.js';
import type { TrafficRequest } from '../../src/traffic/types.js';
import { oddValue } from '../helpers/fuzz/values.js';
import { T0, account, chat, request } from './fixtures.js';

/**
 * Detection reads whatever a client sent: the property is that no request shape makes it throw
 * (which would drop the rest of a drain batch and, during warm-up, stop a gateway starting).
 */

const FIELDS = ['model', 'messages', 'prompt', 'input', 'instructions', 'max_tokens', 'max_completion_tokens', 'max_output_tokens', 'n', 'seed', 'logprobs', 'top_logprobs', 'logit_bias', 'temperature', 'stream', 'stream_options', 'user', 'best_of'] as const;
const TOP = ['ts', 'account', 'ip', 'user_agent', 'endpoint', 'status', 'usage', 'latency_ms', 'request', 'response'] as const;

function oddBody(rng: Rng): unknown {
  const body: Record<string, unknown> = {};
  for (const field of FIELDS) if (rng.chance(0.45)) body[field] = JSON.parse(oddValue(rng, 0.01));
  if (rng.chance(0.3)) body.messages = [{ role: 'system', content: JSON.parse(oddValue(rng, 0.01)) }, null, { role: 'user', content: JSON.parse(oddValue(rng, 0.01)) }];
  return rng.chance(0.05) ? JSON.parse(oddValue(rng, 0)) : body;
}

function oddRecord(rng: Rng, i: number): TrafficRequest {
  const base = request(`acct${i % 7}`, T0 + i * 1000, chat('hello'));
  const record: Record<string, unknown> = { ...base, request: oddBody(rng) };
  // Now and then a top-level field is missing or of the wrong type too: an export edited by hand, a foreign log.
  if (rng.chance(0.1)) record[rng.pick(TOP)] = JSON.parse(oddValue(rng, 0));
  return record as unknown as TrafficRequest;
}

test('generated request shapes (nulls, wrong types, huge arrays, odd unicode, deep nesting) never make the engine throw', () => {
  const rng = new Rng(20261201);
  const engine = createEngine();
  for (let k = 0; k < 7; k++) engine.addAccount(account(`acct${k}`));
  for (let i = 0; i < 4000; i++) {
    const record = oddRecord(rng, i);
    assert.doesNotThrow(() => engine.observe(record), () => `request ${i}: ${JSON.stringify(record).slice(0, 300)}`);
  }
  assert.doesNotThrow(() => engine.verdicts());
  assert.doesNotThrow(() => engine.campaigns());
});

test('the null that used to throw, logit_bias: null, is read as absent', () => {
  const engine = createEngine();
  engine.addAccount(account('a'));
  engine.observe(request('a', T0, chat('hi', { logit_bias: null as unknown as Record<string, number>, n: null as unknown as number })));
  assert.equal(engine.assessment('a')!.requests, 1);
});
