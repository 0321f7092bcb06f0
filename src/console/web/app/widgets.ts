import { html, type TemplateResult } from 'lit-html';
import type { AccountRow, AuditEntry, CampaignRow, Level } from '../../api-types.js';
import { api } from './api.js';
import { esc, num, score, when } from './format.js';

export const levelCell = (level: Level) => html`<span class="level-${level}">${level}</span>`;

export function accountTable(rows: readonly AccountRow[], caption: string): TemplateResult {
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Account</th><th scope="col">Score</th><th scope="col">Level</th><th scope="col">Requests</th><th scope="col">Campaign</th><th scope="col">Flagged at</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr><td><a href="#/accounts/${esc(r.account)}">${r.account}</a></td><td>${score(r.score)}</td><td>${levelCell(r.level)}</td>
        <td>${num(r.requests)}</td><td>${r.campaign ? html`<a href="#/campaigns/${esc(r.campaign)}">${r.campaign}</a>` : '-'}</td><td>${when(r.firstFlaggedAt)}</td></tr>`,
    )}</tbody>
  </table>`;
}

export function campaignTable(rows: readonly CampaignRow[], caption: string): TemplateResult {
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Campaign</th><th scope="col">Accounts</th><th scope="col">Flagged</th><th scope="col">Score</th><th scope="col">Requests</th><th scope="col">Completion tokens</th><th scope="col">Linked by</th><th scope="col">Last seen</th></tr></thead>
    <tbody>${rows.map(
      (c) => html`<tr><td><a href="#/campaigns/${esc(c.id)}">${c.id}</a></td><td>${num(c.accounts)}</td><td>${num(c.flagged)}</td><td>${score(c.score)}</td>
        <td>${num(c.requests)}</td><td>${num(c.completionTokens)}</td><td>${c.links.join(', ')}</td><td>${when(c.lastTs)}</td></tr>`,
    )}</tbody>
  </table>`;
}

export function auditTable(entries: readonly AuditEntry[]): TemplateResult {
  if (entries.length === 0) return html`<p>No actions recorded.</p>`;
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return html`<table>
    <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">By</th><th scope="col">Reason</th></tr></thead>
    <tbody>${entries.map((e) => html`<tr><td>${cell(e.at ?? e.ts)}</td><td>${cell(e.action)}</td><td>${cell(e.account ?? e.campaign)}</td><td>${cell(e.actor)}</td><td>${cell(e.reason)}</td></tr>`)}</tbody>
  </table>`;
}

/** A reason box and one button per action; the server decides whether this user may act. */
export function actionPanel(idPrefix: string, actions: { label: string; path: string }[], done: () => void, disabled: boolean): TemplateResult {
  const act = async (path: string) => {
    const reason = (document.getElementById(`${idPrefix}-reason`) as HTMLInputElement).value;
    const status = document.getElementById(`${idPrefix}-status`)!;
    try {
      await api.post(path, { reason });
      status.textContent = 'Done.';
      done();
    } catch (error) {
      status.textContent = `Refused: ${(error as Error).message}`;
    }
  };
  return html`<div class="actions" role="group" aria-label="Actions">
    <div><label for="${idPrefix}-reason">Reason</label><br /><input id="${idPrefix}-reason" size="40" /></div>
    ${actions.map((a) => html`<button type="button" ?disabled=${disabled} @click=${() => act(a.path)}>${a.label}</button>`)}
    <span id="${idPrefix}-status" role="status" aria-live="polite"></span>
  </div>`;
}

export const reportLinks = (kind: 'account' | 'campaign', id: string) =>
  html`<p>Case report: <a href="/console/api/reports/${kind}/${esc(id)}.pdf" download>PDF</a> · <a href="/console/api/reports/${kind}/${esc(id)}.html" download>HTML</a></p>`;
