import { html } from 'lit-html';
import type { CampaignRow } from '../../../api-types.js';
import { api } from '../api.js';
import type { PageView } from '../main.js';
import { campaignTable } from '../widgets.js';
import { plural } from '../../../wording.js';

export async function campaignsPage(): Promise<PageView> {
  const { data } = await api.get<{ data: CampaignRow[] }>('campaigns');
  const campaigns = data.filter((c) => c.campaign).length;
  return {
    view: html`<h1>Campaigns</h1>
      <p>${plural(campaigns, 'campaign')} (linked accounts whose pooled behaviour is extraction) and ${plural(data.length - campaigns, 'linked group')} (linked by shared attributes only: an organisation, a class, a shared network).</p>
      ${campaignTable(data, 'Campaigns first, then linked groups')}`,
  };
}
