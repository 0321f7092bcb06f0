import { html, type TemplateResult } from 'lit-html';
import type { AccountRow, AccountStatus, AuditEntry, CampaignRow, Level } from '../../api-types.js';
import { api } from './api.js';
import { entryTime, plural } from '../../wording.js';
import { esc, num, score, when } from './format.js';

export const levelCell = (level: Level) => html`<span class="level-${level}">${level}</span>`;

/** Enforcement's current word on the account, with who set it and when. */
export function statusBadge(status: AccountStatus): TemplateResult {
  const detail = status.label === 'restricted' ? ` (${status.actions.join(', ')})` : '';
  const shadow = !status.enforced && status.actions.length > 0 ? html` <small>shadow mode: ${status.actions.join(', ')} recorded, not enforced</small>` : '';
  const by = status.by ? html` <small>by ${status.by}, ${when(status.at)}</small>` : '';
  return html`<span class="badge ${status.label}" id="account-badge">${status.label}${detail}</span>${shadow}${by}`;
}

/** "campaign" for a group whose pooled behaviour is extraction, "linked group" for one that only shares attributes. */
export const groupKind = (campaign: boolean): string => (campaign ? 'campaign' : 'linked group');

export function accountTable(rows: readonly AccountRow[], caption: string): TemplateResult {
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Account</th><th scope="col">Score</th><th scope="col">Level</th><th scope="col">Requests</th><th scope="col">Group</th><th scope="col">Flagged at</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr><td><a href="#/accounts/${esc(r.account)}">${r.account}</a></td><td>${score(r.score)}</td><td>${levelCell(r.level)}</td>
        <td>${num(r.requests)}</td><td>${r.campaign ? html`<a href="#/campaigns/${esc(r.campaign)}">${r.campaign}</a> <small>${groupKind(r.campaignFlagged)}</small>` : '-'}</td><td>${when(r.firstFlaggedAt)}</td></tr>`,
    )}</tbody>
  </table>`;
}

export function campaignTable(rows: readonly CampaignRow[], caption: string): TemplateResult {
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Group</th><th scope="col">Kind</th><th scope="col">Accounts</th><th scope="col">Flagged</th><th scope="col">Score</th><th scope="col">Requests</th><th scope="col">Completion tokens</th><th scope="col">Linked by</th><th scope="col">Last seen</th></tr></thead>
    <tbody>${rows.map(
      (c) => html`<tr><td><a href="#/campaigns/${esc(c.id)}">${c.id}</a></td><td>${groupKind(c.campaign)}</td><td>${num(c.accounts)}</td><td>${num(c.flagged)}</td><td>${score(c.score)}</td>
        <td>${num(c.requests)}</td><td>${num(c.completionTokens)}</td><td>${c.links.join(', ')}</td><td>${when(c.lastTs)}</td></tr>`,
    )}</tbody>
  </table>`;
}

export function auditTable(entries: readonly AuditEntry[]): TemplateResult {
  if (entries.length === 0) return html`<p>No actions recorded.</p>`;
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return html`<table>
    <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">By</th><th scope="col">Reason</th></tr></thead>
    <tbody>${entries.map((e) => html`<tr><td>${entryTime(e)}</td><td>${cell(e.action)}</td><td>${cell(e.account ?? e.campaign)}</td><td>${cell(e.actor)}</td><td>${cell(e.reason)}</td></tr>`)}</tbody>
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
  html`<p>Case report: <a href="/console/api/reports/${kind}/${esc(id)}.html?view=1" target="_blank" rel="noopener">View</a> · <a href="/console/api/reports/${kind}/${esc(id)}.pdf" download>PDF</a> · <a href="/console/api/reports/${kind}/${esc(id)}.html" download>HTML</a></p>`;

export const PAGE_SIZE = 500;

/** The rows of one page, and Previous/Next buttons that say where the reader is. */
export function paged<T>(rows: readonly T[], page: number, onPage: (page: number) => void, noun: string): { rows: readonly T[]; controls: TemplateResult } {
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const first = current * PAGE_SIZE;
  const shown = rows.slice(first, first + PAGE_SIZE);
  const range = rows.length === 0 ? `no ${noun}s` : `${num(first + 1)}-${num(first + shown.length)} of ${plural(rows.length, noun)}`;
  const controls = html`<div class="pager" role="navigation" aria-label="Pages of ${noun}s">
    <button type="button" ?disabled=${current === 0} @click=${() => onPage(current - 1)}>Previous page</button>
    <span>${range}${pages > 1 ? ` (page ${current + 1} of ${pages})` : ''}</span>
    <button type="button" ?disabled=${current >= pages - 1} @click=${() => onPage(current + 1)}>Next page</button>
  </div>`;
  return { rows: shown, controls };
}
