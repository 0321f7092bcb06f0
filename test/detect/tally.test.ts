import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counters, Tally } from '../../src/detect/tally.js';

/** The tally's counters and sums, by name: its getters. */
const names = Object.entries(Object.getOwnPropertyDescriptors(Counters.prototype))
  .filter(([, d]) => d.get !== undefined)
  .map(([name]) => name as keyof Tally);

test('merging tallies adds up every counter, and a snapshot in a store keeps every one', () => {
  assert.equal(names.length, Tally.COUNTS + Tally.SUMS);
  // A member's tally over slices of shared stores, its counters 1, 2, ... and its sums a half more.
  const counts = new Uint32Array(Tally.COUNTS + 5);
  const sums = new Float64Array(Tally.SUMS + 3);
  for (let k = 0; k < Tally.COUNTS; k++) counts[5 + k] = k + 1;
  for (let k = 0; k < Tally.SUMS; k++) sums[3 + k] = Tally.COUNTS + k + 1.5;
  const member = new Tally(counts, 5, sums, 3);
  const values = names.map((name) => member[name] as number);
  assert.equal(new Set(values).size, names.length, 'each name reads a slot of its own');
  const pooled = new Tally();
  pooled.merge(member);
  pooled.merge(member);
  for (const [i, name] of names.entries()) assert.equal(pooled[name], 2 * values[i]!, name);
  // Written beside other snapshots, it is read back whole and leaves its neighbours alone.
  const outCounts = new Uint32Array(3 * Tally.COUNTS).fill(7);
  const outSums = new Float64Array(3 * Tally.SUMS).fill(-1);
  member.writeTo(outCounts, Tally.COUNTS, outSums, Tally.SUMS);
  const copy = Tally.readFrom(outCounts, Tally.COUNTS, outSums, Tally.SUMS);
  for (const [i, name] of names.entries()) assert.equal(copy[name], values[i], name);
  assert.ok(outCounts.subarray(0, Tally.COUNTS).every((x) => x === 7));
  assert.ok(outCounts.subarray(2 * Tally.COUNTS).every((x) => x === 7));
  assert.ok(outSums.subarray(0, Tally.SUMS).every((x) => x === -1));
  assert.ok(outSums.subarray(2 * Tally.SUMS).every((x) => x === -1));
});
