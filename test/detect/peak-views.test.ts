import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeakViews } from '../../src/detect/entry.js';
import type { BehaviourView } from '../../src/detect/signals.js';
import { Tally } from '../../src/detect/tally.js';

function view(counters: number, activeSlots: number): BehaviourView {
  const counts = new Uint32Array(Tally.COUNTS).fill(counters);
  const sums = Float64Array.from({ length: Tally.SUMS }, (_, k) => k + 0.5);
  return { tally: new Tally(counts, 0, sums, 0), members: 1, activeSlots, activeHours: 24, spanDays: 3.25, wrapperConcentration: 0.5, dominantTask: 0.75, taskSpread: 6, perDay: 12.5, itemOverlap: 0.125, ageDays: undefined };
}

test('peak views read back what was kept, past 16 bits too, and leave their neighbours alone', () => {
  const peaks = new PeakViews();
  const small = peaks.take();
  const big = peaks.take();
  peaks.keep(small, view(40_000, 1_000));
  peaks.keep(big, view(70_000, 69_000));
  for (const [slot, counters, activeSlots] of [[small, 40_000, 1_000], [big, 70_000, 69_000]] as const) {
    const read = peaks.read(slot);
    const expected = view(counters, activeSlots);
    assert.deepEqual({ ...read, tally: undefined }, { ...expected, tally: undefined });
    assert.equal(read.tally.requests, counters);
    assert.equal(read.tally.quietTemplated, counters);
    assert.equal(read.tally.completionTokens, Tally.SUMS - 0.5);
  }
});

test('peak views kept before their block grew read back whole after it', () => {
  const peaks = new PeakViews();
  const slots = Array.from({ length: 150 }, (_, i) => {
    const slot = peaks.take();
    peaks.keep(slot, view(i + 1, 2 * i));
    return slot;
  });
  // A view past 16 bits in a block that is still growing: the block's counts widen, then grow.
  const wide = peaks.take();
  peaks.keep(wide, view(70_000, 5));
  for (let i = 0; i < 20; i++) peaks.take();
  for (const [i, slot] of slots.entries()) {
    const read = peaks.read(slot);
    assert.equal(read.tally.requests, i + 1);
    assert.equal(read.activeSlots, 2 * i);
    assert.equal(read.spanDays, 3.25);
  }
  assert.equal(peaks.read(wide).tally.requests, 70_000);
});
