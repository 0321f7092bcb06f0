import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Decision } from '../../src/enforce/decision.js';
import { DEFAULT_TIER_POLICY } from '../../src/enforce/policy-schema.js';
import { liveReplay } from '../../src/replay/live-replay.js';
import type { AuditEntry } from '../../src/store/store.js';
import { DEV_SET, devSetPresent } from '../helpers/dev-set.js';
import { writeSubset, type Subset } from './subset.js';

// dev-v1 labels: a P1 bulk harvester (campaign c03, running 03:53-14:40 on March 6), a product back
// end and a batch job, over the day and a half around the harvest.
const HARVESTER = 'acct_usfkdznh';
const SAAS = 'acct_biuz27mo';
const BATCH = 'acct_kb62v7sw';
const SINCE = Date.parse('2026-03-05T12:00:00Z');
const UNTIL = Date.parse('2026-03-06T18:00:00Z');
// Wall-clock limits against a replay that runs days in seconds: loose enough that detection
// keeps seeing the harvester after the throttle, so the next step (suspension) is reached.
const THROTTLE = { requestsPerMinute: 600 };
// The default levels, plus an explicit rule: an account still harvesting well after it was
// found suspect is suspended.
// Calibrated scores climb in decades of rarity, and a replay feeds hundreds of requests per drain:
// the harvester can pass from watch to high in one. High throttles here too, so the test sees the
// graduated steps of the machinery, not the granularity of the score.
const POLICY = {
  throttle: THROTTLE,
  tiers: {
    '*': {
      ...DEFAULT_TIER_POLICY,
      levels: { ...DEFAULT_TIER_POLICY.levels, high: ['alert', 'throttle', 'withhold_reasoning'] },
      rules: [{ name: 'persistent-suspect', when: { minLevel: 'suspect', minRequests: 600 }, actions: ['alert', 'suspend_account'] }],
    },
  },
};

const skip = !devSetPresent && 'dev-v1 is not beside the repository';
let subset: Subset;
before(async () => {
  if (!skip) subset = await writeSubset(DEV_SET, [HARVESTER, SAAS, BATCH], UNTIL, SINCE);
});
after(() => subset && rmSync(subset.dir, { recursive: true, force: true }));

async function replayWith(mode: 'enforce' | 'shadow') {
  const dbDir = mkdtempSync(join(tmpdir(), 'moat-enforce-e2e-'));
  const live = await liveReplay(subset.dir, { dbPath: join(dbDir, 'moat.db'), concurrency: 8, config: { enforcement: { policy: { mode, ...POLICY } } } });
  await live.gateway.enforcement!.enforcer.idle();
  const audit = (await live.gateway.store.audit.list({ afterSeq: 0, limit: 10_000 })) as AuditEntry[];
  return {
    live,
    audit,
    decisions: (account: string) => audit.filter((e) => e.account === account && e.action === 'policy').map((e) => (e.data as { decision: Decision }).decision),
    async close() {
      await live.close();
      rmSync(dbDir, { recursive: true, force: true });
    },
  };
}

const refusedByMoat = (run: Awaited<ReturnType<typeof replayWith>>, account: string) =>
  (run.live.outcome.refusedByAccount.get(account) ?? 0) - (subset.recordedRefusals.get(account) ?? 0);

test('enforcing: the harvester is throttled, then suspended; the product back end and the batch job are never touched', { skip, timeout: 120_000 }, async () => {
  const run = await replayWith('enforce');
  try {
    const steps = run.decisions(HARVESTER);
    const throttledAt = steps.findIndex((d) => d.actions.includes('throttle'));
    const suspendedAt = steps.findIndex((d) => d.actions.includes('suspend_account'));
    assert.ok(throttledAt >= 0, `throttled (decisions: ${JSON.stringify(steps.map((d) => d.actions))})`);
    assert.ok(suspendedAt > throttledAt, `suspended after being throttled (decisions: ${JSON.stringify(steps.map((d) => [d.level, d.actions, d.reason]))})`);
    assert.ok(steps.every((d) => d.enforced));
    assert.equal(run.live.gateway.enforcement!.enforcer.servingDecision(HARVESTER)?.actions.includes('suspend_account'), true);
    assert.ok(refusedByMoat(run, HARVESTER) > 0, 'the harvester was refused requests');
    for (const benign of [SAAS, BATCH]) {
      assert.deepEqual(run.audit.filter((e) => e.account === benign), [], `${benign} has no audit entry`);
      assert.equal(refusedByMoat(run, benign), 0, `${benign} was refused nothing`);
    }
  } finally {
    await run.close();
  }
});

test('shadow mode: the same decisions are recorded, and nothing changes for anyone', { skip, timeout: 120_000 }, async () => {
  const run = await replayWith('shadow');
  try {
    const steps = run.decisions(HARVESTER);
    assert.ok(steps.some((d) => d.actions.includes('suspend_account')), 'the suspension is decided and recorded');
    assert.ok(steps.every((d) => !d.enforced), 'as shadow decisions');
    for (const account of [HARVESTER, SAAS, BATCH]) {
      assert.equal(refusedByMoat(run, account), 0, `${account} was refused nothing`);
      assert.equal(run.live.gateway.enforcement!.enforcer.servingDecision(account), undefined);
    }
    assert.equal(run.live.outcome.sent, [...subset.requests.values()].reduce((a, b) => a + b, 0));
  } finally {
    await run.close();
  }
});
