import type Database from 'better-sqlite3';
import { ChangeFeed, type ChangeTopic, type ChangeVersions } from '../change-feed.js';

/** Runs a write and bumps its topic's version in one transaction, then wakes the feed. */
export type VersionedWrite = <T>(topic: ChangeTopic, write: () => T) => T;

export function sqliteChanges(db: Database.Database): { feed: ChangeFeed; write: VersionedWrite } {
  const read = db.prepare<[], { topic: ChangeTopic; version: number }>('SELECT topic, version FROM change_versions');
  const bump = db.prepare<[ChangeTopic]>('UPDATE change_versions SET version = version + 1 WHERE topic = ?');
  const feed = new ChangeFeed(async () => Object.fromEntries(read.all().map((row) => [row.topic, row.version])) as ChangeVersions);
  const write: VersionedWrite = (topic, run) => {
    // IMMEDIATE: take the write lock first, so a read inside `run` (the audit chain's last entry) cannot go stale.
    const result = db.transaction(() => {
      const value = run();
      bump.run(topic);
      return value;
    }).immediate();
    feed.wrote(topic);
    return result;
  };
  return { feed, write };
}
