import { html } from 'lit-html';
import type { AccountDetail, SamplePrompt } from '../../../api-types.js';
import { drawTimeline } from '../../shared/timeline-chart.js';
import { api } from '../api.js';
import { esc, num, score, when } from '../format.js';
import type { PageContext, PageView } from '../main.js';
import { actionPanel, auditTable, levelCell, reportLinks, statusBadge } from '../widgets.js';
import { plural } from '../../../wording.js';

/** The prompt with its shared wrapper (first line) marked, so the template stands out from the item. */
function sample(s: SamplePrompt) {
  const [first, ...rest] = s.text.split('\n');
  return html`<li><small>${when(s.ts)} ${s.id}</small>
    <pre>${s.sharedSkeleton ? html`<mark title="shared skeleton: ${s.sharedSkeleton}">${first}</mark>` : first}${rest.length ? `\n${rest.join('\n')}` : ''}</pre></li>`;
}

export async function accountPage(ctx: PageContext): Promise<PageView> {
  const id = ctx.params[0]!;
  const a = await api.get<AccountDetail>(`accounts/${esc(id)}`);
  const r = a.row;
  const p = (path: string) => `accounts/${esc(id)}/${path}`;
  // Only admins see the button; the API refuses anyone else all the same.
  const revoke = async (key: string) => {
    const status = document.getElementById('key-status')!;
    try {
      await api.post(`keys/${esc(key)}/revoke`, {});
      status.textContent = `Key ${key} revoked.`;
    } catch (error) {
      status.textContent = `Refused: ${(error as Error).message}`;
    }
  };
  return {
    view: html`<h1>Account ${r.account}</h1>
      <p>Status: ${statusBadge(a.status)}</p>
      <div class="cards">
        <div class="card">Score<b>${score(r.score)}</b></div>
        <div class="card">Level<b>${levelCell(r.level)}</b></div>
        <div class="card">Requests<b>${num(r.requests)}</b></div>
        <div class="card">Completion tokens<b>${num(r.completionTokens)}</b></div>
        <div class="card">Tier<b>${r.tier}</b></div>
        <div class="card">Created<b>${when(r.createdAt)}</b></div>
        <div class="card" title="At the data's latest request, not today">Age<b>${plural(r.ageDays, 'day')}</b></div>
      </div>
      <p>${r.campaign ? html`${r.campaignFlagged ? 'Campaign' : 'Linked group'} <a href="#/campaigns/${esc(r.campaign)}">${r.campaign}</a>` : 'In no linked group'}. First flagged: ${when(r.firstFlaggedAt)}.
        Country ${a.record.country ?? '-'}, email domain ${a.record.email_domain ?? '-'}, verified ${a.record.verified ? 'yes' : 'no'}. Terms: ${a.terms ?? 'none recorded'}.</p>
      ${actionPanel('account', [{ label: 'Suspend', path: p('suspend') }, { label: 'Reinstate', path: p('reinstate') }, { label: 'Allowlist', path: p('allowlist') }], ctx.refresh, ctx.me.role === 'viewer')}
      ${reportLinks('account', id)}
      <h2>Timeline</h2>
      <div class="chart"><canvas id="account-chart" role="img" aria-label="Account requests and completion tokens over time"></canvas></div>
      <h2>Signals</h2>
      <table><thead><tr><th scope="col">Signal</th><th scope="col">Value</th><th scope="col">Explanation</th></tr></thead>
        <tbody>${a.reasons.map((x) => html`<tr><td>${x.signal}</td><td>${Number.isInteger(x.value) ? x.value : x.value.toFixed(2)}</td><td>${x.text}</td></tr>`)}</tbody></table>
      <div class="grid">
        <div><h2>Keys</h2><ul>${a.keys.map(
          (k) => html`<li>${k.value}: ${num(k.requests)} requests, ${when(k.firstTs)} to ${when(k.lastTs)}
            ${ctx.me.role === 'admin' ? html`<button type="button" aria-label="Revoke key ${k.value}" @click=${() => revoke(k.value)}>Revoke</button>` : ''}</li>`,
        )}</ul><span id="key-status" role="status" aria-live="polite"></span></div>
        <div><h2>IP addresses</h2><ul>${a.ips.slice(0, 20).map((k) => html`<li>${k.value}: ${num(k.requests)} requests</li>`)}</ul></div>
      </div>
      <h2>Linked accounts</h2>
      <p>${a.linked.length === 0 ? 'none' : a.linked.slice(0, 100).map((l) => html`<a href="#/accounts/${esc(l)}">${l}</a> `)}</p>
      <h2>Sample prompts (shared skeletons highlighted)</h2>
      <ol>${a.samples.map(sample)}</ol>
      <h2>Actions taken</h2>
      ${auditTable(a.actions)}`,
    mounted: () => drawTimeline(document.getElementById('account-chart') as HTMLCanvasElement, a.series),
  };
}
