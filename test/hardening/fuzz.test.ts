import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StandInUpstream } from '../../src/upstream/stand-in.js';
import { runFuzz } from '../helpers/fuzz/run.js';
import { MODELS } from '../helpers/gateway-fixture.js';
import { startReliabilityGateway } from '../helpers/reliability-gateway.js';

// The short fuzz (acceptance 2); `npm run reliability:fuzz` runs the full 100,000.
const COUNT = Number(process.env.MOAT_FUZZ_COUNT ?? 5_000);
const SEED = Number(process.env.MOAT_FUZZ_SEED ?? 20261201);

test(`fuzz: ${COUNT} generated requests over every surface: no 5xx, no crash, no hang, no leak, OpenAI-shaped errors, every metered request in the ledger`, async (t) => {
  const upstream = new StandInUpstream({ models: [...MODELS, 'gpt-4.1-nano'] });
  const gateway = await startReliabilityGateway({ upstreamUrl: await upstream.listen() });
  try {
    const report = await runFuzz({ url: gateway.url, pid: gateway.child.pid!, ctx: gateway.ctx, count: COUNT, seed: SEED, concurrency: 8, hugeChance: 0.005, slowChance: 0.02 });
    t.diagnostic(`seed ${SEED}: ${report.requests} requests in ${report.seconds.toFixed(1)} s, statuses ${JSON.stringify(report.statuses)}, RSS ${report.rssMb.first.toFixed(0)} -> max ${report.rssMb.max.toFixed(0)} MB`);
    assert.deepEqual(report.failures, [], `seed ${SEED}: ${report.failureCount} failures`);
    assert.equal(gateway.child.exitCode, null, 'the gateway is still running');
    assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
    assert.ok(report.rssMb.max < 1024, `RSS stayed bounded (${report.rssMb.max.toFixed(0)} MB)`);
    assert.equal(await gateway.stop(), 0);
    const ledger = await gateway.ledgerIds();
    const missing = report.meteredIds.filter((id) => !ledger.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${report.meteredIds.length} metered requests missing from the ledger`);
    assert.ok(report.meteredIds.length > COUNT / 10, 'the fuzz reached the handlers');
  } finally {
    await gateway.stop();
    await upstream.close();
    gateway.remove();
  }
});
