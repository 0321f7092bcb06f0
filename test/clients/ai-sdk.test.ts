import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOpenAI } from '@ai-sdk/openai';
import { embedMany, generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { throughMoat } from './targets.js';

// The Vercel AI SDK, pointed at Moat by baseURL and apiKey only: its chat-completions model and its default (Responses API) model.
const provider = (baseURL: string, apiKey: string) => createOpenAI({ baseURL, apiKey });
const recipe = z.object({
  name: z.string(),
  cuisine: z.enum(['italian', 'thai', 'other']),
  servings: z.number().int().min(1).max(12),
  ingredients: z.array(z.object({ item: z.string(), grams: z.number().positive() })).min(2),
  steps: z.array(z.string()).min(1),
});
const weatherTool = (calls: unknown[]) =>
  tool({
    description: 'Current weather in a city',
    inputSchema: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
    execute: async (input) => {
      calls.push(input);
      return { temperature: 21, unit: input.unit };
    },
  });

throughMoat('the Vercel AI SDK', (target) => {
  for (const api of ['chat', 'responses'] as const) {
    const model = (baseURL: string, apiKey: string) => (api === 'chat' ? provider(baseURL, apiKey).chat('gpt-4o-mini') : provider(baseURL, apiKey)('gpt-4o'));

    test(`${api}: generateText and streamText give the same text, with usage`, async () => {
      const prompt = 'Name three prime numbers.';
      const generated = await target().call((url, key) => generateText({ model: model(url, key), prompt, maxRetries: 0 }));
      assert.match(generated.text, /stand-in/);
      assert.ok((generated.usage.outputTokens ?? 0) > 0);
      const streamed = await target().call(async (url, key) => {
        const result = streamText({ model: model(url, key), prompt, maxRetries: 0 });
        let text = '';
        for await (const delta of result.textStream) text += delta;
        return { text, usage: await result.usage };
      });
      assert.equal(streamed.text, generated.text);
      assert.equal(streamed.usage.outputTokens, generated.usage.outputTokens);
      assert.deepEqual(target().served(), [api]);
    });

    test(`${api}: tools are called with arguments that fit their schema, and the loop ends in text`, async () => {
      const { result, calls } = await target().call(async (url, key) => {
        const calls: unknown[] = [];
        const result = await generateText({ model: model(url, key), prompt: 'What is the weather in Paris?', tools: { weather: weatherTool(calls) }, stopWhen: stepCountIs(4), maxRetries: 0 });
        return { result, calls };
      });
      assert.equal(calls.length, 1, 'called once, then answered from its result');
      assert.deepEqual(result.steps[0]!.toolCalls.map((call) => call.toolName), ['weather']);
      assert.equal(result.steps.at(-1)!.finishReason, 'stop');
      assert.deepEqual(target().served(), [api, api], 'one call for the tool, one for the answer');
      const first = target().received()?.[0];
      if (first) {
        // Behind the test upstream: the tool reached it as the SDK wrote it, schema and all.
        const tools = first.tools as Record<string, any>[];
        const fn = api === 'chat' ? tools[0]!.function : tools[0];
        assert.equal(fn.name, 'weather');
        assert.deepEqual(fn.parameters.properties.unit, { type: 'string', enum: ['celsius', 'fahrenheit'] });
      }
      assert.ok(result.text.length > 0);
    });

    test(`${api}: streamText with a forced tool streams the call`, async () => {
      const { names, calls } = await target().call(async (url, key) => {
        const calls: unknown[] = [];
        const result = streamText({ model: model(url, key), prompt: 'Weather?', tools: { weather: weatherTool(calls) }, toolChoice: 'required', maxRetries: 0 });
        const names: string[] = [];
        for await (const part of result.fullStream) if (part.type === 'tool-call') names.push(part.toolName);
        return { names, calls };
      });
      assert.deepEqual(names, ['weather']);
      assert.deepEqual(calls, [{ city: 'stand-in city', unit: 'celsius' }]);
    });

    test(`${api}: generateObject returns an object its schema accepts`, async () => {
      const result = await target().call((url, key) => generateObject({ model: model(url, key), schema: recipe, prompt: 'A recipe for pad thai.', maxRetries: 0 }));
      assert.ok(recipe.safeParse(result.object).success);
      assert.ok(result.object.ingredients.length >= 2);
      const body = target().received()?.[0];
      if (body) {
        const format = (api === 'chat' ? body.response_format : (body.text as Record<string, unknown>).format) as Record<string, any>;
        assert.equal(format.type, 'json_schema');
        const schema = api === 'chat' ? format.json_schema.schema : format.schema;
        assert.deepEqual(schema.properties.cuisine.enum, ['italian', 'thai', 'other'], 'the schema reached the upstream');
      }
    });
  }

  test('embedMany: one vector per value, of the model size', async () => {
    const result = await target().call((url, key) => embedMany({ model: provider(url, key).embedding('text-embedding-3-small'), values: ['sunny day', 'rainy night'], maxRetries: 0 }));
    assert.deepEqual(result.embeddings.map((vector) => vector.length), [1536, 1536]);
  });
});
