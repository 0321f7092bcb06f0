import { html } from 'lit-html';
import { api } from '../api.js';
import type { PageContext, PageView } from '../main.js';

/** The enforcement policy as JSON; the server refuses the save to anyone but an admin. */
export async function policyPage(ctx: PageContext): Promise<PageView> {
  const policy = await api.get<unknown>('policy').catch((error: unknown) => ({ unavailable: (error as Error).message }));
  const save = async () => {
    const status = document.getElementById('policy-status')!;
    try {
      const text = (document.getElementById('policy-text') as HTMLTextAreaElement).value;
      const reason = (document.getElementById('policy-reason') as HTMLInputElement).value;
      await api.put('policy', { policy: JSON.parse(text), reason });
      status.textContent = 'Saved.';
    } catch (error) {
      status.textContent = `Refused: ${(error as Error).message}`;
    }
  };
  return {
    view: html`<h1>Enforcement policy</h1>
      <p>${ctx.me.role === 'admin' ? 'You may edit the policy.' : 'Only an admin may edit the policy.'}</p>
      <label for="policy-text">Policy (JSON)</label><br />
      <textarea id="policy-text" rows="18" cols="90" ?readonly=${ctx.me.role !== 'admin'}>${JSON.stringify(policy, null, 2)}</textarea><br />
      <label for="policy-reason">Reason for the change</label><br />
      <input id="policy-reason" size="60" /><br />
      <button type="button" @click=${save}>Save policy</button>
      <span id="policy-status" role="status" aria-live="polite"></span>`,
  };
}
