import { sampleRecords } from '../../ledger/ledger-rows.js';
import { promptText } from '../../traffic/request-text.js';
import { accountDetail, campaignDetail } from '../case-files.js';
import type { EnforcementClient } from '../enforcement-client.js';
import type { Investigation } from '../investigation.js';
import { taskAreaShares } from '../task-areas.js';
import { reportScriptSource } from '../web-assets.js';
import { accountSubject, campaignSubject, type ReportSubject } from './report-model.js';
import { renderReportHtml } from './report-html.js';

export interface ReportTarget {
  kind: 'account' | 'campaign';
  id: string;
}

const EVIDENCE_ACCOUNTS = 10;

async function subjectFor(inv: Investigation, enforcement: EnforcementClient, target: ReportTarget): Promise<ReportSubject | undefined> {
  if (target.kind === 'campaign') {
    const detail = await campaignDetail(inv, enforcement, target.id);
    if (!detail) return undefined;
    const engine = await inv.engine();
    const evidence = [...detail.nodes]
      .sort((a, b) => b.score - a.score)
      .slice(0, EVIDENCE_ACCOUNTS)
      .map((n) => ({ account: n.account, score: n.score, reasons: engine?.assessment(n.account)?.reasons ?? [] }));
    const models = await inv.store.usage.byModel({ accounts: detail.nodes.map((n) => n.account) });
    return campaignSubject(detail, evidence, models.map((m) => `${m.value} (${m.requests})`));
  }
  const detail = await accountDetail(inv, enforcement, target.id);
  if (!detail) return undefined;
  const filter = { accounts: [target.id] };
  const [extent, sampled, models] = await Promise.all([inv.store.usage.totals(filter), sampleRecords(inv.store.usage, filter, 600), inv.store.usage.byModel(filter)]);
  const areas = taskAreaShares(sampled.map((r) => promptText(r.request)));
  return accountSubject(detail, extent, areas, inv.tiers[detail.record.tier]?.models ?? [], models.map((m) => `${m.value} (${m.requests})`));
}

/** The case report page, or undefined when no such account or campaign is known. */
export async function caseReportHtml(inv: Investigation, enforcement: EnforcementClient, target: ReportTarget, by: string): Promise<string | undefined> {
  const subject = await subjectFor(inv, enforcement, target);
  if (!subject) return undefined;
  return renderReportHtml(subject, { generatedAt: new Date().toISOString(), generatedBy: by }, reportScriptSource());
}
