import type { FastifyInstance } from 'fastify';
import type { ActionResult, AuditEntry } from './api-types.js';

type Method = 'GET' | 'POST' | 'PUT';

/**
 * The enforcement and admin APIs, called in-process with the admin token: the console checks
 * the signed-in user's role, then acts through the same routes an operator's script would, so
 * it never depends on enforcement's internals and its actions land in the same audit log.
 */
export class EnforcementClient {
  constructor(
    private readonly app: FastifyInstance,
    private readonly adminToken: string | undefined,
  ) {}

  async call(method: Method, url: string, body?: unknown): Promise<ActionResult> {
    if (!this.adminToken) return { status: 503, body: { error: { message: 'The admin API is off: set MOAT_ADMIN_TOKEN.' } } };
    const response = await this.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${this.adminToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    let parsed: unknown = null;
    try {
      parsed = response.body === '' ? null : JSON.parse(response.body);
    } catch {
      parsed = response.body;
    }
    return { status: response.statusCode, body: parsed };
  }

  /** Actions taken on an account (or all, newest first); empty while enforcement is not installed. */
  async audit(account?: string, limit = 50): Promise<AuditEntry[]> {
    const query = new URLSearchParams({ limit: String(limit), ...(account && { account }) });
    const result = await this.call('GET', `/admin/audit?${query}`);
    if (result.status !== 200) return [];
    const body = result.body as { data?: unknown } | unknown[];
    const list = Array.isArray(body) ? body : Array.isArray(body.data) ? body.data : [];
    return list.filter((entry): entry is AuditEntry => typeof entry === 'object' && entry !== null);
  }

  async accountState(account: string): Promise<unknown> {
    const result = await this.call('GET', `/admin/enforcement/accounts/${encodeURIComponent(account)}`);
    return result.status === 200 ? result.body : null;
  }
}
