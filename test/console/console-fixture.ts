import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { hashPassword } from '../../src/console/passwords.js';
import { startOfflineGateway } from '../../src/console/offline-gateway.js';
import type { Gateway } from '../../src/gateway/gateway.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = resolve(ROOT, 'test-artifacts/console');
export const ADMIN_TOKEN = 'console-admin-token-0123456789';
export const PASSWORDS = { viewer: 'viewer-password-1', analyst: 'analyst-password-1', admin: 'admin-password-1' } as const;

/** Chromium and pdftotext (installed by the script on a fresh machine), and a current console build. */
export function prepareConsoleTests(): void {
  execFileSync('bash', [resolve(ROOT, 'scripts/ensure-chromium.sh')], { stdio: 'inherit' });
  execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(ARTIFACTS, { recursive: true });
}

export async function consoleUsers(): Promise<{ name: string; role: string; passwordHash: string }[]> {
  return Promise.all(Object.entries(PASSWORDS).map(async ([role, password]) => ({ name: role, role, passwordHash: await hashPassword(password) })));
}

/** A gateway with the console over a traffic set (or an empty ledger when `set` is absent). */
export async function startConsoleGateway(source: { set?: string; db?: string }): Promise<{ gateway: Gateway; dbPath: string }> {
  const { gateway, config } = await startOfflineGateway({
    ...source,
    config: { admin: { token: ADMIN_TOKEN }, console: { users: await consoleUsers() } },
  });
  return { gateway, dbPath: config.store.path };
}

export async function signIn(url: string, user: keyof typeof PASSWORDS): Promise<string> {
  const response = await fetch(`${url}/console/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password: PASSWORDS[user] }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${user}: ${response.status}`);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

/** What `npm start` prints and writes to `<dataDir>/credentials.json`: the walk signs in with these. */
export interface Credentials {
  consoleUser: string;
  consolePassword: string;
  adminToken: string;
}

/**
 * The console the browser walk goes through: for now a gateway over a traffic set with one
 * analyst; once the demo is on main, `startDemo()` gives the same url and credentials.
 */
export async function startWalkTarget(set: string): Promise<{ gateway: Gateway; url: string; credentials: Credentials; dbPath: string }> {
  const { gateway, dbPath } = await startConsoleGateway({ set });
  return { gateway, url: gateway.url, credentials: { consoleUser: 'analyst', consolePassword: PASSWORDS.analyst, adminToken: ADMIN_TOKEN }, dbPath };
}
