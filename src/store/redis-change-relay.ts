import { Redis } from 'ioredis';
import type { ChangeFeed } from './change-feed.js';

export interface ChangeRelayOptions {
  url: string;
  /** The channel is `<channelPrefix>store`, so deployments sharing a Redis keep apart. */
  channelPrefix: string;
}

/**
 * Passes this process's store writes to other replicas over Redis pub/sub, and wakes this
 * process's feed on theirs. The message carries only the topic: the versions in the store say
 * what changed, so a message lost while disconnected costs nothing once the next wake-up
 * (at the latest, the reconnection) re-reads them.
 */
export async function relayChanges(feed: ChangeFeed, options: ChangeRelayOptions): Promise<{ close(): Promise<void> }> {
  const channel = `${options.channelPrefix}store`;
  const connect = { lazyConnect: true, maxRetriesPerRequest: 1 };
  const publisher = new Redis(options.url, connect);
  const subscriber = new Redis(options.url, connect);
  // Errors are reconnects in progress; the feed's versions make up for what they miss.
  for (const client of [publisher, subscriber]) client.on('error', () => undefined);
  await Promise.all([publisher.connect(), subscriber.connect()]);
  subscriber.on('message', () => feed.wake());
  // Attached after the first connection: every later `ready` is a reconnection, after which ioredis resubscribes.
  subscriber.on('ready', () => feed.wake());
  await subscriber.subscribe(channel);
  const stopRelaying = feed.onWrite((topic) => void publisher.publish(channel, topic).catch(() => undefined));
  return {
    async close() {
      stopRelaying();
      subscriber.disconnect();
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}
