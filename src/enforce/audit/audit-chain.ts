import { createHash } from 'node:crypto';
import type { AuditDraft, AuditEntry, AuditRepository } from '../../store/store.js';

/** The hash the first entry chains onto. */
export const GENESIS = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth, so the same entry always hashes the same
 * whatever order its fields were built or parsed in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The seq is inside the hash, so moving an entry breaks the chain as surely as editing it. */
export function entryHash(seq: number, prevHash: string, draft: AuditDraft): string {
  const body = canonicalJson({ seq, prevHash, at: draft.at, account: draft.account, campaign: draft.campaign, action: draft.action, actor: draft.actor, reason: draft.reason, data: draft.data });
  return createHash('sha256').update(body).digest('hex');
}

export function seal(draft: AuditDraft, last: AuditEntry | undefined): AuditEntry {
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  // Through JSON once, so the hash covers exactly what is stored and read back.
  const data = JSON.parse(JSON.stringify(draft.data ?? null)) as unknown;
  const stored = { ...draft, data };
  return { ...stored, seq, prevHash, hash: entryHash(seq, prevHash, stored) };
}

export const appendAudit = (repository: AuditRepository, draft: AuditDraft): Promise<AuditEntry> => repository.append(draft, seal);

export type Verification = { ok: true; entries: number; head: string } | { ok: false; entries: number; seq: number; problem: string };

/** Walks the whole log: any edited, deleted, inserted or reordered entry breaks it at that point. */
export async function verifyAudit(repository: AuditRepository): Promise<Verification> {
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let entries = 0;
  for await (const entry of repository.scan()) {
    if (entry.seq !== expectedSeq) return { ok: false, entries, seq: entry.seq, problem: `expected entry ${expectedSeq} next, found ${entry.seq}: an entry is missing` };
    if (entry.prevHash !== prevHash) return { ok: false, entries, seq: entry.seq, problem: 'its previous-hash does not match the entry before it: an entry was removed, inserted or moved' };
    if (entryHash(entry.seq, entry.prevHash, entry) !== entry.hash) return { ok: false, entries, seq: entry.seq, problem: 'its content does not match its hash: the entry was edited' };
    prevHash = entry.hash;
    expectedSeq++;
    entries++;
  }
  return { ok: true, entries, head: prevHash };
}
