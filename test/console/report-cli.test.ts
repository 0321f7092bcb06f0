import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import Database from 'better-sqlite3';
import { report } from '../../src/cli/report.js';
import { loadTrafficSet } from '../../src/console/load-set.js';
import { startOfflineGateway } from '../../src/console/offline-gateway.js';
import { openStore, sqliteConfig } from '../../src/store/open-store.js';
import { humanTime } from '../../src/console/wording.js';
import { DEV_SET } from '../helpers/dev-set.js';
import { ARTIFACTS, prepareConsoleTests } from './console-fixture.js';

// Three days of dev-v1 keep this test to seconds; its campaigns are flagged later, but they are
// linked from the start, and the report's figures do not depend on flags.
const UNTIL = Date.parse('2026-03-05T00:00:00Z');
let dbPath: string;
let campaign: { id: string; members: string[] };

before(async () => {
  prepareConsoleTests();
  dbPath = join(mkdtempSync(join(tmpdir(), 'moat-report-')), 'moat.db');
  const store = await openStore(sqliteConfig(dbPath));
  await loadTrafficSet(store, DEV_SET, UNTIL);
  await store.close();
  const { gateway } = await startOfflineGateway({ db: dbPath });
  campaign = gateway.detection!.campaigns()[0]!;
  await gateway.close();
  assert.ok(campaign, 'a campaign in the first three days');
});

test('moat report --campaign writes a PDF and HTML whose extent matches a SQL count over the ledger', async () => {
  const pdf = join(ARTIFACTS, `cli-campaign-${campaign.id}.pdf`);
  const html = join(ARTIFACTS, `cli-campaign-${campaign.id}.html`);
  await report({ campaign: campaign.id, db: dbPath, out: pdf, html });
  const db = new Database(dbPath, { readonly: true });
  const truth = db
    .prepare(`SELECT count(*) AS requests, sum(completion_tokens) AS tokens, min(ts) AS first, max(ts) AS last FROM requests WHERE account IN (SELECT value FROM json_each(?))`)
    .get(JSON.stringify(campaign.members)) as { requests: number; tokens: number; first: string; last: string };
  db.close();
  for (const text of [execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }), readFileSync(html, 'utf8').replace(/<[^>]+>/g, ' ')]) {
    const figure = (label: string) => Number(new RegExp(`${label}\\s+([\\d,]+)`).exec(text)?.[1]?.replace(/,/g, ''));
    assert.equal(figure('Accounts'), campaign.members.length);
    assert.equal(figure('Requests'), truth.requests);
    assert.equal(figure('Completion tokens'), truth.tokens);
    assert.match(text, new RegExp(`First seen\\s+${humanTime(truth.first)}`));
    assert.match(text, new RegExp(`Last seen\\s+${humanTime(truth.last)}`));
  }
});

test('moat report refuses an unknown campaign and a missing target', async () => {
  await assert.rejects(report({ campaign: 'no-such-campaign', db: dbPath, html: join(ARTIFACTS, 'x.html') }), /no campaign "no-such-campaign"/);
  await assert.rejects(report({ db: dbPath, html: join(ARTIFACTS, 'x.html') }), /one of --campaign ID or --account ID/);
});
