import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItemIndex } from '../../src/detect/item-index.js';

test('item index counts the other accounts that asked an item before', () => {
  const index = new ItemIndex(11);
  assert.equal(index.ask(0xdeadbeef, 1), 0);
  assert.equal(index.ask(0xdeadbeef, 1), 0);
  assert.equal(index.ask(0xdeadbeef, 2), 1);
  assert.equal(index.ask(0xdeadbeef, 3), 2);
  assert.equal(index.ask(0xdeadbeef, 3), 2);
  assert.equal(index.askAny([0x12345678, 0xdeadbeef], 4), 3);
});

test('keys sharing a home slot are told apart by their high bits and distance from home', () => {
  const index = new ItemIndex(11);
  // Same low 11 bits, so the same home; the second probes one slot on.
  const a = 0x00000005;
  const b = 0x00100005;
  assert.equal(index.ask(a, 1), 0);
  assert.equal(index.ask(b, 2), 0);
  assert.equal(index.ask(a, 3), 1);
  assert.equal(index.ask(b, 4), 1);
  // A key whose home is the slot b took sits there without being taken for b.
  const c = 0x00100006;
  assert.equal(index.ask(c, 5), 0);
  assert.equal(index.ask(b, 6), 2);
  // Four keys fill the probe window: a fifth takes over its home slot, and the key there is forgotten.
  index.ask(0x00200005, 7);
  index.ask(0x00300005, 8);
  assert.equal(index.ask(0x00400005, 9), 0);
  assert.equal(index.ask(a, 10), 0);
});

test('account ids past 16 bits widen the askers without mistaking one account for another', () => {
  const index = new ItemIndex(11);
  const key = 0xdeadbeef;
  assert.equal(index.ask(key, 1), 0);
  assert.equal(index.ask(key, 70000), 1);
  assert.equal(index.ask(key, 70000), 1);
  // 70000's low 16 bits: another account, and one more asker.
  assert.equal(index.ask(key, 70000 & 0xffff), 2);
  assert.equal(index.ask(key, 1), 2);
});

test('answers hold while held slots are moved and the store is compacted', () => {
  const index = new ItemIndex();
  // Keys with homes of their own, many to a block, thousands in all.
  const keys = Array.from({ length: 5000 }, (_, i) => 1 + i * 13);
  for (const key of keys) assert.equal(index.ask(key, 1), 0);
  for (const key of keys) assert.equal(index.ask(key, 2), 1);
  for (const key of keys) assert.equal(index.ask(key, 1), 1);
});

test('an index too small for a block of slots is refused', () => {
  assert.throws(() => new ItemIndex(4), RangeError);
});

test('counts of askers stop at 63, and keys of one home keep apart by their high bits', () => {
  const index = new ItemIndex();
  for (let owner = 0; owner < 100; owner++) assert.equal(index.ask(0xdeadbeef, owner), Math.min(owner, 63));
  // One home (the same low 17 bits), keys that differ only in their top bit.
  assert.equal(index.ask(0x0001beef, 1), 0);
  assert.equal(index.ask(0x8001beef, 2), 0);
  assert.equal(index.ask(0x0001beef, 3), 1);
});
