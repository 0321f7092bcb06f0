import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { appendAudit } from '../../src/enforce/audit/audit-chain.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** A log of five entries in a fresh database; returns its path. */
async function writeLog(): Promise<{ dir: string; dbPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'moat-audit-'));
  const dbPath = join(dir, 'moat.db');
  const store = new SqliteStore(dbPath);
  for (let i = 1; i <= 5; i++) {
    await appendAudit(store.audit, {
      at: `2026-03-0${i}T00:00:00.000Z`,
      account: `acct_${i}`,
      campaign: null,
      action: i % 2 ? 'suspend' : 'reinstate',
      actor: 'alice',
      reason: `case ${i}`,
      data: { decision: { account: `acct_${i}`, actions: i % 2 ? ['suspend_account'] : [], nested: { b: 2, a: 1 } } },
    });
  }
  await store.close();
  return { dir, dbPath };
}

function verify(dbPath: string): { status: number | null; output: { ok: boolean; seq?: number; problem?: string; entries: number } } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'audit', 'verify', '--db', dbPath], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, output: JSON.parse(run.stdout) };
}

function tamper(dbPath: string, sql: string): void {
  const db = new Database(dbPath);
  db.exec(sql);
  db.close();
}

async function withLog(work: (dbPath: string) => void): Promise<void> {
  const { dir, dbPath } = await writeLog();
  try {
    work(dbPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('moat audit verify passes an untouched log', () =>
  withLog((dbPath) => {
    const { status, output } = verify(dbPath);
    assert.equal(status, 0);
    assert.deepEqual({ ok: output.ok, entries: output.entries }, { ok: true, entries: 5 });
  }));

test('moat audit verify fails on an edited entry', () =>
  withLog((dbPath) => {
    tamper(dbPath, `UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 3`);
    const { status, output } = verify(dbPath);
    assert.equal(status, 1);
    assert.equal(output.ok, false);
    assert.equal(output.seq, 3);
    assert.match(output.problem!, /edited/);
  }));

test('moat audit verify fails on an edited entry whose hash was recomputed to match', () =>
  withLog((dbPath) => {
    // Rewriting the hash too moves the break to the next entry, which still names the old one.
    tamper(dbPath, `UPDATE audit_log SET data = '{"decision":{"account":"acct_3","actions":[]}}', hash = '${'f'.repeat(64)}' WHERE seq = 3`);
    const { status, output } = verify(dbPath);
    assert.equal(status, 1);
    assert.equal(output.seq, 3);
  }));

test('moat audit verify fails on a deleted entry', () =>
  withLog((dbPath) => {
    tamper(dbPath, 'DELETE FROM audit_log WHERE seq = 2');
    const { status, output } = verify(dbPath);
    assert.equal(status, 1);
    assert.equal(output.ok, false);
    assert.equal(output.seq, 3);
    assert.match(output.problem!, /missing/);
  }));

test('moat audit verify fails on reordered entries', () =>
  withLog((dbPath) => {
    // Entries 2 and 4 trade places, each keeping its own content and hashes.
    tamper(dbPath, 'UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = -2;');
    const { status, output } = verify(dbPath);
    assert.equal(status, 1);
    assert.equal(output.ok, false);
    assert.equal(output.seq, 2);
  }));
