import { html, render } from 'lit-html';
import type { CampaignDetail, SharedEvidence } from '../../../api-types.js';
import { drawLinkGraph } from '../../shared/link-graph.js';
import { drawTimeline } from '../../shared/timeline-chart.js';
import { api } from '../api.js';
import { esc, num, when } from '../format.js';
import type { PageContext, PageView } from '../main.js';
import { evidenceSentence, plural } from '../../../wording.js';
import { actionPanel, auditTable, levelCell, PAGE_SIZE, paged, reportLinks } from '../widgets.js';

// The values most members share carry the case; the long tail of pairs is one click away.
const EVIDENCE_SHOWN = 15;

function evidenceTable(rows: readonly SharedEvidence[], caption: string) {
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Evidence</th><th scope="col">Members sharing it</th><th scope="col">Accounts anywhere with it</th><th scope="col">Link weight</th><th scope="col">Last seen together</th></tr></thead>
    <tbody>${rows.map((e) => html`<tr><td>${evidenceSentence(e)}</td><td>${num(e.accounts.length)}</td><td>${num(e.holders)}</td><td>${e.weight.toFixed(2)}</td><td>${when(e.lastSeen)}</td></tr>`)}</tbody>
  </table>`;
}

export async function campaignPage(ctx: PageContext): Promise<PageView> {
  const id = ctx.params[0]!;
  const c = await api.get<CampaignDetail>(`campaigns/${esc(id)}`);
  const e = c.extent;
  const members = [...c.nodes].sort((a, b) => b.score - a.score || a.account.localeCompare(b.account));
  const drawMembers = (page: number) => {
    const { rows, controls } = paged(members, page, drawMembers, 'member');
    render(
      html`<table>
          <caption>Members</caption>
          <thead><tr><th scope="col">Account</th><th scope="col">Level</th><th scope="col">Score</th><th scope="col">Requests</th><th scope="col">Status</th></tr></thead>
          <tbody>${rows.map((n) => html`<tr><td><a href="#/accounts/${esc(n.account)}">${n.account}</a></td><td>${levelCell(n.level)}</td><td>${n.score.toFixed(2)}</td><td>${num(n.requests)}</td><td><span class="badge ${n.status ?? 'active'}">${n.status ?? 'active'}</span></td></tr>`)}</tbody>
        </table>${members.length > PAGE_SIZE ? controls : ''}`,
      document.getElementById('campaign-members')!,
    );
  };
  return {
    view: html`<h1>${c.flagged ? 'Campaign' : 'Linked group'} ${c.row.id}</h1>
      ${c.flagged ? '' : html`<p>Linked by shared attributes, but its pooled behaviour is not extraction: an organisation, a class or a shared network. No member is acted on for the link.</p>`}
      <div class="cards">
        <div class="card">Accounts<b>${num(c.row.accounts)}</b></div>
        <div class="card">Flagged<b>${num(c.row.flagged)}</b></div>
        <div class="card">Requests<b>${num(e.requests)}</b></div>
        <div class="card">Completion tokens<b>${num(e.completionTokens)}</b></div>
        <div class="card">First seen<b>${when(e.firstTs)}</b></div>
        <div class="card">Last seen<b>${when(e.lastTs)}</b></div>
      </div>
      <p>Task areas targeted: ${c.areas.map((a) => `${a.area} ${Math.round(a.share * 100)}%`).join(', ') || '-'}</p>
      ${actionPanel('campaign', [{ label: c.flagged ? 'Suspend campaign' : 'Suspend every member', path: `campaigns/${esc(id)}/suspend` }], ctx.refresh, ctx.me.role === 'viewer')}
      ${reportLinks('campaign', id)}
      <h2>Timeline</h2>
      <div class="chart"><canvas id="campaign-chart" role="img" aria-label="Campaign requests and completion tokens over time"></canvas></div>
      <h2>Linked accounts</h2>
      <div class="graph" id="campaign-graph" role="img" aria-label="Graph of the campaign's linked accounts; the table below lists each link"></div>
      <p class="evidence-summary">${c.evidence.slice(0, 3).map(evidenceSentence).join('; ') || 'No link evidence recorded.'}${c.evidence.length > 3 ? `; ${plural(c.evidence.length - 3, 'more shared value')} below.` : '.'}</p>
      ${evidenceTable(c.evidence.slice(0, EVIDENCE_SHOWN), 'What the links rest on, by what is shared')}
      ${c.evidence.length > EVIDENCE_SHOWN
        ? html`<details><summary>${plural(c.evidence.length - EVIDENCE_SHOWN, 'more shared value')}, each held by fewer members</summary>
            ${evidenceTable(c.evidence.slice(EVIDENCE_SHOWN), 'More shared values')}</details>`
        : ''}
      <div id="campaign-members"></div>
      <h2>What the group does, pooled</h2>
      <ul>${c.behaviour.map((r) => html`<li><b>${r.signal}</b>: ${r.text}</li>`)}</ul>
      <h2>Permitted use</h2>
      <ul>${c.tiers.map((t) => html`<li>${t.tier}: ${t.accounts} accounts; models ${t.models.join(', ')}; terms: ${t.terms ?? 'none recorded'}</li>`)}</ul>
      <h2>Actions taken</h2>
      ${auditTable(c.actions)}`,
    mounted: () => {
      drawMembers(0);
      drawTimeline(document.getElementById('campaign-chart') as HTMLCanvasElement, c.series);
      drawLinkGraph(document.getElementById('campaign-graph')!, c.nodes, c.edges, (account) => (location.hash = `#/accounts/${esc(account)}`));
    },
  };
}
