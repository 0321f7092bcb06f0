import { html } from 'lit-html';
import type { CampaignDetail } from '../../../api-types.js';
import { drawLinkGraph } from '../../shared/link-graph.js';
import { drawTimeline } from '../../shared/timeline-chart.js';
import { api } from '../api.js';
import { esc, num, when } from '../format.js';
import type { PageContext, PageView } from '../main.js';
import { actionPanel, auditTable, reportLinks } from '../widgets.js';

export async function campaignPage(ctx: PageContext): Promise<PageView> {
  const id = ctx.params[0]!;
  const c = await api.get<CampaignDetail>(`campaigns/${esc(id)}`);
  const e = c.extent;
  return {
    view: html`<h1>Campaign ${c.row.id}</h1>
      <div class="cards">
        <div class="card">Accounts<b>${num(c.row.accounts)}</b></div>
        <div class="card">Flagged<b>${num(c.row.flagged)}</b></div>
        <div class="card">Requests<b>${num(e.requests)}</b></div>
        <div class="card">Completion tokens<b>${num(e.completionTokens)}</b></div>
        <div class="card">First seen<b>${when(e.firstTs)}</b></div>
        <div class="card">Last seen<b>${when(e.lastTs)}</b></div>
      </div>
      <p>Task areas targeted: ${c.areas.map((a) => `${a.area} ${Math.round(a.share * 100)}%`).join(', ') || '-'}</p>
      ${actionPanel('campaign', [{ label: 'Suspend campaign', path: `campaigns/${esc(id)}/suspend` }], ctx.refresh, ctx.me.role === 'viewer')}
      ${reportLinks('campaign', id)}
      <h2>Timeline</h2>
      <div class="chart"><canvas id="campaign-chart" role="img" aria-label="Campaign requests and completion tokens over time"></canvas></div>
      <h2>Linked accounts</h2>
      <div class="graph" id="campaign-graph" role="img" aria-label="Graph of the campaign's linked accounts; the table below lists each link"></div>
      <table>
        <caption>Why accounts are linked</caption>
        <thead><tr><th scope="col">Account</th><th scope="col">Linked to</th><th scope="col">Reasons</th></tr></thead>
        <tbody>${c.edges.slice(0, 200).map((l) => html`<tr><td><a href="#/accounts/${esc(l.source)}">${l.source}</a></td><td><a href="#/accounts/${esc(l.target)}">${l.target}</a></td><td>${l.reasons.join('; ')}</td></tr>`)}</tbody>
      </table>
      <h2>Permitted use</h2>
      <ul>${c.tiers.map((t) => html`<li>${t.tier}: ${t.accounts} accounts; models ${t.models.join(', ')}; terms: ${t.terms ?? 'none recorded'}</li>`)}</ul>
      <h2>Actions taken</h2>
      ${auditTable(c.actions)}`,
    mounted: () => {
      drawTimeline(document.getElementById('campaign-chart') as HTMLCanvasElement, c.series);
      drawLinkGraph(document.getElementById('campaign-graph')!, c.nodes, c.edges, (account) => (location.hash = `#/accounts/${esc(account)}`));
    },
  };
}
