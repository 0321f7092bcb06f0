import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../bench/gen/generate.js';
import { PROMPTS } from './fixture.js';
import { assertSameBytes, assertWellFormed, readSet } from './format.js';

test('gen-traffic writes a well-formed, deterministic tiny set', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-gen-'));
  try {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const opts = { preset: 'new-styles' as const, seed: 7, scale: 0.02, promptsDir: PROMPTS, days: 5 };
    const ra = await generate({ ...opts, out: a });
    await generate({ ...opts, out: b });
    assert.ok(ra.requests > 100, `only ${ra.requests} requests`);
    assertWellFormed(readSet(a));
    assertSameBytes(a, b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
