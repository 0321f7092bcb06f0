import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { BusCluster, loadSlice } from '../helpers/bus-cluster.js';
import { publishedState } from '../helpers/detection-state.js';
import { DEV_SET } from '../helpers/dev-set.js';
import { active, oneProcess, paced, scaleOutSkip as skip } from '../helpers/scale-out.js';

// Issue 13, acceptance 1 and 2a: the scale-out topology as separate processes (two gateways, two
// detector workers, a ledger writer, the linkage worker) on NATS JetStream and PostgreSQL. The
// gateway-kill and NATS-outage drills run apart (`npm run test:scale-out`): minutes each.

test('two gateways and two detector workers end with one process\'s detection; a detector worker SIGKILLed mid-replay loses and double-counts nothing', { skip, timeout: 900_000 }, async () => {
  const untilMs = Date.parse('2026-03-04T00:00:00Z');
  const slice = await loadSlice(DEV_SET, untilMs);
  const expected = await oneProcess(untilMs);
  assert.ok(expected.groups.length > 0 && expected.accounts.some((a) => a.flagged), 'the slice holds a flag and linked groups, so the comparison means something');
  const cluster = new BusCluster(slice, { gateways: 2, detectors: 2 });
  try {
    await cluster.start();
    let restarted: Promise<unknown> | undefined;
    const victim = cluster.of('detector')[0]!;
    const outcome = await cluster.replay({
      requests: paced(slice.requests, (i) => {
        if (i !== Math.floor(slice.requests.length / 3)) return;
        restarted = cluster.kill(victim).then(async () => {
          await sleep(2_000);
          return cluster.restart(victim);
        });
      }),
    });
    await restarted;
    assert.equal(outcome.sent, slice.requests.length);
    await cluster.stopGateways();
    await cluster.settled(outcome.sent);
    assert.equal((await cluster.ledgerRows()), outcome.sent, 'ledger rows = requests sent');
    const linkage = cluster.of('linkage')[0]!;
    assert.equal(await cluster.metric(linkage, 'moat_linkage_observed'), outcome.sent, 'detection took each request once');
    assert.deepEqual(active(publishedState(await cluster.verdicts())), expected);
  } finally {
    await cluster.close();
  }
});
