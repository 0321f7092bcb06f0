import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { emptyDecision, type Decision } from '../../src/enforce/decision.js';
import type { ActionName } from '../../src/enforce/policy-schema.js';
import { admin, MODELS, startFixture, type Fixture } from '../helpers/gateway-fixture.js';

/** An upstream of a reasoning model: its answers carry reasoning beside the content. */
async function reasoningUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const usage = { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 };
      if (JSON.parse(body).stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (delta: object, extra: object = {}) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
        response.end(chunk({ role: 'assistant', reasoning_content: 'Let me think step by step' }) + chunk({ content: 'Paris' }) + `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [], usage })}\n\ndata: [DONE]\n\n`);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'Paris', reasoning_content: 'Let me think step by step' }, finish_reason: 'stop' }], usage }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Capital of France?' }] };

async function errorOf(work: () => Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await work();
  } catch (error) {
    assert.ok(error instanceof OpenAI.APIError, String(error));
    return error;
  }
  assert.fail('the request was not refused');
}

describe('actions in force, through the gateway', () => {
  let fixture: Fixture;
  let upstream: Awaited<ReturnType<typeof reasoningUpstream>>;
  before(async () => {
    upstream = await reasoningUpstream();
    fixture = await startFixture({ config: { upstreams: [{ name: 'reasoner', baseUrl: upstream.url, models: MODELS }], enforcement: { policy: { mode: 'enforce', maxTokensCap: 64 } } } });
  });
  after(async () => {
    await fixture.close();
    await upstream.close();
  });

  // Marked manual, so the policy (detection sees the fixture account as harmless) leaves them be.
  const impose = (actions: ActionName[], extra: Partial<Decision> = {}) =>
    fixture.gateway.enforcement!.enforcer.commit({ ...emptyDecision(fixture.account, new Date().toISOString()), actions, manual: true, maxTokensCap: 64, reason: 'test', actor: 'test', ...extra }, 'suspend');

  test('no decision: reasoning passes through untouched', async () => {
    const answer = await fixture.client().chat.completions.create(ask);
    assert.equal((answer.choices[0]!.message as unknown as { reasoning_content?: string }).reasoning_content, 'Let me think step by step');
  });

  test('withhold_reasoning strips reasoning from JSON answers and from streams, and keeps the answer', async () => {
    await impose(['withhold_reasoning']);
    const answer = await fixture.client().chat.completions.create(ask);
    assert.equal(answer.choices[0]!.message.content, 'Paris');
    assert.equal('reasoning_content' in answer.choices[0]!.message, false);
    const deltas: object[] = [];
    for await (const chunk of await fixture.client().chat.completions.create({ ...ask, stream: true })) if (chunk.choices[0]) deltas.push(chunk.choices[0].delta);
    assert.deepEqual(deltas, [{ role: 'assistant' }, { content: 'Paris' }]);
  });

  test('refuse_risky_params: logprobs, top_logprobs, logit_bias and n > 1 get 400 parameter_not_allowed', async () => {
    await impose(['refuse_risky_params']);
    for (const [param, extra] of [['logprobs', { logprobs: true }], ['top_logprobs', { top_logprobs: 5 }], ['logit_bias', { logit_bias: { '50256': -100 } }], ['n', { n: 4 }]] as const) {
      const error = await errorOf(() => fixture.client().chat.completions.create({ ...ask, ...extra }));
      assert.deepEqual([error.status, error.code, error.param], [400, 'parameter_not_allowed', param]);
    }
    assert.equal((await fixture.client().chat.completions.create(ask)).choices[0]!.message.content, 'Paris');
  });

  test('require_verification: 403 verification_required; suspend_account: 403 account_suspended', async () => {
    await impose(['require_verification']);
    const unverified = await errorOf(() => fixture.client().chat.completions.create(ask));
    assert.ok(unverified instanceof OpenAI.PermissionDeniedError);
    assert.equal(unverified.code, 'verification_required');
    await impose(['suspend_account']);
    const suspended = await errorOf(() => fixture.client().chat.completions.create(ask));
    assert.deepEqual([suspended.status, suspended.code, (suspended.error as { type: string }).type], [403, 'account_suspended', 'permission_error']);
  });

  test('suspend_key blocks only the keys it names', async () => {
    await impose(['suspend_key'], { keys: ['key_somebody_else'] });
    assert.equal((await fixture.client().chat.completions.create(ask)).choices[0]!.message.content, 'Paris');
    const keys = await fixture.gateway.keys.listKeys(fixture.account);
    await impose(['suspend_key'], { keys: keys.map((k) => k.id) });
    assert.equal((await errorOf(() => fixture.client().chat.completions.create(ask))).code, 'account_suspended');
  });

  test('shadow decisions change nothing', async () => {
    await impose(['suspend_account', 'refuse_risky_params'], { enforced: false });
    assert.equal((await fixture.client().chat.completions.create({ ...ask, n: 2 })).choices[0]!.message.content, 'Paris');
  });

  test('admin API: suspend, state, reinstate, allowlist, with reasons and actors in the audit log', async () => {
    const path = `/admin/enforcement/accounts/${fixture.account}`;
    assert.equal((await admin(fixture.gateway.url, 'POST', `${path}/suspend`, { reason: 'x' })).status, 400, 'an actor is required');
    assert.equal((await admin(fixture.gateway.url, 'POST', '/admin/enforcement/accounts/acct_nobody/suspend', { reason: 'x', actor: 'y' })).status, 404);
    assert.equal((await admin(fixture.gateway.url, 'POST', `${path}/suspend`, { reason: 'harvest', actor: 'alice' })).status, 200);
    assert.equal((await errorOf(() => fixture.client().chat.completions.create(ask))).code, 'account_suspended');
    const state = await admin(fixture.gateway.url, 'GET', path);
    assert.deepEqual([state.body.actions, state.body.manual, state.body.actor], [['suspend_account'], true, 'alice']);
    await admin(fixture.gateway.url, 'POST', `${path}/allowlist`, { reason: 'known partner', actor: 'bob' });
    assert.equal((await fixture.client().chat.completions.create(ask)).choices[0]!.message.content, 'Paris');
    assert.equal((await admin(fixture.gateway.url, 'GET', path)).body.allowlisted, true);
    await admin(fixture.gateway.url, 'POST', `${path}/reinstate`, { reason: 'review done', actor: 'bob' });
    const audit = await admin(fixture.gateway.url, 'GET', `/admin/audit?account=${fixture.account}&limit=3`);
    assert.deepEqual(audit.body.data.map((e: { action: string; actor: string; reason: string }) => [e.action, e.actor, e.reason]), [['reinstate', 'bob', 'review done'], ['allowlist', 'bob', 'known partner'], ['suspend', 'alice', 'harvest']]);
    assert.equal((await admin(fixture.gateway.url, 'GET', '/admin/audit/verify')).body.ok, true);
  });

  test('policy: read, replaced live (validated, audited)', async () => {
    const current = await admin(fixture.gateway.url, 'GET', '/admin/enforcement/policy');
    assert.equal(current.body.mode, 'enforce');
    const bad = await admin(fixture.gateway.url, 'PUT', '/admin/enforcement/policy', { policy: { mode: 'sometimes' }, reason: 'r', actor: 'a' });
    assert.deepEqual([bad.status, bad.body.error.code], [400, 'invalid_request']);
    const replaced = await admin(fixture.gateway.url, 'PUT', '/admin/enforcement/policy', { policy: { ...current.body, mode: 'shadow' }, reason: 'dry run first', actor: 'carol' });
    assert.equal(replaced.status, 200);
    assert.equal((await admin(fixture.gateway.url, 'GET', '/admin/enforcement/policy')).body.mode, 'shadow');
    const [entry] = (await admin(fixture.gateway.url, 'GET', '/admin/audit?limit=1')).body.data;
    assert.deepEqual([entry.action, entry.actor, entry.reason, entry.data.policy.mode], ['policy_replaced', 'carol', 'dry run first', 'shadow']);
  });
});

test('cap_max_tokens lowers what the upstream is asked for', async () => {
  const fixture = await startFixture({ config: { enforcement: { policy: { mode: 'enforce' } } } });
  try {
    await fixture.gateway.enforcement!.enforcer.commit({ ...emptyDecision(fixture.account, new Date().toISOString()), actions: ['cap_max_tokens'], manual: true, maxTokensCap: 3 }, 'suspend');
    const capped = await fixture.client().chat.completions.create({ ...ask, max_tokens: 500 });
    // The stand-in honours a small max_tokens by cutting its answer to that many words.
    assert.equal(capped.choices[0]!.message.content!.split(' ').length, 3);
  } finally {
    await fixture.close();
  }
});
