import { html } from 'lit-html';
import type { Overview } from '../../../api-types.js';
import { drawTimeline } from '../../shared/timeline-chart.js';
import { api } from '../api.js';
import { num } from '../format.js';
import type { PageView } from '../main.js';
import { accountTable, campaignTable } from '../widgets.js';

export async function overviewPage(): Promise<PageView> {
  const o = await api.get<Overview>('overview');
  return {
    view: html`<h1>Overview</h1>
      <div class="cards">
        <div class="card">Requests<b>${num(o.totals.requests)}</b></div>
        <div class="card">Completion tokens<b>${num(o.totals.completionTokens)}</b></div>
        <div class="card">Active accounts<b>${num(o.totals.accounts)}</b></div>
        ${(['high', 'suspect', 'watch', 'none'] as const).map((l) => html`<div class="card">Level ${l}<b>${num(o.levels[l])}</b></div>`)}
      </div>
      <h2>Requests and tokens over time</h2>
      <div class="chart"><canvas id="overview-chart" role="img" aria-label="Requests and completion tokens over time"></canvas></div>
      ${campaignTable(o.topCampaigns, 'Top campaigns, then linked groups')}
      <div class="grid">${accountTable(o.alerts, 'New alerts')} ${accountTable(o.topAccounts, 'Top accounts')}</div>`,
    mounted: () => drawTimeline(document.getElementById('overview-chart') as HTMLCanvasElement, o.series),
  };
}
