import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskVariable, skeletonOf } from '../../src/detect/skeleton.js';
import { hamming32, simhash32 } from '../../src/detect/simhash.js';
import { DecayedCounter, DistinctCounter, TopK } from '../../src/detect/sketches.js';

test('skeletons of one template with different items share head or tail', () => {
  const a = skeletonOf('Solve the following problem carefully.\n\nTom has 3 apples and eats 1. How many are left over at the end of the day?', '', 1);
  const b = skeletonOf('Solve the following problem carefully.\n\nA train leaves at 9 and travels 60 km/h for 2.5 hours; how far did the train go in total?', '', 1);
  assert.equal(a.head, b.head);
  const c = skeletonOf('Some item about cats and dogs that is long enough to matter.\n\nPlease give a complete answer.', '', 1);
  const d = skeletonOf('Another quite different item concerning the tax code of 1998.\n\nPlease give a complete answer.', '', 1);
  assert.equal(c.tail, d.tail);
  assert.notEqual(c.content, d.content);
  assert.equal(maskVariable('Order 66 at 12.50 "now"'), 'order # at # Q');
});

test('simhash puts near-identical prompts close and different ones far', () => {
  const base = 'Write a function that reverses a linked list in place and returns the new head node of the list';
  assert.ok(hamming32(simhash32(base), simhash32(base + ' please')) <= 6);
  assert.ok(hamming32(simhash32(base), simhash32('Tell me about the history of the Roman empire and its fall in the fifth century')) > 6);
});

test('distinct counter is exact when small and close when large', () => {
  const small = new DistinctCounter(new Uint32Array(16), 0, 16);
  for (let i = 0; i < 10; i++) small.add(i * 2654435761);
  small.add(0);
  // 0 * 2654435761 is 0: the eleventh add repeats the first.
  assert.equal(small.estimate(), 10);
  const big = new DistinctCounter(new Uint32Array(64), 0, 64);
  for (let i = 0; i < 5000; i++) big.add(Math.imul(i + 1, 2654435761) >>> 0);
  assert.ok(Math.abs(big.estimate() - 5000) < 1500, String(big.estimate()));
});

test('top-k keeps the heavy hitter; decayed counter halves per half-life', () => {
  const top = new TopK(new Uint32Array(TopK.words(3)), 0, 3);
  for (let i = 0; i < 50; i++) top.add(7);
  for (let i = 1; i < 40; i++) top.add(100 + i);
  assert.equal(top.top().key, 7);
  const counter = new DecayedCounter(1000);
  counter.add(0, 8);
  assert.equal(counter.valueAt(1000), 4);
});
