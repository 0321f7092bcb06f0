import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HolderLists } from '../../src/detect/holder-lists.js';

test('holder lists keep every holder and time as they grow, move and reuse freed room', () => {
  const lists = new HolderLists();
  const read = (at: number, held: number): [number, number][] => Array.from({ length: held }, (_, i) => [lists.ids[at + i]!, lists.seen.at(at + i)]);
  let a = lists.pair(1, 10.5, 2, 20.5, true);
  let b = lists.pair(100, 1000, 101, 1001, true);
  for (let held = 2; held < 64; held++) {
    a = lists.push(a, held, held + 1, 10 * (held + 1) + 0.5, true);
    b = lists.push(b, held, 100 + held, 1000 + held, true);
  }
  assert.deepEqual(read(a, 64), Array.from({ length: 64 }, (_, i) => [i + 1, 10 * (i + 1) + 0.5]));
  assert.deepEqual(read(b, 64), Array.from({ length: 64 }, (_, i) => [100 + i, 1000 + i]));
  assert.equal(lists.seatOf(a, 64, 17), 16);
  assert.equal(lists.seatOf(a, 64, 100), -1);
  // A freed room of two is the next pair's, and leaves the others' holders alone.
  lists.release(b, 64);
  const c = lists.pair(7, 70, 8, 80, true);
  assert.deepEqual(read(c, 2), [[7, 70], [8, 80]]);
  assert.deepEqual(read(a, 64), Array.from({ length: 64 }, (_, i) => [i + 1, 10 * (i + 1) + 0.5]));
});

test('holder lists keep whole-ms times as 32-bit offsets and ids in 16 bits, widening each when one does not fit', () => {
  const lists = new HolderLists();
  const start = Date.parse('2026-01-01T00:00:00Z');
  const read = (at: number, held: number): [number, number][] => Array.from({ length: held }, (_, i) => [lists.ids[at + i]!, lists.seen.at(at + i)]);
  let a = lists.pair(1, start, 2, start + 1, true);
  for (let held = 2; held < 40; held++) a = lists.push(a, held, 1000 * held, start + held * 3_600_000, true);
  assert.ok(lists.ids instanceof Uint16Array && lists.seen.offsets instanceof Uint32Array);
  const before = read(a, 40);
  // An id past 16 bits: the ids widen, every holder kept.
  a = lists.push(a, 40, 70_000, start + 41 * 3_600_000, true);
  assert.ok(lists.ids instanceof Int32Array);
  assert.deepEqual(read(a, 41), [...before, [70_000, start + 41 * 3_600_000]]);
  assert.equal(lists.seatOf(a, 41, 70_000), 40);
  const b = lists.pair(65_536, start + 2, 65_535, start + 3, true);
  assert.deepEqual(read(b, 2), [[65_536, start + 2], [65_535, start + 3]]);
  // Untimed (a sign-up attribute's holders, never read) a time years back is not kept, and the column stays 32-bit.
  const u = lists.pair(3, 0, 4, start - 400 * 86_400_000, false);
  lists.push(u, 2, 5, 1, false);
  assert.ok(lists.seen.offsets instanceof Uint32Array);
  // Sixty days on the epoch moves: the times within the longest TTL read back exactly, older ones as expired.
  const later = start + 60 * 86_400_000;
  lists.seen.put(a + 2, later - 10 * 86_400_000);
  lists.seen.put(a, later);
  assert.deepEqual([lists.seen.at(a), lists.seen.at(a + 2)], [later, later - 10 * 86_400_000]);
  assert.ok(lists.seen.offsets instanceof Uint32Array);
  for (let i = 3; i < 41; i++) assert.ok(later - lists.seen.at(a + i) > 30 * 86_400_000, `holder ${i} reads as expired`);
  // A time before the epoch: the times themselves from then on, exactly.
  lists.seen.put(a + 1, start - 400 * 86_400_000);
  assert.ok(lists.seen.offsets instanceof Float64Array);
  assert.deepEqual([lists.seen.at(a), lists.seen.at(a + 1), lists.seen.at(a + 2)], [later, start - 400 * 86_400_000, later - 10 * 86_400_000]);
});
