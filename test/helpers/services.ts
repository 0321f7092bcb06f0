import { Redis } from 'ioredis';

export const REDIS_URL = process.env.MOAT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether tests needing an outside service can run: false to run them, or the reason to skip,
 * printed so a green run that skipped is visible. With MOAT_REQUIRE_SERVICES=1 (CI) a missing
 * service fails the run instead of skipping it.
 */
export async function requireService(name: string, probe: () => Promise<void>): Promise<string | false> {
  try {
    await probe();
    return false;
  } catch (error) {
    const reason = `${name} is not reachable (${error instanceof Error ? error.message : String(error)})`;
    if (process.env.MOAT_REQUIRE_SERVICES === '1') throw new Error(`${reason}, and MOAT_REQUIRE_SERVICES=1 requires it`);
    process.stderr.write(`\n*** SKIPPING tests that need ${name}: ${reason} ***\n\n`);
    return reason;
  }
}

export function redisProbe(url: string = REDIS_URL): () => Promise<void> {
  return async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  };
}

/** A per-run key prefix, so runs and other users of the same Redis never see each other's counters. */
export const uniquePrefix = (name: string): string => `moat:test:${name}:${process.pid}:${Date.now().toString(36)}:`;

/** Deletes a run's keys afterwards (SCAN, in a test only; the gateway never lists keys). */
export async function dropPrefix(prefix: string, url: string = REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 0 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
