import { durationText, entryTime, humanTime, plural } from '../wording.js';
import type { ReportSubject } from './report-model.js';

const esc = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const num = (n: number): string => n.toLocaleString('en-US');
const pct = (share: number): string => `${Math.round(share * 100)}%`;

/** "3 days 4 hours": how long the subject was active, from its first to its last request. */
export function spanText(firstTs: string | null, lastTs: string | null): string {
  if (!firstTs || !lastTs) return 'no requests';
  return durationText(Date.parse(lastTs) - Date.parse(firstTs));
}

function extentTable(s: ReportSubject): string {
  const e = s.extent;
  const rows: [string, string][] = [
    ['Accounts', num(s.kind === 'campaign' ? s.figures.nodes.length : 1)],
    ['Accounts flagged', num(s.flaggedAccounts)],
    ['Accounts with requests', num(e.accounts)],
    ['Requests', num(e.requests)],
    ['Prompt tokens', num(e.promptTokens)],
    ['Completion tokens', num(e.completionTokens)],
    ['First seen', humanTime(e.firstTs)],
    ['Last seen', humanTime(e.lastTs)],
    ['Time span', spanText(e.firstTs, e.lastTs)],
    ['Task areas targeted', s.areas.map((a) => `${a.area} ${pct(a.share)}`).join(', ') || '-'],
  ];
  return `<table class="extent">${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function evidence(s: ReportSubject): string {
  const accounts = s.evidence
    .map((a) => `<h3>${esc(a.account)} (score ${a.score.toFixed(2)})</h3><ul>${a.reasons.map((r) => `<li><b>${esc(r.signal)}</b>: ${esc(r.text)}</li>`).join('') || '<li>no signal above its threshold</li>'}</ul>`)
    .join('');
  const links = s.linkReasons.length
    ? `<h3>Why the accounts are linked</h3><ul>${s.linkReasons.map((l) => `<li>${esc(l.reason)}</li>`).join('')}</ul>`
    : '';
  return accounts + links;
}

function terms(s: ReportSubject): string {
  const used = s.modelsUsed.join(', ') || '-';
  const rows = s.tiers
    .map((t) => `<tr><td>${esc(t.tier)}</td><td>${num(t.accounts)}</td><td>${esc(t.models.join(', ') || '-')}</td><td>${esc(t.terms ?? 'no terms recorded for this tier')}</td></tr>`)
    .join('');
  return `<table><thead><tr><th>Tier</th><th>Accounts</th><th>Models permitted</th><th>Terms</th></tr></thead><tbody>${rows}</tbody></table>
    <p>Models used: ${esc(used)}. ${plural(s.flaggedAccounts, 'account')} ${s.flaggedAccounts === 1 ? 'was' : 'were'} flagged for extraction-style use: harvesting outputs at scale to train
    another model, which the terms above ${s.tiers.some((t) => t.terms) ? 'are to be read against' : 'do not state explicitly'}.</p>`;
}

function actions(s: ReportSubject): string {
  if (s.actions.length === 0) return '<p>No enforcement actions recorded.</p>';
  const cell = (v: unknown) => esc(typeof v === 'string' || typeof v === 'number' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
  return `<table><thead><tr><th>When</th><th>Action</th><th>Account</th><th>By</th><th>Reason</th></tr></thead><tbody>${s.actions
    .map((a) => `<tr><td>${esc(entryTime(a))}</td><td>${cell(a.action)}</td><td>${cell(a.account ?? a.campaign)}</td><td>${cell(a.actor)}</td><td>${cell(a.reason)}</td></tr>`)
    .join('')}</tbody></table>`;
}

/** Results of `moat provenance test --record` for this case: the mark's p-value and any canary repeated. */
function provenance(s: ReportSubject): string {
  const tests = s.actions.filter((a) => a.action === 'provenance_test');
  if (tests.length === 0) return '';
  const rows = tests.map((a) => {
    const v = (a.data as { provenance?: { file?: string; keyId?: string; p?: number; pBound?: number; texts?: number; textsNeeded?: number | null; canaries?: { token: string; texts: number[] }[] } } | null)?.provenance ?? {};
    const canaries = (v.canaries ?? []).map((c) => `${c.token} in ${c.texts.length} text(s)`).join(', ') || 'none repeated';
    return `<tr><td>${esc(a.at)}</td><td>${esc(v.file ?? '')}</td><td>${esc(v.keyId ?? '')}</td><td>${esc(v.p?.toExponential(2) ?? '')} (bound ${esc(v.pBound?.toExponential(2) ?? '')})</td><td>${num(v.texts ?? 0)}; ${v.textsNeeded ? `${num(v.textsNeeded)} to reach 1e-6` : 'never reached 1e-6'}</td><td>${esc(canaries)}</td></tr>`;
  });
  return `<section><h2>Provenance tests</h2><p>Outputs of a suspect model tested for the keyed mark served to these accounts (p-value against a model never trained on marked text) and for their canaries. A mark is evidence, not proof: paraphrasing can remove it.</p>
<table><thead><tr><th>When</th><th>Outputs</th><th>Key</th><th>p-value</th><th>Texts</th><th>Canaries</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

const STYLE = `body{font:11pt/1.45 "DejaVu Sans",sans-serif;color:#111;margin:0 auto;max-width:960px;padding:16px}
h1{font-size:18pt;margin:0 0 4px}h2{font-size:13pt;border-bottom:1px solid #999;margin-top:22px}h3{font-size:11pt;margin:10px 0 2px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;font-size:9.5pt}
.extent th{width:34%;background:#f3f3f3}.meta{color:#555}#timeline-wrap{height:260px}#graph{height:420px;border:1px solid #ccc;display:flex;flex-direction:column}
.graph-canvas{flex:1;min-height:0}.graph-legend{display:flex;flex-wrap:wrap;gap:2px 12px;padding:4px 8px;border-top:1px solid #ccc;font-size:8.5pt}
.graph-legend i{display:inline-block;margin-right:4px;vertical-align:middle}.graph-legend i.dot{width:9px;height:9px;border-radius:50%}.graph-legend i.line{width:16px;height:3px}
section{break-inside:avoid}`;

/** A self-contained page: the figures travel as JSON beside the script that draws them. */
export function renderReportHtml(s: ReportSubject, meta: { generatedAt: string; generatedBy: string }, script: string): string {
  const data = JSON.stringify(s.figures).replace(/</g, '\\u003c');
  const e = s.extent;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Moat case report: ${esc(s.title)}</title><style>${STYLE}</style></head><body>
<h1>Moat case report: ${esc(s.title)}</h1>
<p class="meta">Generated ${esc(humanTime(meta.generatedAt))} by ${esc(meta.generatedBy)}. All counts are from the gateway's request ledger.</p>
<section><h2>Summary</h2><p>${esc(s.title)}: ${plural(s.kind === 'campaign' ? s.figures.nodes.length : 1, 'account')} sent ${plural(e.requests, 'request')} and received
${plural(e.completionTokens, 'completion token')} between ${esc(humanTime(e.firstTs))} and ${esc(humanTime(e.lastTs))} (${esc(spanText(e.firstTs, e.lastTs))}).</p></section>
<section><h2>Extent</h2>${extentTable(s)}</section>
<section><h2>Timeline</h2><div id="timeline-wrap"><canvas id="timeline" aria-label="Requests and completion tokens over time" role="img"></canvas></div></section>
<section><h2>Linkage graph</h2><div id="graph" role="img" aria-label="Graph of linked accounts"></div></section>
<section><h2>Evidence</h2>${evidence(s)}</section>
<section><h2>Actions taken</h2>${actions(s)}</section>
${provenance(s)}
<section><h2>Permitted use</h2>${terms(s)}</section>
<script type="application/json" id="report-data">${data}</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
</body></html>`;
}
