import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { connect, headers } from 'nats';
import { pino } from 'pino';
import { KeyService } from '../../src/auth/key-service.js';
import { parseConfig } from '../../src/config/load.js';
import { requestFeatures } from '../../src/detect/features.js';
import { createEngine } from '../../src/detect/index.js';
import { busNames, ensureStreams } from '../../src/events/bus.js';
import { observationOf } from '../../src/events/observation.js';
import { encodeWatermark } from '../../src/events/watermark.js';
import { toLedgerRecord, toTrafficRequest } from '../../src/ledger/record.js';
import { openStore, sqliteConfig } from '../../src/store/open-store.js';
import { LinkageWorker } from '../../src/workers/linkage-worker.js';
import { loadSlice, MACHINE_NATS } from '../helpers/bus-cluster.js';
import { DEV_SET } from '../helpers/dev-set.js';
import { scaleOutSkip as skip } from '../helpers/scale-out.js';

// The linkage worker's release point moves on watermarks and gateway timeouts alone, with no
// request after them: the last requests of a replay (or of a quiet hour) are never held forever.

test('linkage worker: requests held for a gateway are released by its last watermark, or its timeout, with no request after them; a dropped gateway\'s stale watermark does not hold detection again', { skip, timeout: 120_000 }, async () => {
  const slice = await loadSlice(DEV_SET, Date.parse('2026-03-02T00:10:00Z'));
  const dir = mkdtempSync(join(tmpdir(), 'moat-linkage-'));
  const store = await openStore(sqliteConfig(join(dir, 'moat.db')));
  const keys = new KeyService(store);
  const requests = slice.requests.slice(0, 3);
  for (const account of slice.accounts.filter((a) => requests.some((r) => r.account === a.account))) await keys.upsertAccount(account);
  const config = parseConfig({ events: { nats: { servers: [MACHINE_NATS], name: `moat_t_${randomBytes(5).toString('hex')}`, partitions: 2 } } }, {});
  const nats = config.events.nats!;
  const names = busNames(nats);
  const nc = await connect({ servers: MACHINE_NATS });
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  await ensureStreams(jsm, nats, config.detection.warmUpDays);
  const worker = new LinkageWorker({ nc, names, store, engine: createEngine(), intervalMs: 50, gatewayTimeoutMs: 1_000, logger: pino({ level: 'silent' }) });
  const kind = headers();
  kind.set('Moat-Kind', 'watermark');
  const watermark = async (gateway: string, ms: number, partitions = [0, 1]) => {
    for (const p of partitions) await js.publish(names.observation(p), encodeWatermark({ gateway, ms }), { headers: kind });
  };
  const say = (gateway: string, ms: number) => nc.publish(names.presence, encodeWatermark({ gateway, ms }));
  const observe = async (i: number) => {
    const record = toLedgerRecord(requests[i]!);
    const data = new TextEncoder().encode(JSON.stringify(observationOf(record, requestFeatures(toTrafficRequest(record)))));
    await js.publish(names.observation(names.partitionOf(record.account)), data, { msgID: record.id });
    while (worker.observed < i + 1) await sleep(20);
  };
  const released = async () => {
    while (worker.buffered > 0) await sleep(20);
  };
  const at = (i: number) => Date.parse(requests[i]!.ts);
  try {
    await worker.start();

    // A gateway stopping cleanly: its last watermark comes after its last request.
    say('stopping', Date.now());
    await watermark('stopping', at(0) - 1);
    await observe(0);
    assert.equal(worker.buffered, 1, 'held: the gateway has not passed it yet');
    await watermark('stopping', Number.POSITIVE_INFINITY);
    say('stopping', Number.POSITIVE_INFINITY);
    await released();

    // A gateway killed: silent after its last request, given up after the timeout.
    say('killed', Date.now());
    await watermark('killed', at(1) - 1);
    await observe(1);
    await released();

    // Read again later (a detector worker's redelivery): the killed gateway's old watermark on one partition.
    await watermark('killed', at(1) - 1, [0]);
    await observe(2);
    assert.equal(worker.watermark(), Number.POSITIVE_INFINITY, 'no gateway is waited for: the dropped one stays dropped');
    await released();
    assert.equal(worker.observed, 3);
  } finally {
    await worker.close();
    await store.close();
    for (const stream of [names.eventStream, names.observationStream]) await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
