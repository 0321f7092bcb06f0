import { html, render } from 'lit-html';
import type { AccountRow } from '../../../api-types.js';
import { api } from '../api.js';
import { esc, num, score, when } from '../format.js';
import type { PageView } from '../main.js';
import { levelCell, paged } from '../widgets.js';

type Column = 'account' | 'score' | 'level' | 'requests' | 'completionTokens' | 'tier' | 'ageDays';
const COLUMNS: [Column, string][] = [
  ['account', 'Account'], ['score', 'Score'], ['level', 'Level'], ['requests', 'Requests'], ['completionTokens', 'Completion tokens'], ['tier', 'Tier'], ['ageDays', 'Age (days)'],
];
const LEVEL_ORDER = { none: 0, watch: 1, suspect: 2, high: 3 };

/** Sorting, filtering and paging happen in the browser: the whole list is a few thousand rows at most. */
export async function accountsPage(): Promise<PageView> {
  const { data } = await api.get<{ data: AccountRow[] }>('accounts');
  let sortBy: Column = 'score';
  let descending = true;
  let page = 0;
  const tiers = [...new Set(data.map((r) => r.tier))].sort();

  const draw = () => {
    const text = (document.getElementById('filter-text') as HTMLInputElement).value.trim().toLowerCase();
    const level = (document.getElementById('filter-level') as HTMLSelectElement).value;
    const tier = (document.getElementById('filter-tier') as HTMLSelectElement).value;
    const rows = data
      .filter((r) => (!text || r.account.includes(text) || (r.campaign ?? '').includes(text)) && (!level || r.level === level) && (!tier || r.tier === tier))
      .sort((a, b) => {
        const av = sortBy === 'level' ? LEVEL_ORDER[a.level] : a[sortBy];
        const bv = sortBy === 'level' ? LEVEL_ORDER[b.level] : b[sortBy];
        const order = typeof av === 'number' && typeof bv === 'number' ? av - bv : String(av).localeCompare(String(bv));
        return descending ? -order : order;
      });
    const { rows: shown, controls } = paged(rows, page, (next) => ((page = next), draw()), 'account');
    const header = (column: Column, label: string) => html`<th scope="col" aria-sort=${sortBy === column ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" @click=${() => ((descending = sortBy === column ? !descending : true), (sortBy = column), redraw())}>${label}</button></th>`;
    render(
      html`${controls}<table>
        <caption>${num(rows.length)} of ${num(data.length)} accounts match</caption>
        <thead><tr>${COLUMNS.map(([c, l]) => header(c, l))}<th scope="col">Campaign</th><th scope="col">Last request</th></tr></thead>
        <tbody>${shown.map(
          (r) => html`<tr><td><a href="#/accounts/${esc(r.account)}">${r.account}</a></td><td>${score(r.score)}</td><td>${levelCell(r.level)}</td><td>${num(r.requests)}</td>
            <td>${num(r.completionTokens)}</td><td>${r.tier}</td><td>${r.ageDays}</td><td>${r.campaign ? html`<a href="#/campaigns/${esc(r.campaign)}">${r.campaign}</a>` : '-'}</td><td>${when(r.lastTs)}</td></tr>`,
        )}</tbody></table>${controls}`,
      document.getElementById('account-table')!,
    );
  };

  // A new filter starts at the first page: the reader's page may not exist any more.
  const redraw = () => ((page = 0), draw());

  return {
    view: html`<h1>Accounts</h1>
      <div class="actions" role="search">
        <div><label for="filter-text">Account or campaign</label><br /><input id="filter-text" @input=${redraw} /></div>
        <div><label for="filter-level">Level</label><br /><select id="filter-level" @change=${redraw}><option value="">any</option>${(['high', 'suspect', 'watch', 'none'] as const).map((l) => html`<option>${l}</option>`)}</select></div>
        <div><label for="filter-tier">Tier</label><br /><select id="filter-tier" @change=${redraw}><option value="">any</option>${tiers.map((t) => html`<option>${t}</option>`)}</select></div>
      </div>
      <div id="account-table"></div>`,
    mounted: draw,
  };
}
