import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { verifyAudit } from '../enforce/audit/audit-chain.js';
import type { Enforcement } from '../enforce/create-enforcement.js';
import { policySchema } from '../enforce/policy-schema.js';
import type { AuditRepository } from '../store/store.js';
import { adminGuard } from './admin-routes.js';
import { idParams, orNotFound, parseInput } from './admin-input.js';
import { GatewayError } from '../errors/catalogue.js';

export interface EnforcementRouteDeps {
  adminToken: string | undefined;
  enforcement: Enforcement | undefined;
  audit: AuditRepository;
}

export const actorBody = z.object({ reason: z.string().min(1).max(2000), actor: z.string().min(1).max(200) }).strict();
export const policyBody = z.object({ policy: z.record(z.string(), z.unknown()), reason: z.string().min(1).max(2000), actor: z.string().min(1).max(200) }).strict();
export const auditQuery = z.object({ account: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });



/** Manual actions, the live policy and the audit log; the console calls exactly these. */
export function registerEnforcementRoutes(app: FastifyInstance, deps: EnforcementRouteDeps): void {
  app.register(async (admin) => {
    admin.addHook('onRequest', adminGuard(deps.adminToken));

    admin.get('/admin/audit', async (request) => {
      const query = parseInput(auditQuery, request.query);
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
      const { id } = parseInput(idParams, request.params);
      return orNotFound(enforcement().service.state(id));
    });

    for (const action of ['suspend', 'reinstate', 'allowlist'] as const) {
      admin.post(`/admin/enforcement/accounts/:id/${action}`, async (request) => {
        const { id } = parseInput(idParams, request.params);
        const by = parseInput(actorBody, request.body);
        return orNotFound(enforcement().service[action](id, by));
      });
    }

    admin.post('/admin/enforcement/campaigns/:id/suspend', async (request) => {
      const { id } = parseInput(idParams, request.params);
      const by = parseInput(actorBody, request.body);
      const members = enforcement().enforcer.campaignMembers(id);
      if (!members) throw new GatewayError('not_found', `no campaign "${id}" is known to detection`, 'id');
      return { campaign: id, object: 'list', data: await enforcement().service.suspendCampaign(id, members, by) };
    });

    admin.get('/admin/enforcement/policy', async () => enforcement().enforcer.currentPolicy());

    admin.put('/admin/enforcement/policy', async (request) => {
      const body = parseInput(policyBody, request.body);
      const policy = parseInput(policySchema, body.policy);
      await enforcement().enforcer.replacePolicy(policy, body.actor, body.reason);
      return policy;
    });
  });
}
