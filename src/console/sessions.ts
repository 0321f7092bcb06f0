import { randomBytes } from 'node:crypto';
import type { ConsoleUser } from '../config/schema.js';

export type Role = ConsoleUser['role'];

export interface Session {
  user: string;
  role: Role;
  /** local: a password user, whose role is read again on each request; oidc: the role the provider's claim gave at sign-in. */
  source: 'local' | 'oidc';
  expiresAt: number;
}

export const SESSION_COOKIE = 'moat_console';

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

/** Whether `role` may do what `needed` may: admin ⊃ analyst ⊃ viewer. */
export const allows = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/**
 * Sessions live in this process only: a restart signs everyone out, which for a handful of
 * analysts is cheaper than a session table every replica must share.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  open(user: string, role: Role, source: Session['source'] = 'local'): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, { user, role, source, expiresAt: this.now() + this.ttlMs });
    return token;
  }

  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const session = this.sessions.get(token);
    if (session && session.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return session;
  }

  close(token: string | undefined): void {
    if (token) this.sessions.delete(token);
  }
}

/** A cookie's value; a value that is not valid percent-encoding is no session (never an error). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  // Strict keeps the cookie off every cross-site request, which is the console's CSRF defence;
  // Secure keeps it off plain HTTP, where anyone on the path could read it.
  return `${SESSION_COOKIE}=${token}; Path=/console; HttpOnly;${secure ? ' Secure;' : ''} SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}
