import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Consumer, ConsumerMessages, JsMsg } from 'nats';

export interface BatchOptions {
  size: number;
  /** The consumer's ack wait: a batch still being handled is reported as in progress well within it. */
  ackWaitMs: number;
}

const IDLE = Symbol('idle');

/**
 * Reads a pull consumer continuously and hands its messages on in batches, in delivery order: a
 * batch ends when it is full or no further message has already been received. Continuous pulls
 * (not one fetch per batch) so no message arrives after a fetch expired, to sit unacknowledged
 * until its ack wait.
 *
 * "Already received" is one turn of the event loop: the client's own count of what it holds
 * (`getPending`) also counts the pull requests it queues between messages, so after the stream's
 * last message it said more were waiting and the batch sat unacknowledged until its ack wait
 * redelivered it (the bus benchmark's 30 s stalls).
 * Resolves when `messages` is closed (by `stop`) or the consumer fails.
 */
export async function inBatches(consumer: Consumer, options: BatchOptions, handle: (batch: JsMsg[]) => Promise<void>, opened: (messages: ConsumerMessages) => void): Promise<void> {
  const messages = await consumer.consume({ max_messages: options.size * 2 });
  opened(messages);
  const iterator = messages[Symbol.asyncIterator]();
  let batch: JsMsg[] = [];
  // Pending across a slow batch: a failure meanwhile is thrown where it is awaited, not left unhandled.
  const read = () => {
    const promise = iterator.next();
    promise.catch(() => undefined);
    return promise;
  };
  let next = read();
  for (;;) {
    const result = batch.length === 0 ? await next : await Promise.race([next, nextTurn(IDLE)]);
    if (result !== IDLE) {
      // Closed: a batch not handed on is not acknowledged, and comes again.
      if (result.done) return;
      batch.push(result.value);
      next = read();
      if (batch.length < options.size) continue;
    }
    const full = batch;
    batch = [];
    await inProgress(full, options.ackWaitMs, () => handle(full));
  }
}

/** A slow write (a store under load) must not have its batch redelivered to another writer meanwhile. */
async function inProgress(batch: readonly JsMsg[], ackWaitMs: number, run: () => Promise<void>): Promise<void> {
  const timer = setInterval(() => {
    for (const msg of batch) msg.working();
  }, Math.max(1_000, Math.floor(ackWaitMs / 3)));
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
}
