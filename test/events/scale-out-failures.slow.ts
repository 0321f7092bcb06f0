import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { BusCluster, freePort, loadSlice } from '../helpers/bus-cluster.js';
import { publishedState } from '../helpers/detection-state.js';
import { DEV_SET } from '../helpers/dev-set.js';
import { active, oneProcess, paced, scaleOutSkip as skip } from '../helpers/scale-out.js';

// Issue 13, acceptance 2b and 3, as drills of several minutes each: `npm run test:scale-out`.

test('a gateway SIGKILLed mid-replay and restarted: every answered request is in the ledger', { skip, timeout: 600_000 }, async () => {
  const slice = await loadSlice(DEV_SET, Date.parse('2026-03-02T12:00:00Z'));
  const cluster = new BusCluster(slice, { gateways: 2, detectors: 1 });
  const answered = new Map<string, number>();
  try {
    await cluster.start();
    const victim = cluster.of('gateway')[0]!;
    let restarted: Promise<unknown> | undefined;
    const outcome = await cluster.replay({
      onAnswer: (recorded, status) => {
        // Status 0: the connection died with the gateway; no answer came back.
        if (status === 0) return;
        const key = `${recorded.account} ${recorded.ts}`;
        answered.set(key, (answered.get(key) ?? 0) + 1);
      },
      requests: paced(slice.requests, async (i) => {
        if (i !== Math.floor(slice.requests.length / 2)) return;
        restarted = cluster.kill(victim).then(() => cluster.restart(victim));
        // Let a few requests meet the dead gateway before it is back.
        await sleep(200);
      }),
    });
    await restarted;
    await cluster.stopGateways();
    const total = [...answered.values()].reduce((a, b) => a + b, 0);
    assert.ok(total > 0 && total < outcome.sent, `requests met the dead gateway (${outcome.sent - total} unanswered)`);
    await cluster.settled(0, total);
    const ledger = (await cluster.ledgerKeys());
    for (const [key, count] of answered) assert.ok((ledger.get(key) ?? 0) >= count, `answered request ${key} is in the ledger`);
    assert.ok((await cluster.ledgerRows()) <= outcome.sent, 'no request counted twice');
  } finally {
    await cluster.close();
  }
});

test('NATS stopped for 30 s mid-replay: gateways keep serving and spool, and nothing is lost or duplicated once it returns', { skip, timeout: 900_000 }, async () => {
  const untilMs = Date.parse('2026-03-02T12:00:00Z');
  const slice = await loadSlice(DEV_SET, untilMs);
  const expected = await oneProcess(untilMs);
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'moat-nats-'));
  let nats = await startNats(port, storeDir);
  const cluster = new BusCluster(slice, { natsUrl: `nats://127.0.0.1:${port}`, gateways: 2, detectors: 2 });
  try {
    await cluster.start();
    const third = Math.floor(slice.requests.length / 3);
    const spooled: number[] = [];
    const outcome = await cluster.replay({
      requests: paced(slice.requests, async (i) => {
        if (i === third) {
          nats.kill('SIGKILL');
          await once(nats, 'exit');
        }
        // The second third is sent over the 30 s NATS is away.
        if (i > third && i < 2 * third) await sleep(30_000 / third);
        if (i === 2 * third) {
          for (const gateway of cluster.of('gateway')) spooled.push(await cluster.metric(gateway, 'moat_events_spool_bytes'));
          nats = await startNats(port, storeDir);
        }
      }),
    });
    assert.equal(outcome.failures[0], undefined, 'no request went unanswered while NATS was away');
    assert.ok(spooled.every((bytes) => bytes > 0), `both gateways spooled while NATS was away (${spooled.join(', ')} bytes)`);
    await cluster.stopGateways();
    await cluster.settled(outcome.sent);
    assert.equal((await cluster.ledgerRows()), outcome.sent, 'ledger rows = requests sent');
    assert.equal(await cluster.metric(cluster.of('linkage')[0]!, 'moat_linkage_observed'), outcome.sent, 'detection took each request once');
    assert.deepEqual(active(publishedState(await cluster.verdicts())), expected);
  } finally {
    await cluster.close();
    nats.kill('SIGTERM');
    rmSync(storeDir, { recursive: true, force: true });
  }
});

/** A nats-server of the test's own (the machine's one on 4222 stays up), with JetStream on a folder kept across restarts. */
async function startNats(port: number, storeDir: string): Promise<ChildProcess> {
  const child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  for (let i = 0; i < 100 && !log.includes('Server is ready'); i++) await sleep(100);
  if (!log.includes('Server is ready')) throw new Error(`nats-server did not start: ${log}`);
  return child;
}
