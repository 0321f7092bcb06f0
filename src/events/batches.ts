import type { Consumer, ConsumerMessages, JsMsg } from 'nats';

/**
 * Reads a pull consumer continuously and hands its messages on in batches, in delivery order: a
 * batch ends when it is full or nothing more is waiting. Continuous pulls (not one fetch per
 * batch) so no message arrives after a fetch expired, to sit unacknowledged until its ack wait.
 * Resolves when `messages` is closed (by `stop`) or the consumer fails.
 */
export async function inBatches(consumer: Consumer, size: number, handle: (batch: JsMsg[]) => Promise<void>, opened: (messages: ConsumerMessages) => void): Promise<void> {
  const messages = await consumer.consume({ max_messages: size * 2 });
  opened(messages);
  let batch: JsMsg[] = [];
  for await (const msg of messages) {
    batch.push(msg);
    // The count includes the message just yielded: more than one means more are waiting.
    if (batch.length < size && messages.getPending() > 1) continue;
    const full = batch;
    batch = [];
    await handle(full);
  }
}
