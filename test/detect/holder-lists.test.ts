import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HolderLists } from '../../src/detect/holder-lists.js';

test('holder lists keep every holder and time as they grow, move and reuse freed room', () => {
  const lists = new HolderLists();
  const read = (at: number, held: number): [number, number][] => Array.from({ length: held }, (_, i) => [lists.ids[at + i]!, lists.seen[at + i]!]);
  let a = lists.pair(1, 10.5, 2, 20.5);
  let b = lists.pair(100, 1000, 101, 1001);
  for (let held = 2; held < 64; held++) {
    a = lists.push(a, held, held + 1, 10 * (held + 1) + 0.5);
    b = lists.push(b, held, 100 + held, 1000 + held);
  }
  assert.deepEqual(read(a, 64), Array.from({ length: 64 }, (_, i) => [i + 1, 10 * (i + 1) + 0.5]));
  assert.deepEqual(read(b, 64), Array.from({ length: 64 }, (_, i) => [100 + i, 1000 + i]));
  assert.equal(lists.seatOf(a, 64, 17), 16);
  assert.equal(lists.seatOf(a, 64, 100), -1);
  // A freed room of two is the next pair's, and leaves the others' holders alone.
  lists.release(b, 64);
  const c = lists.pair(7, 70, 8, 80);
  assert.deepEqual(read(c, 2), [[7, 70], [8, 80]]);
  assert.deepEqual(read(a, 64), Array.from({ length: 64 }, (_, i) => [i + 1, 10 * (i + 1) + 0.5]));
});
