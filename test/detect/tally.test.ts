import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tally } from '../../src/detect/tally.js';

test('merging tallies adds up every counter, and a copy copies every one', () => {
  const member = new Tally();
  const counters = Object.keys(member) as (keyof Tally)[];
  assert.ok(counters.length > 30);
  counters.forEach((key, i) => ((member as unknown as Record<string, number>)[key] = i + 1));
  const pooled = new Tally();
  pooled.merge(member);
  pooled.merge(member);
  for (const [i, key] of counters.entries()) assert.equal(pooled[key], 2 * (i + 1), key);
  const copy = new Tally().copyFrom(member);
  for (const [i, key] of counters.entries()) assert.equal(copy[key], i + 1, key);
});
