import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { hostname, cpus } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/console/report/report-pdf.js';
import type { Gateway } from '../../src/gateway/gateway.js';
import { humanTime } from '../../src/console/wording.js';
import { DEV_SET } from '../helpers/dev-set.js';
import { ARTIFACTS, prepareConsoleTests, startWalkTarget, type Credentials } from './console-fixture.js';
import { accessibleNameProblems, recordPageLoad, writeBenchmarks, type LoadFigure } from './page-checks.js';

let gateway: Gateway;
let dbPath: string;
let credentials: Credentials;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const loads: LoadFigure[] = [];
let campaignId = '';
let memberAccount = '';

before(async () => {
  prepareConsoleTests();
  ({ gateway, dbPath, credentials } = await startWalkTarget(DEV_SET));
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } })).newPage();
  // The policy test's 403 is the refusal it asks for; Chromium logs every 4xx response as an error.
  page.on('console', (message) => message.type() === 'error' && !/status of 403/.test(message.text()) && problems.push(`console: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await gateway?.close();
  if (loads.length > 0) writeBenchmarks(loads, `npm run bench -- console` + ' (MOAT_BENCH_CONSOLE=1 node --import tsx --test test/console/console-browser.test.ts)', `${hostname()}, ${cpus().length}x ${cpus()[0]?.model ?? 'cpu'}`);
});

test('sign in with the printed password, by keyboard alone; every control of the form has a name', async () => {
  await page.goto(`${gateway.url}/console/`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'sign-in.png') });
  assert.deepEqual(await accessibleNameProblems(page), []);
  await page.locator('#user').focus();
  await page.keyboard.type(credentials.consoleUser);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate('document.activeElement?.id'), 'password');
  await page.keyboard.type(credentials.consolePassword);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Sign in');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.locator('#overview-chart').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });
  assert.deepEqual(await accessibleNameProblems(page), []);
  loads.push(await recordPageLoad(page, `${gateway.url}/console/#/`, 'Overview', '#overview-chart'));
  loads.push(await recordPageLoad(page, `${gateway.url}/console/#/accounts`, 'Accounts', '#account-table table'));
});

test('the top campaign shows its graph and timeline', async () => {
  await page.goto(`${gateway.url}/console/#/`);
  const link = page.getByRole('table', { name: 'Top campaigns' }).locator('tbody tr').first().locator('a');
  campaignId = (await link.textContent())!;
  await link.click();
  await page.getByRole('heading', { name: `Campaign ${campaignId}` }).waitFor();
  await page.locator('#campaign-graph canvas').first().waitFor();
  await page.locator('#campaign-chart').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'campaign.png'), fullPage: true });
  // Concentric rings put the best-linked account (the evidence's hub) in the middle: hovering there names it.
  const canvas = (await page.locator('#campaign-graph .graph-canvas').boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await page.locator('#campaign-graph').screenshot({ path: join(ARTIFACTS, 'campaign-graph-hover.png') });
  assert.ok((await page.locator('.graph-legend').textContent())!.includes('account: high'), 'the graph has a legend');
  assert.deepEqual(await accessibleNameProblems(page), []);
  loads.push(await recordPageLoad(page, `${gateway.url}/console/#/campaigns/${campaignId}`, `Campaign ${campaignId}`, '#campaign-graph canvas'));
});

test('an account of the campaign shows its signals, prompts and action buttons, all named', async () => {
  assert.ok((await page.getByRole('table', { name: 'What the links rest on, by what is shared' }).locator('tbody tr').count()) > 0, 'the link evidence is listed');
  const link = page.getByRole('table', { name: 'Members' }).locator('tbody tr').first().locator('a').first();
  const account = (await link.textContent())!;
  await link.click();
  await page.getByRole('heading', { name: `Account ${account}` }).waitFor();
  await page.locator('#account-chart').waitFor();
  for (const name of ['Suspend', 'Reinstate', 'Allowlist']) assert.ok(await page.getByRole('button', { name, exact: true }).isVisible());
  assert.deepEqual(await accessibleNameProblems(page), []);
  assert.equal(await page.locator('#account-badge').textContent(), 'active');
  await page.screenshot({ path: join(ARTIFACTS, 'account.png'), fullPage: true });
  loads.push(await recordPageLoad(page, `${gateway.url}/console/#/accounts/${account}`, 'Account', '#account-chart'));
  memberAccount = account;
});

test('the campaign report opens in the browser with its figures drawn', async () => {
  await page.goto(`${gateway.url}/console/#/campaigns/${campaignId}`);
  const [report] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'View', exact: true }).click()]);
  await report.waitForFunction('window.reportReady === true');
  await report.getByRole('heading', { name: `Moat case report: Campaign ${campaignId}` }).waitFor();
  assert.match((await report.locator('body').textContent())!, /\d+ accounts (share|sent|signed up)/, 'link evidence in sentences');
  await report.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  await report.close();
  process.stdout.write(`# screenshots of the walk (overview, campaign, account, report) in ${ARTIFACTS}\n`);
});

test('suspending an account turns its badge to suspended at once; the audit entry says where it stood', async () => {
  await page.goto(`${gateway.url}/console/#/accounts/${memberAccount}`);
  await page.locator('#account-reason').fill('harvesting maths answers');
  await page.getByRole('button', { name: 'Suspend', exact: true }).click();
  await page.locator('#account-badge', { hasText: 'suspended' }).waitFor();
  const detail = (await (await page.request.get(`${gateway.url}/console/api/accounts/${memberAccount}`)).json()) as { row: { level: string; campaign: string } };
  const audit = (await (await page.request.get(`${gateway.url}/console/api/audit?account=${memberAccount}`)).json()) as { data: { action: string; campaign: string | null; data: { decision: { level: string } } }[] };
  const entry = audit.data.find((e) => e.action === 'suspend')!;
  assert.deepEqual([entry.data.decision.level, entry.campaign], [detail.row.level, detail.row.campaign]);
  assert.notEqual(detail.row.level, 'none');
  await page.getByRole('button', { name: 'Reinstate', exact: true }).click();
  await page.locator('#account-badge', { hasText: 'active' }).waitFor();
  await page.goto(`${gateway.url}/console/#/campaigns/${campaignId}`);
  await page.locator('#campaign-reason').waitFor();
});

test('tabbing reaches the reason box, then the suspend button; an analyst suspends the campaign', async () => {
  await page.locator('#campaign-reason').focus();
  await page.keyboard.type('distillation campaign: shared card and prompt skeletons');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Suspend campaign');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `Campaign ${campaignId}` }).waitFor();
  // The page is drawn again after the action: the members table says each is suspended.
  await page.locator('#campaign-members .badge.suspended').first().waitFor();
  assert.equal(await page.locator('#campaign-members .badge.active').count(), 0);
  const response = await page.request.get(`${gateway.url}/console/api/audit?limit=500`);
  const audit = (await response.json()) as { data: Record<string, unknown>[] };
  assert.ok(audit.data.some((entry) => JSON.stringify(entry).includes(`console:${credentials.consoleUser}`)), 'the suspension is in the audit log, by the signed-in user');
  await page.screenshot({ path: join(ARTIFACTS, 'campaign-suspended.png'), fullPage: true });
  await page.goto(`${gateway.url}/console/#/accounts/${memberAccount}`);
  await page.locator('#account-badge', { hasText: 'suspended' }).waitFor();
});

test('the accounts table pages past 500 rows; a linked group is not called a campaign', async () => {
  const { data } = (await (await page.request.get(`${gateway.url}/console/api/accounts`)).json()) as { data: unknown[] };
  assert.ok(data.length > 500, 'the set has more accounts than one page');
  await page.goto(`${gateway.url}/console/#/accounts`);
  const rows = page.locator('#account-table tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 500);
  await page.getByRole('button', { name: 'Next page' }).first().click();
  await page.getByText(`501-${Math.min(1000, data.length).toLocaleString('en-US')} of ${data.length.toLocaleString('en-US')} accounts`).first().waitFor();
  assert.equal(await rows.count(), Math.min(500, data.length - 500));
  await page.screenshot({ path: join(ARTIFACTS, 'accounts-page-2.png') });

  const { data: groups } = (await (await page.request.get(`${gateway.url}/console/api/campaigns`)).json()) as { data: { id: string; campaign: boolean }[] };
  const group = groups.find((g) => !g.campaign);
  assert.ok(group, 'the set has a linked group that is not a campaign');
  await page.goto(`${gateway.url}/console/#/campaigns/${group.id}`);
  await page.getByRole('heading', { name: `Linked group ${group.id}` }).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'linked-group.png'), fullPage: true });
});

test('an analyst cannot edit the policy: the page is refused, and so is the API', async () => {
  // An analyst made through the admin API, whatever role the walk signed in with.
  const made = await page.request.post(`${gateway.url}/admin/console-users`, {
    headers: { authorization: `Bearer ${credentials.adminToken}` },
    data: { name: 'walk-analyst', role: 'analyst', password: 'walk-analyst-password' },
  });
  assert.equal(made.status(), 201);
  assert.equal((await page.request.post(`${gateway.url}/console/api/session`, { data: { user: 'walk-analyst', password: 'walk-analyst-password' } })).status(), 200);
  await page.goto(`${gateway.url}/console/#/policy`);
  await page.getByRole('button', { name: 'Save policy' }).click();
  await page.getByText(/Refused: This needs the admin role/).waitFor();
  const direct = await page.request.put(`${gateway.url}/console/api/policy`, { data: {} });
  assert.equal(direct.status(), 403);
  await page.screenshot({ path: join(ARTIFACTS, 'policy-refused.png') });
});

test('the PDF report downloads and states the ledger counts of the campaign', async () => {
  await page.goto(`${gateway.url}/console/#/campaigns/${campaignId}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF' }).click()]);
  const pdf = join(ARTIFACTS, `campaign-${campaignId}.pdf`);
  await download.saveAs(pdf);
  // Asynchronous, so the in-process gateway's keep-alive timers run meanwhile (a blocked loop lets a reused connection be reset).
  const { stdout: text } = await promisify(execFile)('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  const detail = (await (await page.request.get(`${gateway.url}/console/api/campaigns/${campaignId}`)).json()) as { nodes: { account: string }[] };
  const members = detail.nodes.map((n) => n.account);
  const db = new Database(dbPath, { readonly: true });
  const truth = db
    .prepare(`SELECT count(*) AS requests, sum(completion_tokens) AS tokens, min(ts) AS first, max(ts) AS last FROM requests WHERE account IN (SELECT value FROM json_each(?))`)
    .get(JSON.stringify(members)) as { requests: number; tokens: number; first: string; last: string };
  db.close();
  const figure = (label: string) => new RegExp(`${label}\\s+([\\d,]+)`).exec(text)?.[1]?.replace(/,/g, '');
  assert.equal(Number(figure('Accounts')), members.length);
  assert.equal(Number(figure('Requests')), truth.requests);
  assert.equal(Number(figure('Completion tokens')), truth.tokens);
  assert.match(text, new RegExp(`First seen\\s+${humanTime(truth.first)}`));
  assert.match(text, new RegExp(`Last seen\\s+${humanTime(truth.last)}`));
});

test('no errors in the browser console during the tests', () => {
  assert.deepEqual(problems, []);
});
