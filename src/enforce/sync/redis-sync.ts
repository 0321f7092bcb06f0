import { Redis } from 'ioredis';
import type { DecisionSync, SyncMessage } from './decision-sync.js';
import { asSyncMessage } from './decision-sync.js';

export interface RedisSyncOptions {
  url: string;
  keyPrefix: string;
  onError: (error: unknown) => void;
}

/**
 * Keeps the newest of two copies (by audit seq) in the hash and announces it, in one step, so
 * two replicas deciding about one account at once cannot leave the older decision standing.
 */
const PUT_NEWER = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and tonumber(cjson.decode(current).seq) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('PUBLISH', KEYS[2], ARGV[4])
return 1`;

/**
 * Decisions in one Redis hash (the truth every replica can re-read) and announced on a
 * channel (how a change reaches the others within milliseconds); a full re-read after each
 * reconnection covers messages published while the replica was disconnected, so nothing polls.
 */
export class RedisSync implements DecisionSync {
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly decisionsKey: string;
  private readonly policyKey: string;
  private readonly channel: string;

  constructor(private readonly options: RedisSyncOptions) {
    const connect = { maxRetriesPerRequest: 1, lazyConnect: true };
    this.redis = new Redis(options.url, connect);
    this.subscriber = new Redis(options.url, connect);
    for (const client of [this.redis, this.subscriber]) client.on('error', options.onError);
    this.decisionsKey = `${options.keyPrefix}decisions`;
    this.policyKey = `${options.keyPrefix}policy`;
    this.channel = `${options.keyPrefix}changes`;
  }

  async start(listener: (message: SyncMessage) => void): Promise<void> {
    await Promise.all([this.redis.connect(), this.subscriber.connect()]);
    this.subscriber.on('message', (_channel: string, text: string) => {
      const message = parse(text);
      if (message) listener(message);
    });
    await this.subscriber.subscribe(this.channel);
    await this.resync(listener);
    // Attached after the first connection: every later `ready` is a reconnection (ioredis resubscribes by itself).
    this.subscriber.on('ready', () => void this.resync(listener).catch(this.options.onError));
  }

  async publish(message: SyncMessage): Promise<void> {
    const text = JSON.stringify(message);
    if (message.type === 'decision') {
      const { decision } = message;
      await this.redis.eval(PUT_NEWER, 2, this.decisionsKey, this.channel, decision.account, decision.seq, JSON.stringify(decision), text);
    } else {
      await this.redis.multi().set(this.policyKey, text).publish(this.channel, text).exec();
    }
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async resync(listener: (message: SyncMessage) => void): Promise<void> {
    const [all, policy] = await Promise.all([this.redis.hgetall(this.decisionsKey), this.redis.get(this.policyKey)]);
    for (const text of Object.values(all)) {
      const message = parse(`{"type":"decision","decision":${text}}`);
      if (message) listener(message);
    }
    const policyMessage = policy === null ? undefined : parse(policy);
    if (policyMessage) listener(policyMessage);
  }
}

function parse(text: string): SyncMessage | undefined {
  try {
    return asSyncMessage(JSON.parse(text));
  } catch {
    return undefined;
  }
}
