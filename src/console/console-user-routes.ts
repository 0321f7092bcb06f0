import type { FastifyInstance } from 'fastify';
import { consoleUserAddBody as addBody, consoleUserNameParams as nameParams, consoleUserRoleBody as roleBody } from '../auth/console-user-input.js';
import { GatewayError } from '../errors/catalogue.js';
import { adminGuard } from '../gateway/admin-routes.js';
import { parseInput } from '../gateway/admin-input.js';
import { ConsoleUserError, type ConsoleUsers } from './console-users.js';


/** The directory's refusals as the admin API's errors. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConsoleUserError) throw new GatewayError(error.code === 'invalid' ? 'invalid_request' : error.code, error.message);
    throw error;
  }
}

/** Console users over the admin API: the same rules as `moat console-user`; never a password hash in an answer. */
export function registerConsoleUserRoutes(app: FastifyInstance, users: ConsoleUsers, adminToken: string | undefined): void {
  app.register(async (admin) => {
    admin.addHook('onRequest', adminGuard(adminToken));

    admin.get('/admin/console-users', async () => ({ object: 'list', data: await users.list() }));

    admin.post('/admin/console-users', async (request, reply) => {
      const body = parseInput(addBody, request.body);
      const user = await answer(() => users.add(body.name, body.role, body.password));
      reply.code(201);
      return user;
    });

    admin.patch('/admin/console-users/:name', async (request) => {
      const { name } = parseInput(nameParams, request.params);
      const { role } = parseInput(roleBody, request.body);
      return answer(() => users.setRole(name, role));
    });

    admin.delete('/admin/console-users/:name', async (request) => {
      const { name } = parseInput(nameParams, request.params);
      await answer(() => users.remove(name));
      return { name, deleted: true };
    });
  });
}
