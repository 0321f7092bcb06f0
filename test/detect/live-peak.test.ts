import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../src/detect/index.js';
import { account, chat, DAY, HOUR, request, T0 } from './fixtures.js';

const SHORT = /^asks for short output/;
const heavyUsage = (promptTokens: number) => ({ usage: { prompt_tokens: promptTokens, completion_tokens: 10 } });

function reasonsAfter(requests: number, promptTokens: number, lastPromptTokens = promptTokens): string[] {
  const engine = createEngine();
  engine.addAccount(account('p'));
  for (let i = 0; i < requests; i++) engine.observe(request('p', T0 + i * HOUR, chat(`what should I cook tonight with ${i} eggs and some rice?`), heavyUsage(i === requests - 1 ? lastPromptTokens : promptTokens)));
  const a = engine.assessment('p')!;
  assert.equal(a.score, 0, 'a peak of 0: the state holds it');
  return a.reasons.map((r) => r.text);
}

test("a live peak's reasons leave out its last request's usage, which came after the decision", () => {
  // Decided before its 6000 prompt tokens were known: nothing says short output yet.
  assert.ok(!reasonsAfter(1, 6000).some((r) => SHORT.test(r)));
  // The second decision saw the first request's usage.
  assert.ok(reasonsAfter(2, 6000).some((r) => SHORT.test(r)));
  // Usage a 32-bit word cannot take back exactly has the peak kept as a snapshot first: same reasons.
  assert.deepEqual(reasonsAfter(1, 6000.5), reasonsAfter(1, 6000));
  assert.deepEqual(reasonsAfter(2, 6000.5), reasonsAfter(2, 6000));
  assert.deepEqual(reasonsAfter(2, 6000, 6000.5), reasonsAfter(2, 6000));
});

test("a live peak's view keeps the age it was decided with when the account's record comes later", () => {
  const engine = createEngine();
  for (let i = 0; i < 30; i++) engine.observe(request('late', T0 + i * HOUR, chat(`what should I cook tonight with ${i} eggs and some rice?`)));
  engine.addAccount(account('late', { created_at: new Date(T0 - DAY / 2).toISOString() }));
  const a = engine.assessment('late')!;
  assert.equal(a.score, 0);
  // Every decision had the account's age unknown; read from the state as it now stands, the view would be of an account under 2 days old.
  assert.ok(a.reasons.length > 0);
  assert.ok(!a.reasons.some((r) => r.text.startsWith('account ')));
});
