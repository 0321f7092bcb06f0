import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccountState, StatePool } from '../../src/detect/account-state.js';
import { requestFeatures } from '../../src/detect/features.js';
import { harvestIntent } from '../../src/detect/harvest-score.js';
import { chat, HOUR, request, T0 } from './fixtures.js';

test('an account past 16 bits of requests keeps exact counts: its sketches move to 32 bits first', () => {
  const pool = new StatePool();
  const state = new AccountState(pool, 0, 'a');
  const neighbour = new AccountState(pool, 1, 'b');
  const f = requestFeatures(request('a', T0, chat('Answer the following question step by step and show all of your working: what is the sum of the first ten primes?')));
  assert.ok(f.wrappers.length > 0);
  const harvest = harvestIntent(f);
  const n = 70_000;
  // A new clock hour each time, so the distinct hours pass 16 bits too.
  for (let i = 0; i < n; i++) state.observe({ ...f, ms: T0 + i * HOUR }, harvest, false, undefined);
  assert.equal(state.tally.requests, n);
  assert.equal(state.activeSlots, n);
  assert.equal(state.wrapperConcentration(), 1);
  assert.notEqual(state.template(), 0);
  assert.equal(neighbour.activeSlots, 0);
  assert.equal(neighbour.template(), 0);
});
