import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AckPolicy, connect, DeliverPolicy, nanos, type ConsumerMessages, type JsMsg } from 'nats';
import { inBatches } from '../../src/events/batches.js';
import { MACHINE_NATS } from '../helpers/bus-cluster.js';
import { natsSkip as skip } from '../helpers/scale-out.js';

// The consumers' batching (ledger writer, detector workers): a batch that is not full goes out
// as soon as nothing more has been received, so nothing waits for its ack wait to be redelivered.

test('batches: every record of a stream that ends mid-batch is handed on once, before any redelivery', { skip, timeout: 120_000 }, async () => {
  const nc = await connect({ servers: MACHINE_NATS });
  const jsm = await nc.jetstreamManager();
  const name = `moat_t_batches_${randomBytes(4).toString('hex')}`;
  await jsm.streams.add({ name, subjects: [`${name}.>`] });
  try {
    // Several lengths: the stall came when the client queued a pull request behind the last record.
    for (const count of [300, 640, 1000, 1280]) {
      const durable = `c${count}`;
      // A short ack wait: a record left unacknowledged comes back within the test, and is seen twice.
      await jsm.consumers.add(name, { durable_name: durable, filter_subject: `${name}.${count}`, ack_policy: AckPolicy.Explicit, ack_wait: nanos(2_000), max_ack_pending: 10_000, deliver_policy: DeliverPolicy.All });
      const js = nc.jetstream();
      for (let i = 0; i < count; i++) await js.publish(`${name}.${count}`, new TextEncoder().encode(String(i)));
      const consumer = await js.consumers.get(name, durable);
      const seen: number[] = [];
      const sizes: number[] = [];
      let messages: ConsumerMessages | undefined;
      let all: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (all = resolve));
      const handle = async (batch: JsMsg[]) => {
        sizes.push(batch.length);
        for (const msg of batch) {
          seen.push(Number(new TextDecoder().decode(msg.data)));
          msg.ack();
        }
        if (seen.length >= count) all();
      };
      const reading = inBatches(consumer, { size: 256, ackWaitMs: 2_000 }, handle, (m) => (messages = m));
      await done;
      await messages!.close();
      await reading;
      assert.deepEqual(seen, Array.from({ length: count }, (_, i) => i), `${count} records handed on once each, in order`);
      assert.ok(sizes.every((size) => size <= 256), 'no batch over its size');
    }
  } finally {
    await jsm.streams.delete(name);
    await nc.close();
  }
});
