import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HELD_ALONE, NOT_HELD, RecentValues } from '../../src/detect/links.js';

test('recent values hold none until told, and value ids past 16 bits widen them', () => {
  const recent = new RecentValues();
  // Kind 4 is the IP, one an account shows request after request.
  const a = recent.slot(0, 4);
  const b = recent.slot(3000, 4);
  assert.equal(recent.heldAt(a), NOT_HELD);
  recent.remember(a, HELD_ALONE, 0);
  recent.remember(b, 65533, 7);
  assert.deepEqual([recent.heldAt(a), recent.heldAt(b), recent.seat[b]], [HELD_ALONE, 65533, 7]);
  recent.remember(b, 70_000, 2);
  assert.deepEqual([recent.heldAt(a), recent.heldAt(b)], [HELD_ALONE, 70_000]);
  assert.equal(recent.heldAt(recent.slot(9000, 4)), NOT_HELD);
  assert.equal(recent.slot(0, 0), -1);
});
