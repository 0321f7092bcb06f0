import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEngine, replay, toVerdict, type AccountAssessment, type CampaignSummary } from '../../src/detect/index.js';
import { assessmentsOf } from '../../src/events/live-detection.js';
import { liveReplay } from '../../src/replay/live-replay.js';
import { DEV_SET, devSetPresent, writePrefixSet } from '../helpers/dev-set.js';

// Issue 3, acceptance 6 (on the first three days of dev-v1, to keep the suite short; the whole
// set is replayed by `moat replay`): the live gateway, fed the traffic through the openai client
// with one key per account, trusted X-Forwarded-For and the replay clock, ends with the same
// flags, at the same times, as `moat analyze` over the same requests.
test('the live gateway flags what moat analyze flags', { skip: !devSetPresent && 'dev-v1 is not beside the repository' }, async () => {
  const untilMs = Date.parse('2026-03-05T00:00:00Z');
  const prefixDir = await writePrefixSet(DEV_SET, untilMs);
  const dbDir = mkdtempSync(join(tmpdir(), 'moat-live-'));
  const offline = createEngine();
  await replay(prefixDir, offline);
  const live = await liveReplay(prefixDir, { dbPath: join(dbDir, 'moat.db'), concurrency: 16 });
  try {
    const ledgerCount = await countLedger(live);
    assert.equal(ledgerCount, live.outcome.sent, 'every replayed request is in the ledger');
    // On this SQLite store the engine runs in the ledger's worker thread: what is read here is its mirror.
    const detection = live.gateway.detection!;
    const byAccount = (assessments: AccountAssessment[]) => assessments.sort((a, b) => a.account.localeCompare(b.account));
    const flags = (assessments: AccountAssessment[]) =>
      byAccount(assessments)
        .map(toVerdict)
        .filter((v) => v.flagged)
        .map((v) => ({ account: v.account, first_flagged_at: v.first_flagged_at, campaign: v.campaign }));
    const offlineFlags = flags(assessmentsOf(offline));
    assert.ok(offlineFlags.length > 0, 'the prefix holds flagged accounts, so the comparison means something');
    assert.deepEqual(flags(detection.assessments()), offlineFlags);
    // Every account, reasons and group evidence included: the mirror misses no change the engine made.
    // The live engine takes an account once a request passes its creation; replay takes them all.
    const liveAssessments = byAccount(detection.assessments());
    const taken = new Set(liveAssessments.map((a) => a.account));
    const offlineAssessments = assessmentsOf(offline);
    assert.deepEqual(liveAssessments, byAccount(offlineAssessments.filter((a) => taken.has(a.account))));
    assert.deepEqual(
      offlineAssessments.filter((a) => !taken.has(a.account) && (a.requests > 0 || a.campaign !== null)),
      [],
      'only accounts with no request and no group are missing live',
    );
    // Evidence weights count every holder of a value, so replay's extra accounts move them; the groups themselves are the same.
    const groups = (campaigns: CampaignSummary[]) => campaigns.map(({ id, members, flagged, score, reasons }) => ({ id, members, flagged, score, reasons }));
    assert.deepEqual(groups(detection.campaigns()), groups(offline.campaigns()));
  } finally {
    await live.close();
    rmSync(prefixDir, { recursive: true, force: true });
    rmSync(dbDir, { recursive: true, force: true });
  }
});

async function countLedger(live: Awaited<ReturnType<typeof liveReplay>>): Promise<number> {
  let count = 0;
  for await (const _record of live.gateway.store.ledger.scan({})) count++;
  return count;
}
