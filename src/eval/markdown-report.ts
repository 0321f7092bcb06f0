import type { Evaluation } from './evaluate.js';

const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;
const num = (x: number | null, digits = 2): string => (x === null || Number.isNaN(x) ? '-' : x.toFixed(digits));

/** The evaluation as markdown tables: headline, per campaign, per persona/playbook. */
export function markdownReport(title: string, e: Evaluation): string {
  const a = e.accounts;
  const lines = [
    `## ${title}`,
    '',
    '| metric | value |',
    '|---|---:|',
    `| accounts (extraction) | ${a.accounts} (${a.extraction}) |`,
    `| flagged (TP / FP) | ${a.flagged} (${a.truePositives} / ${a.falsePositives}) |`,
    `| precision | ${num(a.precision, 3)} |`,
    `| recall | ${num(a.recall, 3)} |`,
    `| F1 | ${num(a.f1, 3)} |`,
    `| FPR on benign | ${pct(a.fpr, 2)} |`,
    `| FP on heavy benign (saas, batch, bench, cohort) | ${e.heavyBenignFalsePositives} |`,
    `| AUROC | ${num(a.auroc, 3)} |`,
    `| campaigns detected | ${e.campaignsDetected} / ${e.campaigns.length} |`,
    `| median time to detect | ${num(e.medianHoursToDetect)} h, ${num(e.medianRequestsToDetect, 0)} requests |`,
    `| exposure mean / max | ${pct(e.meanExposure)} / ${pct(e.maxExposure)} |`,
    '',
    '| campaign | playbook | accounts | flagged | detected | hours to detect | requests to detect | exposure |',
    '|---|---|---:|---:|---|---:|---:|---:|',
    ...e.campaigns.map(
      (c) => `| ${c.campaign} | ${c.playbook} | ${c.accounts} | ${c.flagged} | ${c.detected ? 'yes' : 'no'} | ${num(c.hoursToDetect)} | ${c.requestsToDetect ?? '-'} | ${pct(c.exposure)} |`,
    ),
    '',
    '| persona / playbook | label | accounts | flagged | share |',
    '|---|---|---:|---:|---:|',
    ...e.playbooks.map((p) => `| ${p.playbook} | ${p.label} | ${p.accounts} | ${p.flagged} | ${pct(p.flagged / p.accounts)} |`),
    '',
  ];
  return lines.join('\n');
}
