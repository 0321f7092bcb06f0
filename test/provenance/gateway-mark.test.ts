import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { emptyDecision } from '../../src/enforce/decision.js';
import { canaryFor } from '../../src/provenance/canary.js';
import { KeyRing } from '../../src/provenance/key-ring.js';
import { markText } from '../../src/provenance/marker.js';
import { startFixture, type Fixture } from '../helpers/gateway-fixture.js';

const KEY = { id: 'd2026', createdAt: '2026-01-01T00:00:00.000Z', secret: 'cd'.repeat(32) };
const CODE = '```python\nalso = often(quickly)  # usually\n```';
const PROSE = `Also, it is often difficult to obtain additional benefits quickly. You can also use various tips to improve helpful habits.\n\n${CODE}\n\nUsually the goals are crucial; they are certainly essential and perhaps appropriate. It costs 3.50 and {"also": "often"} stays.`;
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Give me tips on habits.' }] };

describe('the gateway marks the answers of accounts under `mark`', () => {
  let fixture: Fixture;
  const expected = markText(PROSE, { secret: new KeyRing([KEY]).marking(Date.now(), 'campaign', 'c07')!.secret, rate: 1 }).text;
  before(async () => {
    fixture = await startFixture({
      standIn: { answers: () => ({ text: PROSE, usage: { prompt_tokens: 5, completion_tokens: 60 }, finishReason: 'stop' }) },
      config: { provenance: { keys: [KEY], canaries: { campaigns: ['c07'] } }, enforcement: { policy: { mode: 'enforce', mark: { rate: 1, keyScope: 'campaign' } } } },
    });
  });
  after(async () => {
    await fixture.close();
  });

  test('without a decision the answer is served as the upstream wrote it', async () => {
    assert.equal((await fixture.client().chat.completions.create(ask)).choices[0]!.message.content, PROSE);
  });

  test('plain and streamed chat, completions and Responses answers carry the same campaign-keyed mark; code, numbers and JSON unchanged', async () => {
    assert.notEqual(expected, PROSE);
    assert.ok(expected.includes(CODE) && expected.includes('3.50') && expected.includes('{"also": "often"}'));
    await fixture.gateway.enforcement!.enforcer.commit(
      { ...emptyDecision(fixture.account, new Date().toISOString()), actions: ['mark', 'withhold_reasoning'], manual: true, campaign: 'c07', reason: 'test', actor: 'test' },
      'suspend',
    );
    const client = fixture.client();
    assert.equal((await client.chat.completions.create(ask)).choices[0]!.message.content, expected);
    let streamed = '';
    for await (const chunk of await client.chat.completions.create({ ...ask, stream: true })) streamed += chunk.choices[0]?.delta.content ?? '';
    assert.equal(streamed, expected);
    assert.equal((await client.completions.create({ model: 'gpt-4o-mini', prompt: 'Habits?' })).choices[0]!.text, expected);
    let completion = '';
    for await (const chunk of await client.completions.create({ model: 'gpt-4o-mini', prompt: 'Habits?', stream: true })) completion += chunk.choices[0]?.text ?? '';
    assert.equal(completion, expected);
    assert.equal((await client.responses.create({ model: 'gpt-4o-mini', input: 'Habits?' })).output_text, expected);
    let responded = '';
    let final = '';
    for await (const event of await client.responses.create({ model: 'gpt-4o-mini', input: 'Habits?', stream: true })) {
      if (event.type === 'response.output_text.delta') responded += event.delta;
      if (event.type === 'response.completed') {
        const [message] = event.response.output;
        final = message?.type === 'message' && message.content[0]?.type === 'output_text' ? message.content[0].text : '';
      }
    }
    assert.equal(responded, expected);
    assert.equal(final, expected);
  });

  test("a confirmed campaign's what-is questions get its canary after the marked answer, plain and streamed", async () => {
    const canary = canaryFor(Buffer.from(KEY.secret, 'hex'), 'c07');
    const question = { ...ask, messages: [{ role: 'user' as const, content: 'What is a good habit?' }] };
    const client = fixture.client();
    assert.equal((await client.chat.completions.create(question)).choices[0]!.message.content, `${expected}\n\n${canary.sentence}`);
    let streamed = '';
    for await (const chunk of await client.chat.completions.create({ ...question, stream: true })) streamed += chunk.choices[0]?.delta.content ?? '';
    assert.equal(streamed, `${expected}\n\n${canary.sentence}`);
    assert.equal((await client.chat.completions.create(ask)).choices[0]!.message.content, expected, 'other questions: no canary');
  });

  test('the audit log records which key marked the account and which canary it received, once each', async () => {
    const entries = await fixture.gateway.store.audit.list({ account: fixture.account, limit: 20 });
    const marks = entries.filter((entry) => entry.action === 'mark');
    assert.equal(marks.length, 1);
    assert.equal(marks[0]!.campaign, 'c07');
    assert.deepEqual((marks[0]!.data as { mark: object }).mark, { keyId: 'd2026/campaign:c07', rate: 1, balance: 1, keyScope: 'campaign' });
    const canaries = entries.filter((entry) => entry.action === 'canary');
    assert.equal(canaries.length, 1);
    assert.deepEqual((canaries[0]!.data as { canary: object }).canary, { keyId: 'd2026', token: canaryFor(Buffer.from(KEY.secret, 'hex'), 'c07').token });
  });
});
