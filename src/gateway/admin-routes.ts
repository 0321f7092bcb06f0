import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { accountInputSchema, toAccountRecord } from '../auth/account-input.js';
import type { KeyRegistry } from '../auth/key-registry.js';
import type { KeyService } from '../auth/key-service.js';
import { bearerToken } from './auth-hook.js';
import { idParams, orNotFound, parseInput } from './admin-input.js';
import { GatewayError } from '../errors/catalogue.js';

export interface AdminDeps {
  keys: KeyService;
  registry: KeyRegistry;
  adminToken: string | undefined;
  rotationGraceSeconds: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares digests so neither the length nor a prefix of the token leaks through timing. */
export function adminGuard(adminToken: string | undefined) {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return async (request: FastifyRequest): Promise<void> => {
    if (!expected) throw new GatewayError('admin_disabled', 'The admin API is off: set MOAT_ADMIN_TOKEN to enable it.');
    const token = bearerToken(request.headers.authorization);
    if (!token || !timingSafeEqual(digest(token), expected)) {
      throw new GatewayError('admin_unauthorized', 'A valid admin token is required.');
    }
  };
}


export const keyBody = z.object({ name: z.string().max(200).nullable().default(null) });
export const rotateBody = z.object({ grace_seconds: z.number().int().nonnegative().optional() });


/** Accounts and keys over HTTP; the same KeyService the CLI uses. */
export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.register(async (admin) => {
    admin.addHook('onRequest', adminGuard(deps.adminToken));

    admin.get('/admin/accounts', async () => ({ object: 'list', data: await deps.keys.listAccounts() }));

    admin.post('/admin/accounts', async (request, reply) => {
      const account = toAccountRecord(parseInput(accountInputSchema, request.body), Date.now());
      await deps.keys.upsertAccount(account);
      deps.registry.noteAccount(account);
      reply.code(201);
      return account;
    });

    admin.get('/admin/accounts/:id', async (request) => {
      const { id } = parseInput(idParams, request.params);
      const account = await orNotFound(deps.keys.getAccount(id));
      return { ...account, keys: await deps.keys.listKeys(id) };
    });

    admin.get('/admin/accounts/:id/keys', async (request) => {
      const { id } = parseInput(idParams, request.params);
      await orNotFound(deps.keys.getAccount(id));
      return { object: 'list', data: await deps.keys.listKeys(id) };
    });

    admin.post('/admin/accounts/:id/keys', async (request, reply) => {
      const { id } = parseInput(idParams, request.params);
      const { name } = parseInput(keyBody, request.body);
      const issued = await orNotFound(deps.keys.createKey(id, name));
      reply.code(201);
      return issued;
    });

    admin.post('/admin/keys/:id/revoke', async (request) => {
      const { id } = parseInput(idParams, request.params);
      const key = await orNotFound(deps.keys.revokeKey(id));
      return key;
    });

    admin.post('/admin/keys/:id/rotate', async (request) => {
      const { id } = parseInput(idParams, request.params);
      const { grace_seconds } = parseInput(rotateBody, request.body);
      const rotated = await orNotFound(deps.keys.rotateKey(id, grace_seconds ?? deps.rotationGraceSeconds));
      return rotated;
    });
  });
}
