import type Database from 'better-sqlite3';
import type { AuditDraft, AuditEntry, AuditQuery, AuditRepository } from '../store.js';
import type { VersionedWrite } from './sqlite-versions.js';

interface AuditRow {
  seq: number;
  at: string;
  account: string | null;
  campaign: string | null;
  action: string;
  actor: string;
  reason: string;
  data: string;
  prev_hash: string;
  hash: string;
}

const fromRow = (row: AuditRow): AuditEntry => ({
  seq: row.seq,
  at: row.at,
  account: row.account,
  campaign: row.campaign,
  action: row.action,
  actor: row.actor,
  reason: row.reason,
  data: JSON.parse(row.data) as unknown,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export class SqliteAuditRepository implements AuditRepository {
  private readonly lastStatement: Database.Statement<[], AuditRow>;
  private readonly insertStatement: Database.Statement;
  private readonly newestStatement: Database.Statement<[number], AuditRow>;
  private readonly newestByAccountStatement: Database.Statement<[string, number], AuditRow>;
  private readonly afterStatement: Database.Statement<[number, number], AuditRow>;
  private readonly afterByAccountStatement: Database.Statement<[string, number, number], AuditRow>;

  constructor(
    db: Database.Database,
    private readonly write: VersionedWrite,
  ) {
    this.lastStatement = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insertStatement = db.prepare(
      `INSERT INTO audit_log (seq, at, account, campaign, action, actor, reason, data, prev_hash, hash)
       VALUES (@seq, @at, @account, @campaign, @action, @actor, @reason, @data, @prevHash, @hash)`,
    );
    this.newestStatement = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?');
    this.newestByAccountStatement = db.prepare('SELECT * FROM audit_log WHERE account = ? ORDER BY seq DESC LIMIT ?');
    this.afterStatement = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');
    this.afterByAccountStatement = db.prepare('SELECT * FROM audit_log WHERE account = ? AND seq > ? ORDER BY seq LIMIT ?');
  }

  async append(draft: AuditDraft, seal: (draft: AuditDraft, last: AuditEntry | undefined) => AuditEntry): Promise<AuditEntry> {
    // The write is IMMEDIATE: it takes the lock before reading the last entry, so two processes never chain onto the same one.
    return this.write('audit', () => {
      const last = this.lastStatement.get();
      const entry = seal(draft, last && fromRow(last));
      this.insertStatement.run({ ...entry, data: JSON.stringify(entry.data) });
      return entry;
    });
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const limit = query.limit ?? 100;
    const rows =
      query.afterSeq !== undefined
        ? query.account !== undefined
          ? this.afterByAccountStatement.all(query.account, query.afterSeq, limit)
          : this.afterStatement.all(query.afterSeq, limit)
        : query.account !== undefined
          ? this.newestByAccountStatement.all(query.account, limit)
          : this.newestStatement.all(limit);
    return rows.map(fromRow);
  }

  async *scan(pageSize = 1000): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const rows = this.afterStatement.all(after, pageSize);
      for (const row of rows) yield fromRow(row);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.seq;
    }
  }
}
