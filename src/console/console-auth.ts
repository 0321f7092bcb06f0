import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ConsoleConfig } from '../config/schema.js';
import { openAiError } from '../errors/catalogue.js';
import type { ConsoleUsers } from './console-users.js';
import { verifyPassword } from './passwords.js';
import { allows, readCookie, SESSION_COOKIE, sessionCookie, SessionStore, type Role, type Session } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: Session;
  }
}

const signInBody = z.object({ user: z.string().min(1).max(200), password: z.string().min(1).max(1000) });

// Checked when the user is unknown too, so timing does not tell which user names exist.
const DECOY_HASH = 'scrypt$32768$8$1$00000000000000000000000000000000$' + '0'.repeat(64);

const deny = (reply: FastifyReply, status: 401 | 403, message: string) =>
  reply.code(status).send(openAiError(status === 401 ? 'console_unauthenticated' : 'forbidden', message));

/** Starts a session and sets its cookie: the end of a password sign-in and of an OpenID Connect one alike. */
export function openSession(reply: FastifyReply, sessions: SessionStore, config: ConsoleConfig, user: string, role: Role, source: Session['source']): void {
  reply.header('set-cookie', sessionCookie(sessions.open(user, role, source), Math.round(config.sessionHours * 3600), config.secureCookie));
}

/** Sign-in, sign-out and the role guard every console API route goes through. */
export function registerConsoleAuth(app: FastifyInstance, config: ConsoleConfig, users: ConsoleUsers): SessionStore {
  const sessions = new SessionStore(config.sessionHours * 3_600_000);

  app.post('/console/api/session', async (request, reply) => {
    const body = signInBody.safeParse(request.body);
    if (!body.success) return deny(reply, 401, 'User name and password are required.');
    const user = await users.credentials(body.data.user);
    const ok = await verifyPassword(body.data.password, user?.passwordHash ?? DECOY_HASH);
    if (!user || !ok) return deny(reply, 401, 'Wrong user name or password.');
    openSession(reply, sessions, config, user.name, user.role, 'local');
    return { user: user.name, role: user.role };
  });

  app.delete('/console/api/session', async (request, reply) => {
    sessions.close(readCookie(request.headers.cookie, SESSION_COOKIE));
    reply.header('set-cookie', sessionCookie('', 0, config.secureCookie));
    return { ok: true };
  });

  return sessions;
}

/**
 * The session of a request, with a local user's role as it is now: a user removed or given
 * another role (from the CLI, in another process) is held to it on the next request.
 */
export async function currentSession(sessions: SessionStore, users: ConsoleUsers, request: FastifyRequest): Promise<Session | undefined> {
  const token = readCookie(request.headers.cookie, SESSION_COOKIE);
  const session = sessions.get(token);
  if (!session || session.source === 'oidc') return session;
  const user = await users.credentials(session.user);
  if (!user) {
    sessions.close(token);
    return undefined;
  }
  session.role = user.role;
  return session;
}

/** A preHandler that lets through only sessions whose role reaches `needed`. */
export function requireRole(sessions: SessionStore, users: ConsoleUsers, needed: Role) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const session = await currentSession(sessions, users, request);
    if (!session) return void deny(reply, 401, 'Sign in to use the console.');
    if (!allows(session.role, needed)) return void deny(reply, 403, `This needs the ${needed} role; you are ${session.role}.`);
    request.consoleSession = session;
  };
}
