import { test } from 'node:test';
import assert from 'node:assert/strict';
import { END, PairTable } from '../../src/detect/pair-table.js';

function values(table: PairTable, row: number): number[] {
  const out: number[] = [];
  for (let e = table.first(row); e !== END; e = table.next[e]!) out.push(table.valueOf[e]!);
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

test('rows and entries past 16 bits widen the lists threaded through them', () => {
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
