import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { chromium } from 'playwright-core';
import { DEMO_SET, startDemo, type Demo } from '../../src/cli/demo.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/console/report/report-pdf.js';
import { openTrafficSet, readLabels, readRequests } from '../../src/traffic/traffic-set.js';
import { ARTIFACTS, prepareConsoleTests } from '../console/console-fixture.js';

/** Everything written to the demo's output, as the user would read it. */
function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

interface LedgerRow {
  account: string;
  status: number;
  error_code: string | null;
  completion_tokens: number;
}

describe('npm start: the demo, headless', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'moat-demo-'));
  const output = capture();
  let demo: Demo;
  let labels: Map<string, string>;
  const recorded = new Map<string, number>();
  let setRequests = 0;

  before(async () => {
    labels = new Map((await readLabels(openTrafficSet(DEMO_SET))).map((l) => [l.account, l.label]));
    for await (const r of readRequests(openTrafficSet(DEMO_SET))) {
      recorded.set(r.account, (recorded.get(r.account) ?? 0) + r.usage.completion_tokens);
      setRequests++;
    }
    demo = await startDemo({ dataDir, port: 0, out: output.out });
  });
  after(async () => {
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the summary is what the ledger, detection and enforcement hold', async () => {
    const summary = demo.summary!;
    assert.ok(summary, 'a first start replays and summarises');
    await demo.gateway.ledger.flush();
    // Read the SQLite file itself, not through the code the summary used.
    const db = new Database(join(dataDir, 'moat.db'), { readonly: true });
    const rows = db.prepare('SELECT account, status, error_code, completion_tokens FROM requests').all() as LedgerRow[];
    db.close();
    const side = (label: string) => rows.filter((r) => (labels.get(r.account) === 'extraction' ? 'extraction' : 'benign') === label);
    const moatRefused = (r: LedgerRow) => r.status >= 400 && !String(r.error_code).startsWith('upstream_');
    const served = (list: LedgerRow[]) => list.filter((r) => r.status < 400).reduce((sum, r) => sum + r.completion_tokens, 0);
    const asked = (label: string) => [...labels].filter(([, l]) => (l === 'extraction') === (label === 'extraction')).reduce((sum, [a]) => sum + (recorded.get(a) ?? 0), 0);

    assert.equal(summary.requests, rows.length);
    assert.equal(rows.length, setRequests, 'every request of the set reached the ledger');
    for (const label of ['extraction', 'benign'] as const) {
      assert.equal(summary[label].requests, side(label).length, `${label} requests`);
      assert.equal(summary[label].refused, side(label).filter(moatRefused).length, `${label} refused`);
      assert.equal(summary[label].completionTokensServed, served(side(label)), `${label} tokens served`);
      assert.equal(summary[label].completionTokensAsked, asked(label), `${label} tokens asked`);
    }
    assert.equal(summary.extraction.completionTokensWithheld, asked('extraction') - served(side('extraction')));
    // The refusals are Moat's own: suspensions of accounts enforcement decided on.
    assert.ok(side('extraction').some((r) => r.error_code === 'account_suspended'));

    // Detection's and enforcement's view through the admin API, with the printed token.
    const admin = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${demo.url}${path}`, { headers: { authorization: `Bearer ${demo.credentials.adminToken}` } });
      assert.equal(response.status, 200, path);
      return (await response.json()) as T;
    };
    const flagged = (await admin<{ data: { account: string }[] }>('/admin/detection/accounts?flagged=true')).data;
    assert.equal(summary.flagged.extraction, flagged.filter((a) => labels.get(a.account) === 'extraction').length);
    assert.equal(summary.flagged.benign, flagged.filter((a) => labels.get(a.account) !== 'extraction').length);
    const campaigns = (await admin<{ data: { flagged: boolean; members: string[] }[] }>('/admin/detection/campaigns')).data.filter((c) => c.flagged);
    assert.equal(summary.campaigns.found, campaigns.length);
    assert.equal(summary.campaigns.accounts, new Set(campaigns.flatMap((c) => c.members)).size);
    let suspended = 0;
    for (const [account, label] of labels) {
      if (label !== 'extraction') continue;
      const state = await admin<{ actions: string[]; enforced: boolean }>(`/admin/enforcement/accounts/${account}`);
      if (state.enforced && state.actions.includes('suspend_account')) suspended++;
    }
    assert.equal(summary.extraction.suspended, suspended);

    // What the demo is there to show.
    assert.ok(summary.flagged.extraction > 0 && summary.campaigns.found > 0 && summary.extraction.completionTokensWithheld > 0);
    assert.equal(summary.flagged.benign, 0);
    assert.equal(summary.benign.refused, 0);
  });

  test('the output tells the story: stand-in named, summary lines, console URL and credentials', () => {
    const text = output.text();
    const s = demo.summary!;
    assert.match(text, /STAND-IN/);
    assert.match(text, new RegExp(`campaigns found\\s+${s.campaigns.found} `));
    assert.match(text, new RegExp(`completion tokens withheld from extraction\\s+${s.extraction.completionTokensWithheld.toLocaleString('en-US')} of`));
    assert.match(text, new RegExp(`benign requests refused\\s+0 of ${s.benign.requests.toLocaleString('en-US')}`));
    assert.match(text, new RegExp(`accounts flagged\\s+${s.flagged.extraction + s.flagged.benign}:`));
    assert.ok(text.includes(demo.consoleUrl) && text.includes(demo.credentials.consolePassword) && text.includes(demo.credentials.adminToken));
    // Not a terminal: plain progress lines, no carriage returns; the last one gives the rate.
    assert.match(text, new RegExp(`${setRequests.toLocaleString('en-US')} / ${setRequests.toLocaleString('en-US')} requests, [\\d,]+/s\n`));
    assert.ok(!text.includes('\r'));
  });

  test('credentials.json: the printed ones, owner-only', () => {
    const file = join(dataDir, 'credentials.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), demo.credentials);
    assert.deepEqual(Object.keys(demo.credentials).sort(), ['adminToken', 'consolePassword', 'consoleUser']);
  });

  test('the console signs in with the printed password; a wrong one is refused', async () => {
    const signIn = (password: string) =>
      fetch(`${demo.url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: demo.credentials.consoleUser, password }) });
    assert.equal((await signIn(`${demo.credentials.consolePassword}x`)).status, 401);
    const ok = await signIn(demo.credentials.consolePassword);
    assert.equal(ok.status, 200);
    const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
    const overview = await fetch(`${demo.url}/console/api/overview`, { headers: { cookie } });
    assert.equal(overview.status, 200);
    assert.equal((await fetch(demo.consoleUrl)).status, 200);
  });

  test('in Chromium, the password the demo printed signs in; the walk reaches overview, a campaign, its account and the report', async () => {
    const printed = /\(user (\S+), password (\S+)\)/.exec(output.text());
    assert.ok(printed, 'the console line names the user and password');
    prepareConsoleTests();
    const dir = join(ARTIFACTS, '..', 'demo');
    mkdirSync(dir, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(demo.consoleUrl);
      await page.locator('#user').fill(printed[1]!);
      await page.locator('#password').fill(printed[2]!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.locator('#overview-chart').waitFor();
      await page.screenshot({ path: join(dir, 'overview.png'), fullPage: true });
      const campaignLink = page.getByRole('table', { name: 'Top campaigns' }).locator('tbody tr').first().locator('a');
      const campaign = (await campaignLink.textContent())!;
      await campaignLink.click();
      await page.getByRole('heading', { name: `Campaign ${campaign}` }).waitFor();
      await page.locator('#campaign-graph canvas').first().waitFor();
      await page.screenshot({ path: join(dir, 'campaign.png'), fullPage: true });
      const memberLink = page.getByRole('table', { name: 'Members' }).locator('tbody tr').first().locator('a').first();
      const member = (await memberLink.textContent())!;
      await memberLink.click();
      await page.getByRole('heading', { name: `Account ${member}` }).waitFor();
      await page.locator('#account-chart').waitFor();
      await page.screenshot({ path: join(dir, 'account.png'), fullPage: true });
      await page.goBack();
      await page.getByRole('heading', { name: `Campaign ${campaign}` }).waitFor();
      const [report] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'View', exact: true }).click()]);
      await report.waitForFunction('window.reportReady === true');
      await report.getByRole('heading', { name: `Moat case report: Campaign ${campaign}` }).waitFor();
      await report.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      const summary = demo.summary!;
      assert.ok(summary.campaigns.found > 0, 'the demo found the campaign the walk opened');
      process.stdout.write(`# screenshots of the demo walk in ${dir}\n`);
    } finally {
      await browser.close();
    }
  });

  test('it keeps serving: a key of your own gets the stand-in, marked as such', async () => {
    const headers = { authorization: `Bearer ${demo.credentials.adminToken}`, 'content-type': 'application/json' };
    assert.equal((await fetch(`${demo.url}/admin/accounts`, { method: 'POST', headers, body: JSON.stringify({ account: 'me' }) })).status, 201);
    const issued = await fetch(`${demo.url}/admin/accounts/me/keys`, { method: 'POST', headers, body: '{}' });
    const { secret } = (await issued.json()) as { secret: string };
    const client = new OpenAI({ baseURL: `${demo.url}/v1`, apiKey: secret, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }] }).withResponse();
    assert.match(data.choices[0]!.message.content ?? '', /stand-in/);
    assert.equal(response.headers.get('x-moat-stand-in'), 'true');
  });

  test('a restart reuses the credentials and shows the same summary without replaying', async () => {
    const before = demo.summary!;
    const credentials = demo.credentials;
    await demo.stop();
    const again = capture();
    demo = await startDemo({ dataDir, port: 0, out: again.out });
    assert.deepEqual(demo.credentials, credentials);
    assert.match(again.text(), /credentials reused from/);
    assert.match(again.text(), /was replayed into this data dir/);
    assert.doesNotMatch(again.text(), / requests(\n|, )/, 'no second replay');
    const after = demo.summary!;
    // Our own key's request from the test above is not the demo's traffic.
    assert.deepEqual(after, before);
  });
});

describe('npm start -- --no-demo', () => {
  test('the gateway, console and admin API on the data dir, nothing replayed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moat-nodemo-'));
    const output = capture();
    const plain = await startDemo({ dataDir, port: 0, replay: false, out: output.out });
    try {
      assert.equal(plain.summary, undefined);
      const accounts = await fetch(`${plain.url}/admin/accounts`, { headers: { authorization: `Bearer ${plain.credentials.adminToken}` } });
      assert.equal(accounts.status, 200);
      assert.deepEqual(((await accounts.json()) as { data: unknown[] }).data, []);
      assert.equal((await fetch(plain.consoleUrl)).status, 200);
      assert.doesNotMatch(output.text(), /replay/i);
    } finally {
      await plain.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
