import { html } from 'lit-html';
import type { CampaignRow } from '../../../api-types.js';
import { api } from '../api.js';
import type { PageView } from '../main.js';
import { campaignTable } from '../widgets.js';

export async function campaignsPage(): Promise<PageView> {
  const { data } = await api.get<{ data: CampaignRow[] }>('campaigns');
  return { view: html`<h1>Campaigns</h1>${campaignTable(data, 'Linked-account campaigns, flagged first')}` };
}
