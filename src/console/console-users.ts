import type { ConsoleConfig } from '../config/schema.js';
import type { ConsoleRole, ConsoleUserRecord, Store } from '../store/store.js';
import { hashPassword } from './passwords.js';

export const ROLES: readonly ConsoleRole[] = ['viewer', 'analyst', 'admin'];
export const MIN_PASSWORD = 8;

/** A user as the console and its admin API show it: never the hash. */
export interface ConsoleUserView {
  name: string;
  role: ConsoleRole;
  /** `config`: named in the config file, changed only there; `store`: managed from the CLI and admin API. */
  source: 'config' | 'store';
  createdAt: string | null;
  updatedAt: string | null;
}

export class ConsoleUserError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export const isRole = (value: unknown): value is ConsoleRole => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/**
 * Local console users: those the config file names (read-only here) and those kept in the
 * store. One place for the CLI, the admin API and sign-in, so each applies the same rules.
 */
export class ConsoleUsers {
  constructor(
    private readonly store: Store,
    private readonly configured: ConsoleConfig['users'] = [],
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The user and password hash to check a sign-in against; the config file wins a shared name. */
  async credentials(name: string): Promise<{ name: string; role: ConsoleRole; passwordHash: string } | undefined> {
    return this.configured.find((u) => u.name === name) ?? (await this.store.consoleUsers.get(name));
  }

  async list(): Promise<ConsoleUserView[]> {
    const stored = await this.store.consoleUsers.list();
    const fromConfig = this.configured.map((u): ConsoleUserView => ({ name: u.name, role: u.role, source: 'config', createdAt: null, updatedAt: null }));
    const names = new Set(fromConfig.map((u) => u.name));
    return [...fromConfig, ...stored.filter((u) => !names.has(u.name)).map(view)].sort((a, b) => a.name.localeCompare(b.name));
  }

  async any(): Promise<boolean> {
    return this.configured.length > 0 || (await this.store.consoleUsers.list()).length > 0;
  }

  async add(name: string, role: unknown, password: string): Promise<ConsoleUserView> {
    if (!/^[\w.@+-]{1,200}$/.test(name)) throw new ConsoleUserError('invalid', 'a user name is 1-200 letters, digits and . _ @ + -');
    if (!isRole(role)) throw new ConsoleUserError('invalid', `the role must be one of ${ROLES.join(', ')}`);
    if (password.length < MIN_PASSWORD) throw new ConsoleUserError('invalid', `a password has ${MIN_PASSWORD} or more characters`);
    this.mustNotBeConfigured(name);
    if (await this.store.consoleUsers.get(name)) throw new ConsoleUserError('conflict', `console user "${name}" exists: use set-role, or remove it first`);
    const at = this.now().toISOString();
    const record: ConsoleUserRecord = { name, role, passwordHash: await hashPassword(password), createdAt: at, updatedAt: at };
    await this.store.consoleUsers.put(record);
    return view(record);
  }

  async setRole(name: string, role: unknown): Promise<ConsoleUserView> {
    if (!isRole(role)) throw new ConsoleUserError('invalid', `the role must be one of ${ROLES.join(', ')}`);
    this.mustNotBeConfigured(name);
    const current = await this.store.consoleUsers.get(name);
    if (!current) throw new ConsoleUserError('not_found', `no console user "${name}"`);
    const record = { ...current, role, updatedAt: this.now().toISOString() };
    await this.store.consoleUsers.put(record);
    return view(record);
  }

  async remove(name: string): Promise<void> {
    this.mustNotBeConfigured(name);
    if (!(await this.store.consoleUsers.remove(name))) throw new ConsoleUserError('not_found', `no console user "${name}"`);
  }

  private mustNotBeConfigured(name: string): void {
    if (this.configured.some((u) => u.name === name)) throw new ConsoleUserError('conflict', `console user "${name}" is named in the config file: change it there`);
  }
}

const view = (u: ConsoleUserRecord): ConsoleUserView => ({ name: u.name, role: u.role, source: 'store', createdAt: u.createdAt, updatedAt: u.updatedAt });
