import { html } from 'lit-html';
import type { AuditEntry } from '../../../api-types.js';
import { api, ApiError } from '../api.js';
import type { PageView } from '../main.js';
import { auditTable } from '../widgets.js';

export async function auditPage(): Promise<PageView> {
  const [{ data }, verdict] = await Promise.all([
    api.get<{ data: AuditEntry[] }>('audit?limit=200'),
    api.get<unknown>('audit/verify').catch((error: unknown) => (error instanceof ApiError ? `unavailable (${error.message})` : 'unavailable')),
  ]);
  return {
    view: html`<h1>Audit log</h1>
      <p>Chain check: <code>${typeof verdict === 'string' ? verdict : JSON.stringify(verdict)}</code></p>
      ${auditTable(data)}`,
  };
}
