import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readJsonLineBatches, readJsonLines } from '../../src/traffic/jsonl.js';
import { openTrafficSet, readRequestBatches } from '../../src/traffic/traffic-set.js';

/** Records long enough, with multi-byte text, that lines and characters straddle the read and gunzip chunks. */
function records(): { i: number; text: string }[] {
  return Array.from({ length: 3000 }, (_, i) => ({ i, text: `${'héllo wörld ✓ 日本語 '.repeat(1 + (i % 97))}${i}` }));
}

async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}

test('JSON lines read back whole across chunk boundaries, gzipped or not, with blank and CRLF lines', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-jsonl-'));
  try {
    const expected = records();
    const body = expected.map((r, i) => JSON.stringify(r) + (i % 5 === 0 ? '\r\n' : i % 7 === 0 ? '\n  \n' : '\n')).join('');
    writeFileSync(join(dir, 'a.jsonl'), body.slice(0, -1)); // no newline after the last line
    writeFileSync(join(dir, 'a.jsonl.gz'), gzipSync(body));
    for (const name of ['a.jsonl', 'a.jsonl.gz']) {
      assert.deepEqual(await collect(readJsonLines(join(dir, name))), expected, name);
      const batches = await collect(readJsonLineBatches(join(dir, name)));
      assert.ok(batches.length > 1, `${name} comes in several batches`);
      assert.deepEqual(batches.flat(), expected, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a line that is not JSON is reported with its line number', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-jsonl-'));
  try {
    writeFileSync(join(dir, 'bad.jsonl'), '{"a":1}\n\n{"a":\n');
    await assert.rejects(collect(readJsonLines(join(dir, 'bad.jsonl'))), /bad\.jsonl:3: not a JSON line/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('detection reads requests without their response text, and whole when the response has another layout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-jsonl-'));
  try {
    const texts = ['plain', 'a "quoted" word\\', 'ends in a backslash \\\\', '","finish_reason":"stop"},"usage":', '', 'ünïcödé ✓'];
    const rows = texts.map((text, i) => ({
      id: `r${i}`,
      request: { model: 'm', messages: [{ role: 'user', content: `q ${text}`, response: { text: 'inside the body' } }] },
      response: { text, finish_reason: i % 2 === 0 ? 'stop' : null },
      usage: { prompt_tokens: 1, completion_tokens: 2 },
      status: 200,
    }));
    const odd = { id: 'r-err', request: { model: 'm' }, response: { text: '', finish_reason: null, error: 'server_error' }, usage: { prompt_tokens: 0, completion_tokens: 0 }, status: 503 };
    writeFileSync(join(dir, 'requests.jsonl'), [...rows, odd].map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(dir, 'accounts.jsonl'), '');
    const read = (await collect(readRequestBatches(openTrafficSet(dir)))).flat();
    assert.deepEqual(
      read,
      [...rows.map(({ response: _, ...rest }) => rest), odd],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
