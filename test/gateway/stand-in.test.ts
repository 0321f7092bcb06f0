import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { z } from 'zod';
import { startFixture, type Fixture } from '../helpers/gateway-fixture.js';

// The stand-in answers in the shapes the API does, so clients that rely on them work against `moat serve --stand-in`.
describe('the stand-in upstream behind Moat, through the openai client', () => {
  let fixture: Fixture;
  let moat: OpenAI;
  before(async () => {
    fixture = await startFixture();
    moat = fixture.client();
  });
  after(() => fixture.close());

  const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
  const weather = z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']), days: z.number().int().min(1).max(7) });
  const tools = [
    { type: 'function' as const, function: { name: 'get_time', description: 'Current time', parameters: { type: 'object', properties: {} } } },
    { type: 'function' as const, function: { name: 'get_weather', description: 'Forecast', parameters: z.toJSONSchema(weather) as Record<string, unknown> } },
  ];

  test('a stream opens with the role on its own, and n choices stream side by side', async () => {
    const stream = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages, n: 3, stream: true });
    const texts = ['', '', ''];
    const first = new Map<number, OpenAI.ChatCompletionChunk.Choice>();
    const finished = new Set<number>();
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        if (!first.has(choice.index)) first.set(choice.index, choice);
        texts[choice.index] += choice.delta.content ?? '';
        if (choice.finish_reason === 'stop') finished.add(choice.index);
      }
    }
    assert.deepEqual([...first.keys()].sort(), [0, 1, 2]);
    for (const choice of first.values()) assert.deepEqual([choice.delta.role, choice.delta.content], ['assistant', '']);
    assert.equal(finished.size, 3);
    assert.equal(new Set(texts).size, 3, 'each choice has its own text');
  });

  test('n choices without streaming, usage billing all of them', async () => {
    const one = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const three = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages, n: 3 });
    assert.deepEqual(three.choices.map((c) => c.index), [0, 1, 2]);
    assert.equal(three.choices[0]!.message.content, one.choices[0]!.message.content);
    assert.ok(three.usage!.completion_tokens > 2 * one.usage!.completion_tokens);
    await assert.rejects(moat.chat.completions.create({ model: 'gpt-4o-mini', messages, n: 0 }), (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'n');
  });

  test('tools: a call whose arguments fit the tool, chosen by the user words, by tool_choice, or none', async () => {
    const auto = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
    const call = auto.choices[0]!.message.tool_calls![0]!;
    assert.equal(auto.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(auto.choices[0]!.message.content, null);
    assert.equal(call.type === 'function' && call.function.name, 'get_weather');
    assert.ok(call.type === 'function' && weather.safeParse(JSON.parse(call.function.arguments)).success);

    const named = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages, tools, tool_choice: { type: 'function', function: { name: 'get_time' } } });
    assert.equal(named.choices[0]!.message.tool_calls![0]!.type === 'function' && named.choices[0]!.message.tool_calls![0]!.function.name, 'get_time');
    const none = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages, tools, tool_choice: 'none' });
    assert.equal(none.choices[0]!.message.tool_calls, undefined);
    assert.ok(none.choices[0]!.message.content);

    // After the tool's result the model answers in words, so an agent loop ends.
    const answered = await moat.chat.completions.create({
      model: 'gpt-4o-mini',
      tools,
      messages: [...messages, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: '{"temp":21}' }],
    });
    assert.equal(answered.choices[0]!.finish_reason, 'stop');
    assert.ok(answered.choices[0]!.message.content);
  });

  test('tools, streamed: the call arrives in fragments that add up to valid arguments', async () => {
    const stream = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages, tools, tool_choice: 'required', stream: true, stream_options: { include_usage: true } });
    let name = '';
    let args = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        name += delta.function?.name ?? '';
        args += delta.function?.arguments ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    assert.equal(name, 'get_weather');
    assert.ok(weather.safeParse(JSON.parse(args)).success);
    assert.equal(finish, 'tool_calls');
    assert.ok(usage && usage.completion_tokens > 0);
  });

  test('response_format: json_object is JSON, json_schema is filled from the schema', async () => {
    const object = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages, response_format: { type: 'json_object' } });
    assert.equal(typeof JSON.parse(object.choices[0]!.message.content!), 'object');
    const report = z.object({ title: z.string(), tags: z.array(z.enum(['a', 'b'])).min(1), author: z.object({ name: z.string(), email: z.email() }), score: z.number().min(0).max(1).nullable() });
    const schema = await moat.chat.completions.create({ model: 'gpt-4o-mini', messages, response_format: { type: 'json_schema', json_schema: { name: 'report', strict: true, schema: z.toJSONSchema(report) as Record<string, unknown> } } });
    assert.ok(report.safeParse(JSON.parse(schema.choices[0]!.message.content!)).success, schema.choices[0]!.message.content!);
  });

  test('the Responses API: function calls, structured text, and the full event sequence when streamed', async () => {
    const responseTools = [{ type: 'function' as const, name: 'get_weather', description: 'Forecast', strict: true, parameters: z.toJSONSchema(weather) as Record<string, unknown> }];
    const called = await moat.responses.create({ model: 'gpt-4o', input: 'Weather in Oslo?', tools: responseTools });
    const item = called.output.find((entry) => entry.type === 'function_call');
    assert.ok(item && item.type === 'function_call' && weather.safeParse(JSON.parse(item.arguments)).success);
    const shaped = await moat.responses.create({ model: 'gpt-4o', input: 'A city', text: { format: { type: 'json_schema', name: 'w', schema: z.toJSONSchema(weather) as Record<string, unknown> } } });
    assert.ok(weather.safeParse(JSON.parse(shaped.output_text)).success);
    const types: string[] = [];
    for await (const event of await moat.responses.create({ model: 'gpt-4o', input: 'hello', stream: true })) types.push(event.type);
    assert.deepEqual([...new Set(types)], ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
  });

  test('embeddings: 1536 dimensions unless asked for fewer; usage in every kind of answer', async () => {
    const full = await moat.embeddings.create({ model: 'text-embedding-3-small', input: 'x', encoding_format: 'float' });
    assert.equal(full.data[0]!.embedding.length, 1536);
    const small = await moat.embeddings.create({ model: 'text-embedding-3-small', input: ['x', 'y'], dimensions: 256 });
    assert.deepEqual(small.data.map((d) => d.embedding.length), [256, 256]);
    assert.ok(full.usage.prompt_tokens > 0);
    const completion = await moat.completions.create({ model: 'gpt-4o-mini', prompt: 'Once', n: 2 });
    assert.equal(completion.choices.length, 2);
    const response = await moat.responses.create({ model: 'gpt-4o', input: 'hi' });
    for (const usage of [completion.usage!, { prompt_tokens: response.usage!.input_tokens, completion_tokens: response.usage!.output_tokens }]) {
      assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
    }
  });

  test('models.retrieve: a model the key may use, and an OpenAI-style 404 for unknown or forbidden ones', async () => {
    const model = await moat.models.retrieve('gpt-4o-mini');
    assert.deepEqual(model, { id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'local' });
    for (const id of ['no-such-model', 'premium-model']) {
      await assert.rejects(moat.models.retrieve(id), (error: unknown) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found' && error.param === 'model');
    }
    const direct = await fixture.direct().models.retrieve('premium-model');
    assert.equal(direct.id, 'premium-model', 'the stand-in itself answers the same route');
  });
});
