import { ChangeFeed, type ChangeTopic, type ChangeVersions } from '../change-feed.js';
import type { PgConnection, PgListenClient, PgPool, PgQueryable } from './pg-driver.js';
import { openListenClient } from './pg-open.js';

/** Runs a write and bumps its topic's version in one transaction, then wakes the feed. */
export type VersionedWrite = <T>(topic: ChangeTopic, write: (client: PgQueryable) => Promise<T>) => Promise<T>;

export const CHANGE_CHANNEL = 'moat_changes';

export async function inTransaction<T>(pool: PgPool, run: (client: PgQueryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await run(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

export function postgresChanges(pool: PgPool): { feed: ChangeFeed; write: VersionedWrite } {
  const feed = new ChangeFeed(async () => {
    const { rows } = await pool.query<{ topic: ChangeTopic; version: number }>('SELECT topic, version FROM change_versions');
    return Object.fromEntries(rows.map((row) => [row.topic, row.version])) as ChangeVersions;
  });
  const write: VersionedWrite = async (topic, run) => {
    const result = await inTransaction(pool, async (client) => {
      // First, so the row lock it takes orders concurrent writers of the topic: for the audit
      // log, the next append reads the last entry only after this one commits.
      await client.query('UPDATE change_versions SET version = version + 1 WHERE topic = $1', [topic]);
      const value = await run(client);
      // Delivered to listeners at commit, never for a rolled-back write.
      await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, topic]);
      return value;
    });
    feed.wrote(topic);
    return result;
  };
  return { feed, write };
}

const RECONNECT_MS = [100, 500, 2_000, 5_000];

/**
 * LISTENs on its own connection and wakes the feed on every NOTIFY from any replica. A broken
 * connection is reopened (with backoff, the only timer, and only while broken), and the feed
 * woken once it is back, since notifications sent meanwhile are gone.
 */
export class ChangeListener {
  private client: PgListenClient | undefined;
  private closed = false;
  private attempt = 0;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: PgConnection,
    private readonly feed: ChangeFeed,
  ) {}

  async start(): Promise<void> {
    await this.listen();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = openListenClient(this.connection);
    this.client = client;
    client.on('notification', () => this.feed.wake());
    client.on('error', () => this.broken(client));
    client.on('end', () => this.broken(client));
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    this.attempt = 0;
  }

  private broken(client: PgListenClient): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    const delay = RECONNECT_MS[Math.min(this.attempt++, RECONNECT_MS.length - 1)]!;
    this.retry = setTimeout(() => {
      this.listen().then(
        () => this.feed.wake(),
        () => this.client && this.broken(this.client),
      );
    }, delay);
    this.retry.unref();
  }
}
