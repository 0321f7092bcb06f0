import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccountState, StatePool } from '../../src/detect/account-state.js';
import { requestFeatures } from '../../src/detect/features.js';
import { harvestIntent } from '../../src/detect/harvest-score.js';
import { chat, DAY, followUp, HOUR, request, T0 } from './fixtures.js';

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
  // Accounts joining the block after the widening leave the widened one's words and floats alone.
  const later = Array.from({ length: 80 }, (_, i) => new AccountState(pool, 2 + i, `c${i}`));
  later[5]!.observe({ ...f, ms: T0 }, harvest, false, undefined);
  assert.equal(state.tally.requests, n);
  assert.equal(state.lastMs, T0 + (n - 1) * HOUR);
  assert.notEqual(state.template(), 0);
  assert.equal(later[5]!.lastMs, T0);
  assert.equal(later[6]!.tally.requests, 0);
});

test('a block growing as accounts join keeps the slices of those already in it', () => {
  const pool = new StatePool();
  const f = requestFeatures(request('a', T0, chat('Translate into French: the cat sleeps on the warm windowsill all afternoon.')));
  const harvest = harvestIntent(f);
  const states = Array.from({ length: 150 }, (_, i) => {
    const state = new AccountState(pool, i, `a${i}`);
    for (let k = 0; k <= i % 3; k++) state.observe({ ...f, ms: T0 + i * HOUR + k }, harvest, false, undefined);
    state.peak = i / 1000;
    return state;
  });
  for (const [i, state] of states.entries()) {
    assert.equal(state.tally.requests, (i % 3) + 1);
    assert.equal(state.firstMs, T0 + i * HOUR);
    assert.equal(state.lastMs, T0 + i * HOUR + (i % 3));
    assert.equal(state.peak, i / 1000);
    assert.equal(state.activeHours(), 1);
  }
});

test('a follow-up is timed against the exact end of the answer before it, a fraction of a ms or weeks on', () => {
  const pool = new StatePool();
  const state = new AccountState(pool, 0, 'a');
  const first = 'Write a short story about a lighthouse keeper who finds a message in a bottle.';
  const answer = 'The keeper turned the bottle over in his hands.';
  /** Opens the conversation at `ms`, answered after `latency`; then a follow-up `gap` ms after the answer: was it scripted? */
  const scripted = (ms: number, latency: number, gap: number, next: string): boolean => {
    const opening = requestFeatures(request('a', ms, chat(first)));
    state.observe(opening, harvestIntent(opening), false, undefined);
    state.answered(latency);
    const turn = requestFeatures(request('a', ms, followUp(first, answer, next)));
    return state.observe({ ...turn, ms: ms + latency + gap }, harvestIntent(turn), false, undefined).scriptedFollowUp;
  };
  // A latency of a fraction of a ms: the times kept are no longer whole ms, and still exact.
  assert.equal(scripted(T0, 1234.5, 4999.75, 'Make it sadder.'), true);
  assert.equal(scripted(T0 + HOUR, 1234.5, 5000.25, 'Now give it a happy ending.'), false);
  // Months on, past what 32-bit offsets from the first time reach.
  assert.equal(scripted(T0 + 90 * DAY, 800, 4000, 'Shorter, please.'), true);
  assert.equal(scripted(T0 + 91 * DAY, 800, 6000, 'Add a dog to it.'), false);
});

test('answer times kept as whole ms stay exact across an epoch move', () => {
  const pool = new StatePool();
  const state = new AccountState(pool, 0, 'a');
  const first = 'Explain how tides work to a ten year old.';
  const answer = 'The moon pulls on the sea.';
  for (const [day, gap, expected] of [[0, 4999, true], [60, 5000, false], [120, 4999, true], [200, 5001, false]] as const) {
    const ms = T0 + day * DAY;
    const opening = requestFeatures(request('a', ms, chat(first)));
    state.observe(opening, harvestIntent(opening), false, undefined);
    state.answered(700);
    const turn = requestFeatures(request('a', ms, followUp(first, answer, `And what about day ${day}?`)));
    assert.equal(state.observe({ ...turn, ms: ms + 700 + gap }, harvestIntent(turn), false, undefined).scriptedFollowUp, expected, `day ${day}`);
  }
});
