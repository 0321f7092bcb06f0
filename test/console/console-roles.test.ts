import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Gateway } from '../../src/gateway/gateway.js';
import { prepareConsoleTests, signIn, startConsoleGateway } from './console-fixture.js';

let gateway: Gateway;
const call = (method: string, path: string, cookie?: string, body?: unknown) =>
  fetch(`${gateway.url}/console/api/${path}`, {
    method,
    headers: { ...(cookie && { cookie }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

before(async () => {
  prepareConsoleTests();
  ({ gateway } = await startConsoleGateway({ db: join(mkdtempSync(join(tmpdir(), 'moat-roles-')), 'moat.db') }));
});
after(() => gateway.close());

test('the session cookie is HttpOnly and SameSite=Strict, and a wrong password is refused', async () => {
  const response = await call('POST', 'session', undefined, { user: 'analyst', password: 'analyst-password-1' });
  assert.equal(response.status, 200);
  const cookie = response.headers.get('set-cookie')!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.equal((await call('POST', 'session', undefined, { user: 'analyst', password: 'wrong' })).status, 401);
  assert.equal((await call('POST', 'session', undefined, { user: 'nobody', password: 'wrong' })).status, 401);
});

test('the API answers 401 without a session', async () => {
  assert.equal((await call('GET', 'overview')).status, 401);
  assert.equal((await call('POST', 'campaigns/k1/suspend', undefined, { reason: 'x' })).status, 401);
});

test('an analyst editing policy through the API gets 403, whatever the page shows', async () => {
  const cookie = await signIn(gateway.url, 'analyst');
  const response = await call('PUT', 'policy', cookie, { policy: {}, reason: 'tighten' });
  assert.equal(response.status, 403);
  assert.equal((await call('POST', 'keys/key_1/revoke', cookie, {})).status, 403);
});

test('a viewer can read but not act', async () => {
  const cookie = await signIn(gateway.url, 'viewer');
  assert.equal((await call('GET', 'overview', cookie)).status, 200);
  assert.equal((await call('POST', 'accounts/acct_1/suspend', cookie, { reason: 'x' })).status, 403);
  assert.equal((await call('POST', 'campaigns/k1/suspend', cookie, { reason: 'x' })).status, 403);
});

test('an admin edits the policy through the console, and the change is audited under their name', async () => {
  const cookie = await signIn(gateway.url, 'admin');
  const current = await (await call('GET', 'policy', cookie)).json();
  const response = await call('PUT', 'policy', cookie, { policy: current, reason: 'unchanged, to test the audit' });
  assert.equal(response.status, 200);
  const audit = (await (await call('GET', 'audit?limit=10', cookie)).json()) as { data: { actor: string }[] };
  assert.ok(audit.data.some((entry) => entry.actor === 'console:admin'));
});
