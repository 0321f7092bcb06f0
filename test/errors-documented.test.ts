import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CATALOGUE } from '../src/errors/catalogue.js';

test('every error code in the catalogue is documented with its status and type', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  for (const [code, { status, type }] of Object.entries(ERROR_CATALOGUE)) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    assert.ok(row, `docs/errors.md has no row for ${code}`);
    const cells = row.split('|').map((cell) => cell.trim());
    assert.equal(cells[2], String(status), `${code}: documented status`);
    assert.ok(cells[3]!.includes(type), `${code}: documented type ${type}`);
  }
});
