import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecayedCounter, DistinctCounter, TopK } from '../../src/detect/sketches.js';

test('distinct counter is exact when small and close when large', () => {
  const small = new DistinctCounter(new Uint32Array(DistinctCounter.words(16)), 0, 16);
  for (let i = 0; i < 10; i++) small.add(i * 2654435761);
  small.add(0);
  // 0 * 2654435761 is 0: the eleventh add repeats the first.
  assert.equal(small.estimate(), 10);
  const big = new DistinctCounter(new Uint32Array(DistinctCounter.words(64)), 0, 64);
  for (let i = 0; i < 5000; i++) big.add(Math.imul(i + 1, 2654435761) >>> 0);
  assert.ok(Math.abs(big.estimate() - 5000) < 1500, String(big.estimate()));
});

test('top-k keeps the heavy hitter, and keys that only passed through never look frequent', () => {
  const top = new TopK(new Uint32Array(TopK.keyWords(3)), 0, new Uint16Array(TopK.countWords(3)), 0, 3);
  for (let i = 0; i < 50; i++) top.add(7);
  for (let i = 1; i < 40; i++) top.add(100 + i);
  assert.deepEqual(top.top(), { key: 7, count: 50 });
  // The last key took over a slot with an inherited count; only its own one add is certain.
  assert.equal(top.count(139), 1);
  assert.equal(top.count(12345), 0);
});

test('common share tells one set asked by all from sets that barely meet', () => {
  const sketch = (values: number[]): DistinctCounter => {
    const c = new DistinctCounter(new Uint32Array(DistinctCounter.words(24)), 0, 24);
    for (const v of values) c.add(v);
    return c;
  };
  const assignment = Array.from({ length: 20 }, (_, i) => Math.imul(i + 1, 2654435761) >>> 0);
  const class_ = Array.from({ length: 6 }, () => sketch(assignment));
  assert.equal(DistinctCounter.commonShare(class_, 3), 1);
  const deck = Array.from({ length: 6 }, (_, m) => sketch(Array.from({ length: 20 }, (_, i) => Math.imul(m * 100 + i + 1, 2654435761) >>> 0)));
  assert.equal(DistinctCounter.commonShare(deck, 3), 0);
});

test('decayed counter halves per half-life', () => {
  const counter = new DecayedCounter(new Float64Array(DecayedCounter.words), 0, 1000);
  counter.add(0, 8);
  assert.equal(counter.valueAt(1000), 4);
});

test('sketches side by side in one store keep to their own slices', () => {
  const store = new Uint32Array(2 * DistinctCounter.words(4) + TopK.keyWords(2) + TopK.countWords(2));
  const left = new DistinctCounter(store, 0, 4);
  const right = new DistinctCounter(store, DistinctCounter.words(4), 4);
  const keyAt = 2 * DistinctCounter.words(4);
  const top = new TopK(store, keyAt, store, keyAt + TopK.keyWords(2), 2);
  for (let i = 1; i <= 9; i++) left.add(i);
  right.add(5);
  for (let i = 0; i < 5; i++) top.add(3);
  // A view made afresh reads the same state: sketches hold nothing outside the store.
  assert.equal(new DistinctCounter(store, 0, 4).estimate(), left.estimate());
  assert.equal(right.estimate(), 1);
  assert.deepEqual(top.top(), { key: 3, count: 5 });
  assert.ok(left.estimate() > 4);
});
