import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { DecisionLog } from '../../src/enforce/decision-log.js';
import { EnforcementService } from '../../src/enforce/enforcement-service.js';
import { Enforcer } from '../../src/enforce/enforcer.js';
import { policySchema } from '../../src/enforce/policy-schema.js';
import { AuditTailSync } from '../../src/enforce/sync/audit-tail-sync.js';
import { Throttle } from '../../src/enforce/throttle.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { EngineDouble } from './engine-double.js';

// Shadow mode with no rules: the policy never records a decision, so only detection knows the level.
test('a manual action records the level and campaign detection gives the account at that moment', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-standing-'));
  const store = new SqliteStore(join(dir, 'moat.db'));
  try {
    const engine = new EngineDouble();
    const log = new DecisionLog(store, new AuditTailSync(store.audit, store.changes, 0, () => undefined));
    const enforcer = new Enforcer(policySchema.parse({ mode: 'shadow' }), { store, log, throttle: new Throttle(store.limitOverrides), engine, alerts: undefined, logger: pino({ level: 'silent' }) });
    const service = new EnforcementService(store, enforcer);
    await store.accounts.upsert({ account: 'acct_a', created_at: '2026-01-01T00:00:00Z', tier: 'free', country: null, email_domain: null, payment_fingerprint: null, signup_ip: null, verified: false });
    engine.set('acct_a', 'high', 'cmp_1');

    await service.suspend('acct_a', { reason: 'harvest', actor: 'console:alice' });
    engine.set('acct_a', 'suspect', 'cmp_1');
    await service.reinstate('acct_a', { reason: 'review', actor: 'console:bob' });

    const entries = (await store.audit.list({ account: 'acct_a', limit: 10 })).reverse();
    const standing = entries.map((e) => {
      const decision = (e.data as { decision: { level: string; campaign: string | null; clearedLevel: string | null } }).decision;
      return [e.action, e.campaign, decision.level, decision.campaign, decision.clearedLevel];
    });
    // The reinstatement keeps the higher level recorded at the suspension, and clears at it.
    assert.deepEqual(standing, [
      ['suspend', 'cmp_1', 'high', 'cmp_1', null],
      ['reinstate', 'cmp_1', 'high', 'cmp_1', 'high'],
    ]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
