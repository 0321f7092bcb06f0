import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { Gateway } from '../../src/gateway/gateway.js';
import { ADMIN_TOKEN, prepareConsoleTests, startConsoleGateway } from './console-fixture.js';

const ROOT = resolve(import.meta.dirname, '../..');
let gateway: Gateway;
let dbPath: string;

const admin = async (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) => {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

async function signIn(user: string, password: string): Promise<string | undefined> {
  const response = await fetch(`${gateway.url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password }) });
  return response.status === 200 ? response.headers.get('set-cookie')!.split(';')[0]! : undefined;
}

const me = async (cookie: string) => (await (await fetch(`${gateway.url}/console/api/me`, { headers: { cookie } })).json()) as { role: string } | null;
const overviewStatus = async (cookie: string) => (await fetch(`${gateway.url}/console/api/overview`, { headers: { cookie } })).status;

/** The real CLI in its own process, on the same database the gateway has open. */
async function cli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'console-user', ...args, '--db', dbPath], {
    cwd: ROOT,
    env: { ...process.env, MOAT_CONSOLE_PASSWORD: 'dave-password-1' },
  });
  return stdout;
}

before(async () => {
  prepareConsoleTests();
  ({ gateway, dbPath } = await startConsoleGateway({ db: join(mkdtempSync(join(tmpdir(), 'moat-users-')), 'moat.db') }));
});
after(() => gateway?.close());

test('admin API: a console user added, given another role and removed; each change reaches the live session', async () => {
  assert.equal((await admin('GET', '/admin/console-users', undefined, 'wrong-token-0123456789')).status, 401);
  const added = await admin('POST', '/admin/console-users', { name: 'carol', role: 'viewer', password: 'carol-password-1' });
  assert.equal(added.status, 201);
  assert.deepEqual([added.body.name, added.body.role, added.body.source, 'passwordHash' in added.body], ['carol', 'viewer', 'store', false]);
  const cookie = (await signIn('carol', 'carol-password-1'))!;
  assert.equal((await me(cookie))?.role, 'viewer');

  assert.equal((await admin('POST', '/admin/console-users', { name: 'carol', role: 'viewer', password: 'carol-password-1' })).status, 409);
  assert.equal((await admin('POST', '/admin/console-users', { name: 'admin', role: 'viewer', password: 'whatever-123' })).status, 409, 'a config-file user is changed only there');
  assert.equal((await admin('POST', '/admin/console-users', { name: 'eve', role: 'root', password: 'whatever-123' })).status, 400);
  assert.equal((await admin('POST', '/admin/console-users', { name: 'eve', role: 'viewer', password: 'short' })).status, 400);
  assert.equal((await admin('PATCH', '/admin/console-users/nobody', { role: 'admin' })).status, 404);

  const list = await admin('GET', '/admin/console-users');
  assert.deepEqual((list.body.data as { name: string; source: string }[]).map((u) => `${u.name}:${u.source}`), ['admin:config', 'analyst:config', 'carol:store', 'viewer:config']);
  assert.ok(!JSON.stringify(list.body).includes('scrypt$'), 'no hash in the answer');

  assert.equal((await admin('PATCH', '/admin/console-users/carol', { role: 'analyst' })).body.role, 'analyst');
  assert.equal((await me(cookie))?.role, 'analyst', 'the new role applies to the open session');
  assert.equal((await admin('DELETE', '/admin/console-users/carol')).status, 200);
  assert.equal(await overviewStatus(cookie), 401, 'a removed user is signed out');
  assert.equal(await signIn('carol', 'carol-password-1'), undefined);
});

test('moat console-user add, list, set-role, remove act on the store a running gateway reads', async () => {
  assert.match(await cli('add', 'dave', '--role', 'viewer'), /console user dave added \(viewer\)/);
  const cookie = await signIn('dave', 'dave-password-1');
  assert.ok(cookie, 'dave signs in without a restart');
  assert.match(await cli('list'), /^dave\s+viewer\s+store/m);
  await cli('set-role', 'dave', 'admin');
  assert.equal((await me(cookie))?.role, 'admin');
  await cli('remove', 'dave');
  assert.equal(await overviewStatus(cookie), 401);
  await assert.rejects(cli('remove', 'dave'), /no console user "dave"/);
});
