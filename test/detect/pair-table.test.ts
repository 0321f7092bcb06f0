import { test } from 'node:test';
import assert from 'node:assert/strict';
import { END, PairTable } from '../../src/detect/pair-table.js';

function values(table: PairTable, row: number): number[] {
  const out: number[] = [];
  for (let e = table.first(row), end = table.end(row); e < end; e++) out.push(table.valueOf[e]!);
  return out;
}

test('account and value ids past 16 bits widen the columns, keeping what they held', () => {
  const table = new PairTable();
  const small = table.create(1, 2);
  table.add(small, 7, 0, 1);
  const big = table.create(3, 70000);
  table.add(big, 70001, 2, 3);
  table.add(small, 65535, 1, 0);
  assert.deepEqual([table.a[small], table.b[small], table.a[big], table.b[big]], [1, 2, 3, 70000]);
  assert.equal(table.other(big, 70000), 3);
  assert.equal(table.firstOf(70000), big);
  assert.deepEqual(values(table, small), [7, 65535]);
  assert.deepEqual(values(table, big), [70001]);
  assert.ok(table.has(big, 70001));
});

test('rows and the store past 16 bits widen the lists threaded through the rows and where values start', () => {
  const table = new PairTable();
  const n = 70_000;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = table.create(i % 1000, 1000 + (i % 7));
    table.add(row, i, 0, 1);
    rows.push(row);
  }
  assert.deepEqual(values(table, rows[n - 1]!), [n - 1]);
  // Account 999's pairs are every thousandth row, in link order, through the widened lists.
  const of999: number[] = [];
  for (let row = table.firstOf(999); row !== END; row = table.nextOf(row, 999)) of999.push(row);
  assert.deepEqual(of999, rows.filter((_, i) => i % 1000 === 999));
  assert.equal(table.countOf(999), n / 1000);
  table.remove(rows[999]!);
  assert.equal(table.firstOf(999), rows[1999]);
  assert.equal(table.countOf(999), n / 1000 - 1);
});

test('a pair sharing more values than a byte counts keeps them all, in the order they joined', () => {
  const table = new PairTable();
  const busy = table.create(1, 2);
  const quiet = table.create(1, 3);
  const shared: number[] = [];
  for (let v = 0; v < 300; v++) {
    table.add(busy, v, v % 64, (v + 1) % 64);
    shared.push(v);
    // Another pair's values land between the busy pair's moves, so it cannot always grow in place.
    if (v % 50 === 0) table.add(quiet, 1000 + v, 0, 1);
  }
  assert.deepEqual(values(table, busy), shared);
  assert.deepEqual(values(table, quiet), [1000, 1050, 1100, 1150, 1200, 1250]);
  assert.equal(table.seatA[table.first(busy) + 299], 299 % 64);
  assert.equal(table.seatB[table.first(busy) + 299], 300 % 64);
  assert.ok(table.has(busy, 299) && !table.has(busy, 300));
});

test('the room of a removed pair goes to the next list of its size', () => {
  const table = new PairTable();
  const gone = table.create(1, 2);
  for (let v = 0; v < 5; v++) table.add(gone, v, 0, 1);
  const room = table.first(gone);
  table.remove(gone);
  const fresh = table.create(3, 4);
  const beside = table.create(3, 5);
  // Values of the two pairs alternate, so neither grows in place at the store's end.
  for (let v = 10; v < 15; v++) {
    table.add(fresh, v, 1, 0);
    table.add(beside, v, 0, 1);
  }
  assert.equal(table.first(fresh), room);
  assert.deepEqual(values(table, fresh), [10, 11, 12, 13, 14]);
});
