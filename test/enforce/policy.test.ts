import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountAssessment } from '../../src/detect/types.js';
import { propose } from '../../src/enforce/policy-evaluator.js';
import { enforcementSchema, policySchema } from '../../src/enforce/policy-schema.js';

const assessment = (over: Partial<AccountAssessment>): AccountAssessment => ({ account: 'a', score: 0, evidence: 0, level: 'none', flagged: false, firstFlaggedAt: null, campaign: null, reasons: [], requests: 1, ...over });

test('the default policy: shadow mode; none nothing, watch log, suspect throttles, high suspends', () => {
  const policy = policySchema.parse({});
  assert.equal(policy.mode, 'shadow');
  assert.deepEqual(propose(policy, 'default', assessment({}), null).actions, []);
  assert.deepEqual(propose(policy, 'default', assessment({ level: 'watch' }), null).actions, ['log']);
  assert.deepEqual(propose(policy, 'default', assessment({ level: 'suspect' }), null).actions, ['alert', 'throttle', 'withhold_reasoning', 'refuse_risky_params']);
  assert.deepEqual(propose(policy, 'default', assessment({ level: 'high' }), null).actions, ['alert', 'suspend_account']);
  assert.deepEqual(propose(policy, 'default', assessment({ level: 'suspect', requests: 1000 }), null).actions, ['alert', 'suspend_account'], 'persistent-suspect');
  assert.deepEqual(propose(policy, 'default', assessment({ level: 'watch', campaign: 'k1' }), 'high').actions, ['alert', 'suspend_account'], 'a high campaign takes its members');
});

test('per-tier policies and explicit rules', () => {
  const policy = policySchema.parse({
    tiers: {
      enterprise: { levels: { high: ['alert'] } },
      '*': { levels: { suspect: ['throttle'] }, rules: [{ name: 'reasoning-harvest', when: { minLevel: 'watch', signal: 'cot-elicitation' }, actions: ['withhold_reasoning', 'cap_max_tokens'] }] },
    },
  });
  assert.deepEqual(propose(policy, 'enterprise', assessment({ level: 'high' }), null).actions, ['alert']);
  const cot = assessment({ level: 'watch', reasons: [{ signal: 'cot-elicitation', value: 0.9, text: '', scope: 'account' }] });
  assert.deepEqual(propose(policy, 'free', cot, null), { actions: ['cap_max_tokens', 'withhold_reasoning'], reason: 'level watch (score 0); rule reasoning-harvest' });
});

test('a bad policy lists what is wrong', () => {
  const result = enforcementSchema.safeParse({ policy: { mode: 'sometimes', tiers: { '*': { levels: { high: ['explode'] } } } } });
  assert.equal(result.success, false);
  assert.deepEqual(result.error!.issues.map((i) => i.path.join('.')).sort(), ['policy.mode', 'policy.tiers.*.levels.high.0']);
});
