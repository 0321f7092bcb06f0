import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type OpenAI from 'openai';
import { startFixture, type Fixture } from '../helpers/gateway-fixture.js';

// Acceptance 1: the official client, with only baseURL and apiKey changed, gets the same answers through Moat.
describe('the openai client through Moat', () => {
  let fixture: Fixture;
  let moat: OpenAI;
  let direct: OpenAI;
  before(async () => {
    fixture = await startFixture();
    moat = fixture.client();
    direct = fixture.direct();
  });
  after(() => fixture.close());

  const messages = [
    { role: 'system' as const, content: 'You are terse.' },
    { role: 'user' as const, content: 'Name three prime numbers, and say why 1 is not prime.' },
  ];

  test('chat, plain', async () => {
    const [viaMoat, viaDirect] = await Promise.all([
      moat.chat.completions.create({ model: 'gpt-4o-mini', messages }),
      direct.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    ]);
    assert.equal(viaMoat.choices[0]!.message.content, viaDirect.choices[0]!.message.content);
    assert.deepEqual(viaMoat.usage, viaDirect.usage);
  });

  test('chat, streaming, without asking for usage: no usage chunk reaches the client', async () => {
    const collect = async (client: OpenAI) => {
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      return chunks;
    };
    const [viaMoat, viaDirect] = await Promise.all([collect(moat), collect(direct)]);
    assert.equal(viaMoat.length, viaDirect.length);
    assert.equal(viaMoat.map((c) => c.choices[0]?.delta.content ?? '').join(''), viaDirect.map((c) => c.choices[0]?.delta.content ?? '').join(''));
    assert.ok(viaMoat.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1));
  });

  test('chat, streaming, asking for usage: the client gets it as upstream sent it', async () => {
    const stream = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    assert.deepEqual(last.choices, []);
    assert.ok(last.usage && last.usage.completion_tokens > 0);
  });

  test('completions, plain and streaming', async () => {
    const prompt = 'Once upon a time';
    const [viaMoat, viaDirect] = await Promise.all([
      moat.completions.create({ model: 'gpt-4o-mini', prompt }),
      direct.completions.create({ model: 'gpt-4o-mini', prompt }),
    ]);
    assert.equal(viaMoat.choices[0]!.text, viaDirect.choices[0]!.text);
    const stream = await moat.completions.create({ model: 'gpt-4o-mini', prompt, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    assert.equal(text, viaDirect.choices[0]!.text);
  });

  test('embeddings (base64, the client default, and float)', async () => {
    const input = ['alpha', 'beta gamma'];
    const [viaMoat, viaDirect] = await Promise.all([
      moat.embeddings.create({ model: 'text-embedding-3-small', input }),
      direct.embeddings.create({ model: 'text-embedding-3-small', input }),
    ]);
    assert.deepEqual(viaMoat.data, viaDirect.data);
    const floats = await moat.embeddings.create({ model: 'text-embedding-3-small', input, encoding_format: 'float' });
    assert.deepEqual(floats.data.map((d) => d.embedding.map((v) => Math.round(v * 1e6))), viaDirect.data.map((d) => d.embedding.map((v) => Math.round(v * 1e6))));
  });

  test('responses, plain and streaming', async () => {
    const request = { model: 'gpt-4o', instructions: 'Be brief.', input: 'What is the capital of France?' };
    const [viaMoat, viaDirect] = await Promise.all([moat.responses.create(request), direct.responses.create(request)]);
    assert.equal(viaMoat.output_text, viaDirect.output_text);
    const stream = await moat.responses.create({ ...request, stream: true });
    let text = '';
    let completed = false;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = true;
    }
    assert.equal(text, viaDirect.output_text);
    assert.ok(completed);
  });

  test('models lists only what the key may use', async () => {
    const models = [];
    for await (const model of moat.models.list()) models.push(model.id);
    assert.deepEqual(models.sort(), ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small']);
  });
});
