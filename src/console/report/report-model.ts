import { evidenceSentence, plural } from '../wording.js';
import type { AccountDetail, AuditEntry, CampaignDetail, CampaignNode, LinkEdge, Reason, Series, UsageTotals } from '../api-types.js';

/** What the report page's script draws: the same shapes for an account and a campaign. */
export interface ReportFigures {
  series: Series;
  nodes: CampaignNode[];
  edges: LinkEdge[];
}

export interface ReportSubject {
  title: string;
  kind: 'account' | 'campaign';
  id: string;
  extent: UsageTotals;
  flaggedAccounts: number;
  areas: CampaignDetail['areas'];
  evidence: { account: string; score: number; reasons: Reason[] }[];
  linkReasons: { reason: string }[];
  tiers: CampaignDetail['tiers'];
  modelsUsed: string[];
  actions: AuditEntry[];
  figures: ReportFigures;
}

/** The engine's link evidence, most shared first: "58 accounts share payment card pf_…". */
export function linkReasonCounts(evidence: CampaignDetail['evidence']): ReportSubject['linkReasons'] {
  return evidence.slice(0, 15).map((e) => ({ reason: evidenceSentence(e) }));
}

export function campaignSubject(detail: CampaignDetail, evidence: ReportSubject['evidence'], modelsUsed: string[]): ReportSubject {
  return {
    title: `${detail.flagged ? 'Campaign' : 'Linked group'} ${detail.row.id}`,
    kind: 'campaign',
    id: detail.row.id,
    extent: detail.extent,
    flaggedAccounts: detail.row.flagged,
    areas: detail.areas,
    evidence,
    linkReasons: linkReasonCounts(detail.evidence),
    tiers: detail.tiers,
    modelsUsed,
    actions: detail.actions,
    figures: { series: detail.series, nodes: detail.nodes, edges: detail.edges },
  };
}

export function accountSubject(detail: AccountDetail, extent: UsageTotals, areas: CampaignDetail['areas'], models: readonly string[], modelsUsed: string[]): ReportSubject {
  const { row } = detail;
  const self: CampaignNode = { account: row.account, level: row.level, score: row.score, requests: row.requests };
  const linked = detail.linked.map((account): CampaignNode => ({ account, level: 'none', score: 0, requests: 0 }));
  return {
    title: `Account ${row.account}`,
    kind: 'account',
    id: row.account,
    extent,
    flaggedAccounts: row.flagged ? 1 : 0,
    areas,
    evidence: [{ account: row.account, score: row.score, reasons: detail.reasons }],
    linkReasons: row.campaign ? [{ reason: `member of ${row.campaignFlagged ? 'campaign' : 'linked group'} ${row.campaign} with ${plural(detail.linked.length, 'other account')}` }] : [],
    tiers: [{ tier: row.tier, accounts: 1, models: [...models], terms: detail.terms }],
    modelsUsed,
    actions: detail.actions,
    figures: { series: detail.series, nodes: [self, ...linked], edges: linked.map((n) => ({ source: row.account, target: n.account, reasons: [`group ${row.campaign}`], kinds: [] })) },
  };
}
