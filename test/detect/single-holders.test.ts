import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SingleHolders } from '../../src/detect/single-holders.js';

const DAY = 86_400_000;

test('single holders give back each time as seen, across a moved epoch and after times stop fitting 32 bits', () => {
  const table = new SingleHolders();
  const start = Date.parse('2026-01-01T00:00:00Z');
  // A time from each week of a year, then one before them all and one not a whole ms.
  const times = Array.from({ length: 52 }, (_, w) => start + w * 7 * DAY + w);
  for (const [i, ms] of times.entries()) {
    table.add(i + 1, 1000 + i, i % 9, i, ms);
    // The slots so far still read back their times: those within the longest TTL exactly.
    for (let j = 0; j <= i; j++) {
      const seen = table.seenAt(table.find(j + 1, 1000 + j));
      if (ms - times[j]! <= 30 * DAY) assert.equal(seen, times[j], `time ${j} after ${i}`);
      else assert.ok(ms - seen > 30 * DAY, `time ${j} still expired after ${i}`);
    }
  }
  const slot = table.find(5, 1004);
  table.see(slot, start - 400 * DAY);
  assert.equal(table.seenAt(slot), start - 400 * DAY);
  table.see(slot, start + 0.5);
  assert.equal(table.seenAt(slot), start + 0.5);
  assert.equal(table.seenAt(table.find(52, 1051)), times[51]);
  assert.equal(table.holderAt(table.find(52, 1051)), 51);
});

test('a sweep forgets the expired values and keeps the others findable', () => {
  const table = new SingleHolders();
  for (let i = 0; i < 3000; i++) table.add(i * 7919 + 1, i, i % 9, i, 1_000_000 + i);
  table.sweep((kind, lastSeenMs) => kind === 4 && lastSeenMs < 1_001_500);
  for (let i = 0; i < 3000; i++) {
    const slot = table.find(i * 7919 + 1, i);
    if (i % 9 === 4 && i < 1500) assert.equal(slot, -1);
    else assert.equal(table.holderAt(slot), i);
  }
});

test('holders past 16 bits widen the holders, keeping those held and their kinds', () => {
  const table = new SingleHolders();
  table.add(11, 12, 3, 65534, 1_000_000);
  table.add(21, 22, 4, 70_000, 1_000_001);
  table.add(31, 32, 5, 7, 1_000_002);
  assert.deepEqual([table.holderAt(table.find(11, 12)), table.holderAt(table.find(21, 22)), table.holderAt(table.find(31, 32))], [65534, 70_000, 7]);
  table.sweep((kind) => kind === 4);
  assert.equal(table.find(21, 22), -1);
  assert.equal(table.holderAt(table.find(11, 12)), 65534);
  assert.equal(table.seenAt(table.find(31, 32)), 1_000_002);
});
