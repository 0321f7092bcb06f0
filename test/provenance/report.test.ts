import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReportHtml } from '../../src/console/report/report-html.js';
import type { ReportSubject } from '../../src/console/report/report-model.js';

const subject = (actions: ReportSubject['actions']): ReportSubject => ({
  title: 'Campaign c07',
  kind: 'campaign',
  id: 'c07',
  extent: { requests: 10, promptTokens: 100, completionTokens: 200, accounts: 2, firstTs: null, lastTs: null },
  flaggedAccounts: 2,
  areas: [],
  evidence: [],
  linkReasons: [],
  tiers: [],
  modelsUsed: [],
  actions,
  figures: { series: { buckets: [] } as unknown as ReportSubject['figures']['series'], nodes: [], edges: [] },
});

const meta = { generatedAt: '2026-03-20T00:00:00Z', generatedBy: 'test' };

test('the case report shows a recorded provenance test, and has no such section without one', () => {
  const entry = {
    seq: 7, at: '2026-03-19T10:00:00.000Z', account: null, campaign: 'c07', action: 'provenance_test', actor: 'ana', reason: 'key d2026: p=1.00e-9', prevHash: '', hash: '',
    data: { provenance: { file: 'suspect.jsonl', keyId: 'd2026/campaign:c07', p: 1e-9, pBound: 3e-8, texts: 500, textsNeeded: 212, canaries: [{ campaign: 'c07', token: 'Bravoutei', texts: [3, 9] }] } },
  } as unknown as ReportSubject['actions'][number];
  const html = renderReportHtml(subject([entry]), meta, '');
  assert.match(html, /<h2>Provenance tests<\/h2>/);
  assert.match(html, /d2026\/campaign:c07/);
  assert.match(html, /1\.00e-9/);
  assert.match(html, /212 to reach 1e-6/);
  assert.match(html, /Bravoutei in 2 text\(s\)/);
  assert.doesNotMatch(renderReportHtml(subject([]), meta, ''), /Provenance tests/);
});
