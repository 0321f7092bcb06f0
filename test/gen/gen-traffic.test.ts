import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generate } from '../../bench/gen/generate.js';

const prompts = resolve(import.meta.dirname, '../../../shared/data/prompts');

function lines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}

test('gen-traffic writes a well-formed, deterministic tiny set', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-gen-'));
  try {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const opts = { preset: 'new-styles' as const, seed: 7, scale: 0.02, promptsDir: prompts, days: 5 };
    const ra = await generate({ ...opts, out: a });
    await generate({ ...opts, out: b });
    assert.ok(ra.requests > 100, `only ${ra.requests} requests`);

    const reqBytes = readFileSync(join(a, 'requests.jsonl.gz'));
    const requests = lines<{ id: string; ts: string; account: string; usage: { prompt_tokens: number } }>(gunzipSync(reqBytes).toString('utf8'));
    const accounts = lines<{ account: string; created_at: string }>(readFileSync(join(a, 'accounts.jsonl'), 'utf8'));
    const labels = lines<{ account: string; label: string; campaign: string | null; playbook: string }>(readFileSync(join(a, 'labels.jsonl'), 'utf8'));

    for (let i = 1; i < requests.length; i++) assert.ok((requests[i - 1]?.ts ?? '') <= (requests[i]?.ts ?? ''), `ts out of order at line ${i + 1}`);
    assert.equal(new Set(requests.map((r) => r.id)).size, requests.length);
    const known = new Set(accounts.map((x) => x.account));
    assert.equal(known.size, accounts.length);
    for (const r of requests) assert.ok(known.has(r.account), `request ${r.id} from unknown account ${r.account}`);
    const created = new Map(accounts.map((x) => [x.account, x.created_at] as const));
    for (const r of requests) assert.ok((created.get(r.account) ?? '') <= r.ts, `request ${r.id} before its account was created`);
    assert.deepEqual(labels.map((l) => l.account).sort(), [...known].sort());
    for (const l of labels) {
      assert.ok(l.label === 'extraction' || l.label === 'benign');
      assert.equal(l.campaign === null, l.label === 'benign');
      assert.ok(l.playbook.length > 0);
    }
    assert.ok(labels.some((l) => l.label === 'extraction'));

    for (const f of ['requests.jsonl.gz', 'accounts.jsonl', 'labels.jsonl', 'README.md']) {
      assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between runs with the same seed`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
