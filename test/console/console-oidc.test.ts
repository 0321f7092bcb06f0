import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Provider from 'oidc-provider';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startOfflineGateway } from '../../src/console/offline-gateway.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/console/report/report-pdf.js';
import type { Gateway } from '../../src/gateway/gateway.js';
import { ADMIN_TOKEN, ARTIFACTS, prepareConsoleTests } from './console-fixture.js';
import { freePort } from '../helpers/free-port.js';

const CLIENT_ID = 'moat-console';
const SECRET = 'oidc-client-secret-for-tests-0123456789';
// Each person's groups at the provider: alice is both a viewer and an analyst, mallory maps to no role.
const PEOPLE: Record<string, string[]> = { alice: ['moat-viewers', 'moat-analysts'], mallory: ['finance'] };

let provider: Server;
let gateway: Gateway;
let browser: Browser;

before(async () => {
  prepareConsoleTests();
  const [providerPort, gatewayPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${providerPort}`;
  const redirectUrl = `http://127.0.0.1:${gatewayPort}/console/api/oidc/callback`;
  const oidc = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: SECRET, redirect_uris: [redirectUrl], response_types: ['code'], grant_types: ['authorization_code'] }],
    claims: { openid: ['sub'], email: ['email'], groups: ['groups'] },
    cookies: { keys: ['provider-cookie-key-for-tests'] },
    findAccount: (_ctx, sub) => (PEOPLE[sub] ? { accountId: sub, claims: () => ({ sub, email: `${sub}@example.test`, groups: PEOPLE[sub] }) } : undefined),
  });
  provider = oidc.listen(providerPort, '127.0.0.1');
  process.env.MOAT_OIDC_CLIENT_SECRET = SECRET;
  ({ gateway } = await startOfflineGateway({
    db: join(mkdtempSync(join(tmpdir(), 'moat-oidc-')), 'moat.db'),
    config: {
      server: { host: '127.0.0.1', port: gatewayPort },
      admin: { token: ADMIN_TOKEN },
      console: {
        oidc: {
          issuer,
          clientId: CLIENT_ID,
          redirectUrl,
          scopes: ['openid', 'email', 'groups'],
          roleMapping: { 'moat-viewers': 'viewer', 'moat-analysts': 'analyst', 'moat-admins': 'admin' },
          label: 'Sign in with Test IdP',
        },
      },
    },
  }));
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await gateway?.close();
  await new Promise((resolve) => provider?.close(resolve));
  delete process.env.MOAT_OIDC_CLIENT_SECRET;
});

/** The provider's own pages: its login form (any password), then its consent. */
async function signInAt(page: Page, login: string): Promise<void> {
  await page.goto(`${gateway.url}/console/`);
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await page.locator('input[name=login]').fill(login);
  const password = page.locator('input[name=password]');
  if (await password.count()) await password.fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a person signs in at the provider and lands in the console with the highest role their groups map to', async () => {
  const page = await (await browser.newContext()).newPage();
  await signInAt(page, 'alice');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  assert.deepEqual(await (await page.request.get(`${gateway.url}/console/api/me`)).json(), { user: 'alice@example.test', role: 'analyst' });
  await page.screenshot({ path: join(ARTIFACTS, 'oidc-signed-in.png') });
  await page.context().close();
});

test('a person whose groups map to no role is refused, and has no session', async () => {
  const page = await (await browser.newContext()).newPage();
  await signInAt(page, 'mallory');
  await page.getByText(/no console role is mapped/).waitFor();
  assert.equal(await (await page.request.get(`${gateway.url}/console/api/me`)).json(), null);
  assert.equal((await page.request.get(`${gateway.url}/console/api/overview`)).status(), 401);
  await page.context().close();
});

test('a callback that this browser did not start, or with another state, opens no session', async () => {
  const forged = await fetch(`${gateway.url}/console/api/oidc/callback?code=stolen&state=guessed`, { redirect: 'manual' });
  assert.equal(forged.status, 401);
  assert.ok(!(forged.headers.get('set-cookie') ?? '').includes('moat_console='));

  const login = await fetch(`${gateway.url}/console/api/oidc/login`, { redirect: 'manual' });
  assert.equal(login.status, 302);
  const target = new URL(login.headers.get('location')!);
  assert.equal(target.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(target.searchParams.get('code_challenge') && target.searchParams.get('nonce') && target.searchParams.get('state'));
  const flow = login.headers.get('set-cookie')!.split(';')[0]!;
  const wrongState = await fetch(`${gateway.url}/console/api/oidc/callback?code=x&state=not-${target.searchParams.get('state')}`, { headers: { cookie: flow }, redirect: 'manual' });
  assert.equal(wrongState.status, 401);
  // The flow is spent by the failed attempt: replaying it with the right state is refused too.
  const replay = await fetch(`${gateway.url}/console/api/oidc/callback?code=x&state=${target.searchParams.get('state')}`, { headers: { cookie: flow }, redirect: 'manual' });
  assert.equal(replay.status, 401);
});
