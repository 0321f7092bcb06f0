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
    table.add(i + 1, 1000 + i, i, ms);
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
  for (let i = 0; i < 3000; i++) table.add(i * 7919 + 1, i, i, 1_000_000 + i);
  table.sweep((lastSeenMs) => (lastSeenMs - 1_000_000) % 9 === 4 && lastSeenMs < 1_001_500);
  for (let i = 0; i < 3000; i++) {
    const slot = table.find(i * 7919 + 1, i);
    if (i % 9 === 4 && i < 1500) assert.equal(slot, -1);
    else assert.equal(table.holderAt(slot), i);
  }
});

test('values told apart by the high bits of their other hash alone, sharing a home, stay apart through removals and growth', () => {
  const table = new SingleHolders();
  // Three values per placing hash (`hashB`), their other hashes differing only above bit 16; the
  // placing hashes all multiples of 64 (the least capacity), so many share a home and probe past it.
  const hashA = (v: number) => (((v % 3) + 1) << 16) | 0x1234;
  const hashB = (v: number) => 64 * Math.floor(v / 3);
  for (let v = 0; v < 600; v++) table.add(hashA(v), hashB(v), v, 1_000_000 + v);
  // The same placing hash and high 16 bits of the other: the same value to the table.
  assert.equal(table.holderAt(table.find(hashA(7) ^ 0xffff, hashB(7))), 7);
  assert.equal(table.find((4 << 16) | 0x1234, hashB(7)), -1);
  for (let v = 0; v < 600; v += 2) table.remove(table.find(hashA(v), hashB(v)));
  for (let v = 0; v < 600; v++) {
    const slot = table.find(hashA(v), hashB(v));
    if (v % 2 === 0) assert.equal(slot, -1, `value ${v} removed`);
    else assert.deepEqual([table.holderAt(slot), table.seenAt(slot)], [v, 1_000_000 + v]);
  }
});

test('holders past 16 bits widen the holders, keeping those held', () => {
  const table = new SingleHolders();
  table.add(11, 12, 65534, 1_000_000);
  table.add(21, 22, 70_000, 1_000_001);
  table.add(31, 32, 7, 1_000_002);
  assert.deepEqual([table.holderAt(table.find(11, 12)), table.holderAt(table.find(21, 22)), table.holderAt(table.find(31, 32))], [65534, 70_000, 7]);
  table.sweep((lastSeenMs) => lastSeenMs === 1_000_001);
  assert.equal(table.find(21, 22), -1);
  assert.equal(table.holderAt(table.find(11, 12)), 65534);
  assert.equal(table.seenAt(table.find(31, 32)), 1_000_002);
});
