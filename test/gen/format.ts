/** Reads a generated set back and checks it against shared/TRAFFIC.md. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseRequestFields } from '../../src/traffic/request-fields.js';
import type { AccountRecord, LabelRecord, TrafficRequest } from '../../src/traffic/types.js';

function lines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}

export interface TrafficSet {
  requests: TrafficRequest[];
  accounts: AccountRecord[];
  labels: LabelRecord[];
}

export function readSet(dir: string): TrafficSet {
  return {
    requests: lines<TrafficRequest>(gunzipSync(readFileSync(join(dir, 'requests.jsonl.gz'))).toString('utf8')),
    accounts: lines<AccountRecord>(readFileSync(join(dir, 'accounts.jsonl'), 'utf8')),
    labels: lines<LabelRecord>(readFileSync(join(dir, 'labels.jsonl'), 'utf8')),
  };
}

export function assertWellFormed(s: TrafficSet): void {
  const { requests, accounts, labels } = s;
  for (let i = 1; i < requests.length; i++) assert.ok((requests[i - 1]?.ts ?? '') <= (requests[i]?.ts ?? ''), `ts out of order at line ${i + 1}`);
  assert.equal(new Set(requests.map((r) => r.id)).size, requests.length);
  const known = new Set(accounts.map((x) => x.account));
  assert.equal(known.size, accounts.length);
  for (const r of requests) assert.ok(known.has(r.account), `request ${r.id} from unknown account ${r.account}`);
  const created = new Map(accounts.map((x) => [x.account, x.created_at] as const));
  for (const r of requests) assert.ok((created.get(r.account) ?? '') <= r.ts, `request ${r.id} before its account was created`);
  for (const r of requests) {
    assert.ok(r.endpoint.startsWith('/v1/'), `request ${r.id}: endpoint ${r.endpoint}`);
    assert.ok(r.usage.prompt_tokens >= 0 && r.usage.completion_tokens >= 0, `request ${r.id}: usage`);
    if (r.endpoint === '/v1/chat/completions') assert.ok(Array.isArray(r.request.messages) && r.request.messages.length > 0, `request ${r.id}: no messages`);
    // The request shape Moat itself reads: a problem here is a body no real client would send.
    const parsed = parseRequestFields(r.request);
    assert.equal(parsed.problem, undefined, `request ${r.id}: ${parsed.problem?.param} ${parsed.problem?.message}`);
    assert.ok(parsed.fields.turns.length > 0 || parsed.fields.promptChars > 0, `request ${r.id}: no prompt text`);
  }
  assert.deepEqual(labels.map((l) => l.account).sort(), [...known].sort());
  for (const l of labels) {
    assert.ok(l.label === 'extraction' || l.label === 'benign');
    assert.equal(l.campaign === null, l.label === 'benign');
    assert.ok(l.playbook.length > 0);
  }
  assert.ok(labels.some((l) => l.label === 'extraction'));
}

export function assertSameBytes(a: string, b: string): void {
  for (const f of ['requests.jsonl.gz', 'accounts.jsonl', 'labels.jsonl', 'README.md']) {
    assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between runs with the same seed`);
  }
}
