import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountMetrics, auroc } from '../../src/eval/account-metrics.js';
import { campaignResults } from '../../src/eval/campaign-metrics.js';
import type { LabelRecord, Verdict } from '../../src/traffic/types.js';
import { T0, chat, request } from './fixtures.js';

const verdict = (account: string, flagged: boolean, score: number, at: number | null = null): Verdict => ({
  account,
  flagged,
  score,
  first_flagged_at: at === null ? null : new Date(at).toISOString(),
  campaign: null,
  reasons: [],
});

test('AUROC counts ties as half and is 1 for a perfect ranking', () => {
  assert.equal(auroc([{ score: 0.9, positive: true }, { score: 0.1, positive: false }]), 1);
  assert.equal(auroc([{ score: 0.5, positive: true }, { score: 0.5, positive: false }]), 0.5);
});

test('account metrics and campaign exposure follow TRAFFIC.md', async () => {
  const labels: LabelRecord[] = [
    { account: 'x1', label: 'extraction', campaign: 'c1', playbook: 'P1' },
    { account: 'x2', label: 'extraction', campaign: 'c1', playbook: 'P1' },
    { account: 'b1', label: 'benign', campaign: null, playbook: 'benign:casual' },
  ];
  const verdicts = new Map([
    ['x1', verdict('x1', true, 0.9, T0 + 2000)],
    ['x2', verdict('x2', false, 0.3)],
    ['b1', verdict('b1', false, 0.1)],
  ]);
  const m = accountMetrics(verdicts, labels);
  assert.equal(m.precision, 1);
  assert.equal(m.recall, 0.5);
  const reqs = [request('x1', T0, chat('a')), request('x1', T0 + 1000, chat('b')), request('x1', T0 + 2000, chat('c')), request('x2', T0 + 3000, chat('d'))];
  async function* stream() {
    yield* reqs;
  }
  const [c] = await campaignResults(verdicts, labels, stream());
  assert.equal(c!.detected, true);
  assert.equal(c!.requestsToDetect, 2);
  // x1 served 2 of its 3 responses before its flag, x2 all of its one: 3 of 4 equal-sized.
  assert.equal(c!.exposure, 0.75);
});
