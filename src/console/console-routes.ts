import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolve } from 'node:path';
import type { ConsoleConfig } from '../config/schema.js';
import { openAiError } from '../errors/catalogue.js';
import { accountDetail, campaignDetail } from './case-files.js';
import { currentSession, registerConsoleAuth, requireRole } from './console-auth.js';
import { OidcSignIn, registerOidcRoutes } from './console-oidc.js';
import type { ConsoleUsers } from './console-users.js';
import { EnforcementClient } from './enforcement-client.js';
import type { Investigation } from './investigation.js';
import { caseReportHtml } from './report/case-report.js';
import { printPdf } from './report/report-pdf.js';
import { WEB_DIR } from './web-assets.js';

export interface ConsoleDeps {
  investigation: Investigation;
  config: ConsoleConfig;
  users: ConsoleUsers;
  adminToken: string | undefined;
}

type Params = { id: string };
const ACCOUNT_ACTIONS = new Set(['suspend', 'reinstate', 'allowlist']);

const notFound = (reply: FastifyReply, what: string) => reply.code(404).send(openAiError('not_found', `${what} not found`));
const reasonOf = (request: FastifyRequest): string => {
  const body = request.body as { reason?: unknown } | undefined;
  return typeof body?.reason === 'string' && body.reason.trim() !== '' ? body.reason.trim() : 'no reason given';
};
const actor = (request: FastifyRequest): string => `console:${request.consoleSession!.user}`;

/** The console's pages and its API; every API route checks the session's role on the server. */
export async function registerConsole(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const inv = deps.investigation;
  const enforcement = new EnforcementClient(app, deps.adminToken);
  const sessions = registerConsoleAuth(app, deps.config, deps.users);
  if (deps.config.oidc) registerOidcRoutes(app, deps.config, sessions, new OidcSignIn(deps.config.oidc));
  // What the sign-in page offers: the password form always, a provider's button when one is set up.
  app.get('/console/api/sign-in', async () => ({ oidc: deps.config.oidc ? { label: deps.config.oidc.label, url: '/console/api/oidc/login' } : null }));
  const viewer = { preHandler: requireRole(sessions, deps.users, 'viewer') };
  const analyst = { preHandler: requireRole(sessions, deps.users, 'analyst') };
  const admin = { preHandler: requireRole(sessions, deps.users, 'admin') };
  const relay = (reply: FastifyReply, result: { status: number; body: unknown }) => reply.code(result.status).send(result.body);

  await app.register(fastifyStatic, { root: resolve(WEB_DIR, 'app'), prefix: '/console/', index: 'index.html' });
  app.get('/console', (_request, reply) => reply.redirect('/console/'));

  // 200 with null when signed out: the page asks this first, and a 401 would log as a browser error.
  app.get('/console/api/me', async (request) => {
    const session = await currentSession(sessions, deps.users, request);
    return session ? { user: session.user, role: session.role } : null;
  });
  app.get('/console/api/overview', viewer, async () => inv.overview());
  app.get('/console/api/accounts', viewer, async () => ({ data: await inv.accountRows() }));
  app.get<{ Params: Params }>('/console/api/accounts/:id', viewer, async (request, reply) => {
    const detail = await accountDetail(inv, enforcement, request.params.id);
    return detail ?? notFound(reply, 'account');
  });
  app.get('/console/api/campaigns', viewer, async () => ({ data: await inv.campaignRows() }));
  app.get<{ Params: Params }>('/console/api/campaigns/:id', viewer, async (request, reply) => {
    const detail = await campaignDetail(inv, enforcement, request.params.id);
    return detail ?? notFound(reply, 'campaign');
  });
  app.get<{ Querystring: { account?: string; limit?: string } }>('/console/api/audit', viewer, async (request) => ({
    data: await enforcement.audit(request.query.account || undefined, Math.min(500, Number(request.query.limit) || 100)),
  }));
  app.get('/console/api/audit/verify', viewer, async (_request, reply) => relay(reply, await enforcement.call('GET', '/admin/audit/verify')));
  app.get('/console/api/policy', viewer, async (_request, reply) => relay(reply, await enforcement.call('GET', '/admin/enforcement/policy')));
  app.put('/console/api/policy', admin, async (request, reply) => {
    const policy = (request.body as { policy?: unknown } | undefined)?.policy;
    return relay(reply, await enforcement.call('PUT', '/admin/enforcement/policy', { policy, reason: reasonOf(request), actor: actor(request) }));
  });
  app.post<{ Params: Params }>('/console/api/keys/:id/revoke', admin, async (request, reply) =>
    relay(reply, await enforcement.call('POST', `/admin/keys/${encodeURIComponent(request.params.id)}/revoke`, {})),
  );

  app.post<{ Params: Params & { action: string } }>('/console/api/accounts/:id/:action', analyst, async (request, reply) => {
    if (!ACCOUNT_ACTIONS.has(request.params.action)) return notFound(reply, 'action');
    const url = `/admin/enforcement/accounts/${encodeURIComponent(request.params.id)}/${request.params.action}`;
    return relay(reply, await enforcement.call('POST', url, { reason: reasonOf(request), actor: actor(request) }));
  });
  app.post<{ Params: Params }>('/console/api/campaigns/:id/suspend', analyst, async (request, reply) => {
    const url = `/admin/enforcement/campaigns/${encodeURIComponent(request.params.id)}/suspend`;
    return relay(reply, await enforcement.call('POST', url, { reason: reasonOf(request), actor: actor(request) }));
  });

  // `?view=1` shows the HTML report in the browser instead of saving it.
  app.get<{ Params: { kind: string; file: string }; Querystring: { view?: string } }>('/console/api/reports/:kind/:file', viewer, async (request, reply) => {
    const match = /^(.+)\.(html|pdf)$/.exec(request.params.file);
    const kind = request.params.kind;
    if (!match || (kind !== 'account' && kind !== 'campaign')) return notFound(reply, 'report');
    const [, id, format] = match;
    const html = await caseReportHtml(inv, enforcement, { kind, id: id! }, request.consoleSession!.user);
    if (!html) return notFound(reply, kind);
    const name = `moat-${kind}-${id!.replace(/[^\w.-]/g, '_')}.${format}`;
    const view = format === 'html' && request.query.view === '1';
    reply.header('content-disposition', `${view ? 'inline' : 'attachment'}; filename="${name}"`);
    if (format === 'html') return reply.type('text/html; charset=utf-8').send(html);
    return reply.type('application/pdf').send(await printPdf(html));
  });
}
