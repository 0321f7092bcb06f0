import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { LimiterHealth } from '../limits/limit-gate.js';
import type { LimitService } from '../limits/limit-service.js';
import { LIMIT_NAMES, type LimitName } from '../limits/limits-schema.js';
import type { LimitScope } from '../store/store.js';
import { adminGuard } from './admin-routes.js';
import { idParams, orNotFound, parseInput } from './admin-input.js';
import { GatewayError } from '../errors/catalogue.js';

export interface LimitsRouteDeps {
  adminToken: string | undefined;
  limitService: LimitService | undefined;
  limitHealth: (() => LimiterHealth & { backend: string }) | undefined;
}

const limitValue = z.number().int().positive().nullable();
/** A number sets a limit, null lifts it; names left out keep their value. */
export const changeBody = z
  .object({
    model: z.string().default(''),
    clear: z.boolean().default(false),
    limits: z.object(Object.fromEntries(LIMIT_NAMES.map((name) => [name, limitValue.optional()])) as Record<LimitName, z.ZodOptional<typeof limitValue>>).strict(),
  })
  .strict();



/** Usage against limits, live changes to them, and the backend's health. */
export function registerLimitsRoutes(app: FastifyInstance, deps: LimitsRouteDeps): void {
  app.register(async (admin) => {
    admin.addHook('onRequest', adminGuard(deps.adminToken));
    admin.addHook('onRequest', async () => {
      if (!deps.limitService) throw new GatewayError('not_found', 'Limits are off in this gateway (no `limits` section in its config).');
    });
    const service = () => deps.limitService!;

    admin.get('/admin/limits/status', async () => deps.limitHealth!());

    admin.get('/admin/limits/accounts/:id', async (request) => {
      const { id } = parseInput(idParams, request.params);
      return orNotFound(service().show(id));
    });

    const change = (scope: LimitScope) => async (request: { params: unknown; body: unknown }) => {
      const { id } = parseInput(idParams, request.params);
      const body = parseInput(changeBody, request.body);
      return orNotFound(service().set(scope, id, body.model, body.limits, body.clear));
    };
    admin.patch('/admin/limits/accounts/:id', change('account'));
    admin.patch('/admin/limits/keys/:id', change('key'));
  });
}
