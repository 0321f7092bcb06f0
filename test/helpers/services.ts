import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

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

export const POSTGRES_URL = process.env.MOAT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function postgresProbe(url: string = POSTGRES_URL): () => Promise<void> {
  return async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}

/**
 * A database of its own (random name) on the test server, so runs and other users of the
 * server never see each other's rows or notifications; `drop` removes it.
 */
export async function temporaryDatabase(name: string, url: string = POSTGRES_URL): Promise<{ url: string; drop(): Promise<void> }> {
  const database = `moat_${name}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const own = new URL(url);
  own.pathname = `/${database}`;
  return {
    url: own.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
