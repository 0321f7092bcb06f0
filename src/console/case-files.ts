import { sampleRecords } from '../ledger/ledger-rows.js';
import { promptText } from '../traffic/request-text.js';
import type { AccountDetail, CampaignDetail, SamplePrompt } from './api-types.js';
import { evidenceEdges, skeletonLine } from './campaign-links.js';
import type { EnforcementClient } from './enforcement-client.js';
import type { Investigation } from './investigation.js';
import { taskAreaShares } from './task-areas.js';

const SAMPLES = 12;
const AREA_SAMPLE = 600;

/** Sample prompts, each marked with the wrapper it shares with other samples of the account. */
function markShared(samples: { id: string; ts: string; text: string }[]): SamplePrompt[] {
  const counts = new Map<string, number>();
  const lines = samples.map((s) => skeletonLine(s.text));
  for (const line of lines) if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
  return samples.map((s, i) => ({ ...s, text: s.text.slice(0, 600), sharedSkeleton: (counts.get(lines[i] ?? '') ?? 0) >= 2 ? lines[i]! : null }));
}

export async function accountDetail(inv: Investigation, enforcement: EnforcementClient, id: string): Promise<AccountDetail | undefined> {
  const record = await inv.store.accounts.get(id);
  if (!record) return undefined;
  const engine = await inv.engine();
  const assessment = engine?.assessment(id);
  const filter = { accounts: [id] };
  const [totals, series, sampled, keys, ips, enforcementState, actions] = await Promise.all([
    inv.store.usage.totals(filter),
    inv.series(filter),
    sampleRecords(inv.store.usage, filter, SAMPLES),
    inv.store.usage.breakdown(id, 'key'),
    inv.store.usage.breakdown(id, 'ip'),
    enforcement.accountState(id),
    enforcement.audit(id),
  ]);
  const campaign = assessment?.campaign ? await inv.campaign(assessment.campaign) : undefined;
  const row = inv.row(record, totals.firstTs ? { account: id, requests: totals.requests, completionTokens: totals.completionTokens, firstTs: totals.firstTs, lastTs: totals.lastTs! } : undefined, assessment);
  return {
    row,
    record,
    terms: inv.tiers[record.tier]?.terms ?? null,
    reasons: assessment?.reasons ?? [],
    series,
    samples: markShared(sampled.map((r) => ({ id: r.id, ts: r.ts, text: promptText(r.request) }))),
    keys,
    ips,
    linked: (campaign?.members ?? []).filter((m) => m !== id),
    enforcement: enforcementState,
    actions,
  };
}

export async function campaignDetail(inv: Investigation, enforcement: EnforcementClient, id: string): Promise<CampaignDetail | undefined> {
  const summary = await inv.campaign(id);
  if (!summary) return undefined;
  const engine = await inv.engine();
  const filter = { accounts: summary.members };
  const [row, extent, series, sampled] = await Promise.all([
    inv.campaignRow(summary),
    inv.store.usage.totals(filter),
    inv.series(filter),
    sampleRecords(inv.store.usage, filter, AREA_SAMPLE),
  ]);
  const members = await Promise.all(
    summary.members.map(async (account) => {
      const [record, ips] = await Promise.all([inv.store.accounts.get(account), inv.store.usage.breakdown(account, 'ip')]);
      return { account, record, ips };
    }),
  );
  const tierCounts = new Map<string, number>();
  for (const m of members) if (m.record) tierCounts.set(m.record.tier, (tierCounts.get(m.record.tier) ?? 0) + 1);
  const requestsBy = new Map(members.map((m) => [m.account, m.ips.reduce((sum, s) => sum + s.requests, 0)]));
  // One read of the recent log, not one per member: a campaign may have hundreds of accounts.
  const memberSet = new Set(summary.members);
  const actions = (await enforcement.audit(undefined, 1000)).filter((e) => e.campaign === id || (typeof e.account === 'string' && memberSet.has(e.account)));
  return {
    row,
    extent,
    areas: taskAreaShares(sampled.map((r) => promptText(r.request))),
    series,
    nodes: summary.members.map((account) => {
      const a = engine?.assessment(account);
      return { account, level: a?.level ?? 'none', score: a?.score ?? 0, requests: requestsBy.get(account) ?? 0 };
    }),
    edges: evidenceEdges(summary.evidence),
    flagged: summary.flagged,
    evidence: summary.evidence,
    behaviour: summary.reasons,
    tiers: [...tierCounts].map(([tier, accounts]) => ({ tier, accounts, models: inv.tiers[tier]?.models ?? [], terms: inv.tiers[tier]?.terms ?? null })),
    actions,
  };
}
