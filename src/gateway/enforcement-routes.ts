import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../auth/key-service.js';
import { verifyAudit } from '../enforce/audit/audit-chain.js';
import type { Enforcement } from '../enforce/create-enforcement.js';
import { policySchema } from '../enforce/policy-schema.js';
import type { AuditRepository } from '../store/store.js';
import { adminGuard } from './admin-routes.js';
import { GatewayError } from './errors.js';

export interface EnforcementRouteDeps {
  adminToken: string | undefined;
  enforcement: Enforcement | undefined;
  audit: AuditRepository;
}

const idParams = z.object({ id: z.string().min(1) });
const actorBody = z.object({ reason: z.string().min(1).max(2000), actor: z.string().min(1).max(200) }).strict();
const policyBody = z.object({ policy: z.record(z.string(), z.unknown()), reason: z.string().min(1).max(2000), actor: z.string().min(1).max(200) }).strict();
const auditQuery = z.object({ account: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  throw new GatewayError('invalid_request', `${path || 'body'}: ${issue.message}`, path || null);
}

async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundError) throw new GatewayError('not_found', error.message, error.what);
    throw error;
  }
}

/** Manual actions, the live policy and the audit log; the console calls exactly these. */
export function registerEnforcementRoutes(app: FastifyInstance, deps: EnforcementRouteDeps): void {
  app.register(async (admin) => {
    admin.addHook('onRequest', adminGuard(deps.adminToken));

    admin.get('/admin/audit', async (request) => {
      const query = parse(auditQuery, request.query);
      return { object: 'list', data: await deps.audit.list({ account: query.account, limit: query.limit }) };
    });

    admin.get('/admin/audit/verify', async () => verifyAudit(deps.audit));
  });

  app.register(async (admin) => {
    admin.addHook('onRequest', adminGuard(deps.adminToken));
    admin.addHook('onRequest', async () => {
      if (!deps.enforcement) throw new GatewayError('not_found', 'Enforcement is off in this gateway (enforcement.enabled: false).');
    });
    const enforcement = () => deps.enforcement!;

    admin.get('/admin/enforcement/accounts/:id', async (request) => {
      const { id } = parse(idParams, request.params);
      return orNotFound(enforcement().service.state(id));
    });

    for (const action of ['suspend', 'reinstate', 'allowlist'] as const) {
      admin.post(`/admin/enforcement/accounts/:id/${action}`, async (request) => {
        const { id } = parse(idParams, request.params);
        const by = parse(actorBody, request.body);
        return orNotFound(enforcement().service[action](id, by));
      });
    }

    admin.post('/admin/enforcement/campaigns/:id/suspend', async (request) => {
      const { id } = parse(idParams, request.params);
      const by = parse(actorBody, request.body);
      const members = enforcement().enforcer.campaignMembers(id);
      if (!members) throw new GatewayError('not_found', `no campaign "${id}" is known to detection`, 'id');
      return { campaign: id, object: 'list', data: await enforcement().service.suspendCampaign(id, members, by) };
    });

    admin.get('/admin/enforcement/policy', async () => enforcement().enforcer.currentPolicy());

    admin.put('/admin/enforcement/policy', async (request) => {
      const body = parse(policyBody, request.body);
      const policy = parse(policySchema, body.policy);
      await enforcement().enforcer.replacePolicy(policy, body.actor, body.reason);
      return policy;
    });
  });
}
