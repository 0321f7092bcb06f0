import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tally } from '../../src/detect/tally.js';

test('merging tallies adds up every counter, and a snapshot in a store keeps every one', () => {
  const member = new Tally();
  const counters = Object.keys(member) as (keyof Tally)[];
  assert.ok(counters.length > 30);
  counters.forEach((key, i) => ((member as unknown as Record<string, number>)[key] = i + 1));
  const pooled = new Tally();
  pooled.merge(member);
  pooled.merge(member);
  for (const [i, key] of counters.entries()) assert.equal(pooled[key], 2 * (i + 1), key);
  assert.equal(Tally.WORDS, counters.length);
  // Written beside other snapshots, it is read back whole and leaves its neighbours alone.
  const store = new Float64Array(3 * Tally.WORDS).fill(-1);
  member.writeTo(store, Tally.WORDS);
  const copy = Tally.readFrom(store, Tally.WORDS);
  for (const [i, key] of counters.entries()) assert.equal(copy[key], i + 1, key);
  assert.ok(store.subarray(0, Tally.WORDS).every((x) => x === -1));
  assert.ok(store.subarray(2 * Tally.WORDS).every((x) => x === -1));
});
