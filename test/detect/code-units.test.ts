import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeUnit, writeUnits } from '../../src/detect/code-units.js';
import * as scratch from '../../src/detect/code-units.js';

const read = (from: number, to: number): number[] => Array.from(scratch.units.subarray(from, to));
const codes = (text: string): number[] => Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));

test('the units written are the string’s own code units, lone surrogates and all', () => {
  const text = 'aé\u{1F600}\ud800x\udc00İ\u212a';
  const end = writeUnits(text, 0);
  assert.equal(end, text.length);
  assert.deepEqual(read(0, end), codes(text));
});

test('writes append at an offset, and the scratch grows past its first size keeping what it held', () => {
  const long = 'Ω'.repeat(5000) + 'z';
  const at = writeUnit(10, writeUnits('ab', 0));
  const end = writeUnits(long, at);
  assert.equal(end, 3 + long.length);
  assert.deepEqual(read(0, 3), [97, 98, 10]);
  assert.deepEqual(read(3, end), codes(long));
});
