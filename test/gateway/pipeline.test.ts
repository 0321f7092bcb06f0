import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { after, before, describe, test } from 'node:test';
import { emptyDecision } from '../../src/enforce/decision.js';
import type { StepTiming } from '../../src/gateway/pipeline.js';
import { waitForRecord } from '../helpers/ledger.js';
import { admin, ADMIN_TOKEN, MODELS, startFixture, type Fixture } from '../helpers/gateway-fixture.js';

const IN_STEPS = ['authenticate', 'parse', 'route', 'screen', 'admit', 'forward'];
const LIMITS = { tiers: { default: { account: { requestsPerMinute: 1000 } } } };

/** The steps one request ran, as the diagnostics channel tells them (each published as it ends). */
function stepsOf(): { seen(requestId: string): string[]; stop(): void } {
  const timings: StepTiming[] = [];
  const listen = (message: unknown) => timings.push(message as StepTiming);
  diagnostics.subscribe('moat:pipeline:step', listen);
  return {
    seen: (requestId) => timings.filter((t) => t.requestId === requestId).map((t) => t.step),
    stop: () => diagnostics.unsubscribe('moat:pipeline:step', listen),
  };
}

/**
 * Steps end innermost first, so the in-steps show in reverse. An answered request is recorded
 * just before forward sends its last bytes (so before the in-steps end); a refused one after
 * the step that refused it has thrown.
 */
function expectedOrder(inSteps: string[], answered: boolean): string[] {
  // Settled once admitted: a refusal by admit itself holds nothing.
  const admitted = inSteps.includes('admit') && inSteps.at(-1) !== 'admit';
  const out = ['meter', 'record', ...(admitted ? ['settle'] : []), 'in-flight end'];
  const reversed = [...inSteps].reverse();
  return answered ? [...out, ...reversed] : [...reversed, ...out];
}

const ask = (user: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Say hello.' }], user });

const configs: { name: string; config: Record<string, unknown>; steps: string[] }[] = [
  { name: 'enforcement and limits on', config: { limits: LIMITS }, steps: IN_STEPS },
  { name: 'limits off', config: { limits: undefined, enforcement: { enabled: false } }, steps: IN_STEPS.filter((s) => s !== 'screen' && s !== 'admit') },
  { name: 'enforcement off, limits on', config: { enforcement: { enabled: false }, limits: LIMITS }, steps: IN_STEPS.filter((s) => s !== 'screen') },
  // Enforcement throttles through limit overrides, so it brings the admit step even without a limits section.
  { name: 'enforcement on, no limits section', config: {}, steps: IN_STEPS },
];

describe('the request pipeline', () => {
  for (const { name, config, steps } of configs) {
    test(`${name}: the handler answers, the steps run in order, each configured-off step is absent`, async () => {
      const fixture = await startFixture({ config });
      const channel = stepsOf();
      try {
        const { data, response } = await fixture.client().chat.completions.create(ask('ordered')).withResponse();
        assert.ok(data.choices[0]!.message.content);
        const requestId = response.headers.get('x-request-id')!;
        const record = await waitForRecord(fixture.gateway, (r) => r.id === requestId);
        assert.equal(record.status, 200);
        assert.deepEqual(record.usage, { prompt_tokens: data.usage!.prompt_tokens, completion_tokens: data.usage!.completion_tokens });
        assert.deepEqual(channel.seen(requestId), expectedOrder(steps, true));
        const metrics = await (await fetch(`${fixture.gateway.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
        for (const step of steps) assert.match(metrics, new RegExp(`moat_pipeline_step_seconds_count\\{step="${step}"\\} [1-9]`), `/metrics times ${step}`);
      } finally {
        channel.stop();
        await fixture.close();
      }
    });
  }

  describe('a request refused at any step still leaves its ledger record', () => {
    let fixture: Fixture;
    let channel: ReturnType<typeof stepsOf>;
    before(async () => {
      fixture = await startFixture({
        config: {
          limits: { tiers: { default: { account: { requestsPerMinute: 1000 } } } },
          // Nothing listens on port 9: every forwarded request fails there.
          upstreams: [{ name: 'local', baseUrl: 'http://127.0.0.1:9/v1', models: MODELS }],
        },
      });
      channel = stepsOf();
    });
    after(async () => {
      channel.stop();
      await fixture.close();
    });

    const refusal = async (path: string, body: string, secret = fixture.secret) => {
      const response = await fetch(`${fixture.gateway.url}/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body });
      return { status: response.status, id: response.headers.get('x-request-id')!, body: (await response.json()) as { error: { code: string } } };
    };
    const check = async (answer: Awaited<ReturnType<typeof refusal>>, status: number, code: string, lastStep: string) => {
      assert.equal(answer.status, status);
      assert.equal(answer.body.error.code, code);
      const record = await waitForRecord(fixture.gateway, (r) => r.id === answer.id);
      assert.equal(record.status, status);
      assert.equal(record.error_code, code);
      assert.deepEqual(record.usage, { prompt_tokens: 0, completion_tokens: 0 });
      const inSteps = IN_STEPS.slice(0, IN_STEPS.indexOf(lastStep) + 1);
      assert.deepEqual(channel.seen(answer.id), expectedOrder(inSteps, false));
    };

    test('authenticate: a revoked key', async () => {
      const created = await admin(fixture.gateway.url, 'POST', `/admin/accounts/${fixture.account}/keys`, { name: 'revoked' });
      await admin(fixture.gateway.url, 'POST', `/admin/keys/${created.body.key.id}/revoke`);
      await check(await refusal('/chat/completions', JSON.stringify(ask('revoked')), created.body.secret), 401, 'invalid_api_key', 'authenticate');
    });

    test('parse: a body that is not JSON', async () => {
      await check(await refusal('/chat/completions', '{"model":'), 400, 'invalid_json', 'parse');
    });

    test('route: a model nobody serves', async () => {
      await check(await refusal('/chat/completions', JSON.stringify({ ...ask('route'), model: 'nowhere-model' })), 404, 'model_not_found', 'route');
    });

    test('screen: a suspended account', async () => {
      const enforcer = fixture.gateway.enforcement!.enforcer;
      await enforcer.commit({ ...emptyDecision(fixture.account, new Date().toISOString()), actions: ['suspend_account'], manual: true, reason: 'test', actor: 'test' }, 'suspend');
      try {
        await check(await refusal('/chat/completions', JSON.stringify(ask('screen'))), 403, 'account_suspended', 'screen');
      } finally {
        await enforcer.commit({ ...emptyDecision(fixture.account, new Date().toISOString()), manual: true, reason: 'test', actor: 'test' }, 'reinstate');
      }
    });

    test('admit: over a limit', async () => {
      const limit = (requestsPerMinute: number | null) => admin(fixture.gateway.url, 'PATCH', `/admin/limits/accounts/${fixture.account}`, { limits: { requestsPerMinute } });
      assert.equal((await limit(1)).status, 200);
      try {
        // The first may use the one request of the minute (it then fails upstream); one after it is refused.
        let answer = await refusal('/chat/completions', JSON.stringify(ask('admit')));
        if (answer.status !== 429) answer = await refusal('/chat/completions', JSON.stringify(ask('admit')));
        await check(answer, 429, 'rate_limit_exceeded', 'admit');
      } finally {
        await limit(null);
      }
    });

    test('forward: an upstream that cannot be reached', async () => {
      await check(await refusal('/chat/completions', JSON.stringify({ ...ask('forward'), model: 'gpt-4o-mini' })), 502, 'upstream_error', 'forward');
    });
  });
});

