import type { AuditDraft, AuditEntry, AuditQuery, AuditRepository } from '../store.js';
import type { PgPool } from './pg-driver.js';
import type { VersionedWrite } from './pg-versions.js';

interface AuditRow extends Omit<AuditEntry, 'data'> {
  data: string;
}

const COLUMNS = 'seq, at, account, campaign, action, actor, reason, data, prev_hash AS "prevHash", hash';
const fromRow = (row: AuditRow): AuditEntry => ({ ...row, data: JSON.parse(row.data) as unknown });

export class PostgresAuditRepository implements AuditRepository {
  constructor(
    private readonly pool: PgPool,
    private readonly write: VersionedWrite,
  ) {}

  async append(draft: AuditDraft, seal: (draft: AuditDraft, last: AuditEntry | undefined) => AuditEntry): Promise<AuditEntry> {
    // The versioned write locks the audit topic's row first: appends from every replica queue
    // there, so each reads the last entry only once the one before it has committed.
    return this.write('audit', async (client) => {
      const { rows } = await client.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT 1`);
      const entry = seal(draft, rows[0] && fromRow(rows[0]));
      await client.query(
        `INSERT INTO audit_log (seq, at, account, campaign, action, actor, reason, data, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [entry.seq, entry.at, entry.account, entry.campaign, entry.action, entry.actor, entry.reason, JSON.stringify(entry.data), entry.prevHash, entry.hash],
      );
      return entry;
    });
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const limit = query.limit ?? 100;
    const account = query.account !== undefined;
    const where = [account ? 'account = $2' : '', query.afterSeq !== undefined ? `seq > $${account ? 3 : 2}` : ''].filter(Boolean);
    const order = query.afterSeq !== undefined ? 'seq' : 'seq DESC';
    const parameters: unknown[] = [limit];
    if (account) parameters.push(query.account);
    if (query.afterSeq !== undefined) parameters.push(query.afterSeq);
    const sql = `SELECT ${COLUMNS} FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT $1`;
    return (await this.pool.query<AuditRow>(sql, parameters)).rows.map(fromRow);
  }

  async *scan(pageSize = 1000): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const entries = await this.list({ afterSeq: after, limit: pageSize });
      yield* entries;
      if (entries.length < pageSize) return;
      after = entries[entries.length - 1]!.seq;
    }
  }
}
