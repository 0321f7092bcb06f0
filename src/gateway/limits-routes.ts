import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../auth/key-service.js';
import type { LimiterHealth } from '../limits/limit-gate.js';
import type { LimitService } from '../limits/limit-service.js';
import { LIMIT_NAMES, type LimitName } from '../limits/limits-schema.js';
import type { LimitScope } from '../store/store.js';
import { adminGuard } from './admin-routes.js';
import { GatewayError } from './errors.js';

export interface LimitsRouteDeps {
  adminToken: string | undefined;
  limitService: LimitService | undefined;
  limitHealth: (() => LimiterHealth & { backend: string }) | undefined;
}

const limitValue = z.number().int().positive().nullable();
/** A number sets a limit, null lifts it; names left out keep their value. */
const changeBody = z
  .object({
    model: z.string().default(''),
    clear: z.boolean().default(false),
    limits: z.object(Object.fromEntries(LIMIT_NAMES.map((name) => [name, limitValue.optional()])) as Record<LimitName, z.ZodOptional<typeof limitValue>>).strict(),
  })
  .strict();
const idParams = z.object({ id: z.string().min(1) });

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new GatewayError('invalid_request', `${issue.path.join('.') || 'body'}: ${issue.message}`, issue.path.join('.') || null);
}

async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundError) throw new GatewayError('not_found', error.message, error.what);
    throw error;
  }
}

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
      const { id } = parse(idParams, request.params);
      return orNotFound(service().show(id));
    });

    const change = (scope: LimitScope) => async (request: { params: unknown; body: unknown }) => {
      const { id } = parse(idParams, request.params);
      const body = parse(changeBody, request.body);
      return orNotFound(service().set(scope, id, body.model, body.limits, body.clear));
    };
    admin.patch('/admin/limits/accounts/:id', change('account'));
    admin.patch('/admin/limits/keys/:id', change('key'));
  });
}
