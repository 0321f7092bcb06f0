import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { z } from 'zod';
import { throughMoat } from './targets.js';

// LangChain's OpenAI integration, pointed at Moat by baseURL and apiKey only, on chat completions and on the Responses API.
const chat = (baseURL: string, apiKey: string, useResponsesApi: boolean) =>
  new ChatOpenAI({ model: useResponsesApi ? 'gpt-4o' : 'gpt-4o-mini', apiKey, configuration: { baseURL }, maxRetries: 0, useResponsesApi });
const weather = tool(async ({ city }) => `21 degrees in ${city}`, {
  name: 'get_weather',
  description: 'Current weather in a city',
  schema: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']).optional() }),
});
const answer = z.object({ city: z.string(), population: z.number().int().positive(), landmarks: z.array(z.object({ name: z.string(), year: z.number().int() })).min(1) });
const textOf = (message: BaseMessage) => (typeof message.content === 'string' ? message.content : message.content.map((part) => ('text' in part ? part.text : '')).join(''));

throughMoat('LangChain', (target) => {
  for (const useResponsesApi of [false, true]) {
    const api = useResponsesApi ? 'responses' : 'chat';

    test(`${api}: invoke and stream give the same text, with usage`, async () => {
      const invoked = await target().call((url, key) => chat(url, key, useResponsesApi).invoke('Name three prime numbers.'));
      assert.match(textOf(invoked), /stand-in/);
      assert.ok((invoked.usage_metadata?.output_tokens ?? 0) > 0);
      const streamed = await target().call(async (url, key) => {
        let whole: AIMessageChunk | undefined;
        let chunks = 0;
        for await (const chunk of await chat(url, key, useResponsesApi).stream('Name three prime numbers.')) {
          whole = whole ? whole.concat(chunk) : chunk;
          chunks++;
        }
        return { whole: whole!, chunks };
      });
      assert.ok(streamed.chunks > 3, 'the answer came in pieces');
      assert.equal(textOf(streamed.whole), textOf(invoked));
      assert.equal(streamed.whole.usage_metadata?.output_tokens, invoked.usage_metadata?.output_tokens);
      assert.deepEqual(target().served(), [api]);
    });

    test(`${api}: bindTools gets a tool call whose arguments fit the tool`, async () => {
      const message = await target().call((url, key) => chat(url, key, useResponsesApi).bindTools([weather]).invoke('What is the weather in Lisbon?'));
      assert.equal(message.tool_calls?.length, 1);
      const call = message.tool_calls![0]!;
      assert.equal(call.name, 'get_weather');
      assert.ok(weather.schema.safeParse(call.args).success);
      assert.ok(call.id);
      const body = target().received()?.[0];
      if (body) {
        const tool = (body.tools as Record<string, any>[])[0]!;
        assert.equal((useResponsesApi ? tool : tool.function).name, 'get_weather', 'the bound tool reached the upstream');
      }
    });

    // Not jsonMode: there the schema is only in the prompt's words, which a stand-in cannot read.
    for (const method of ['jsonSchema', 'functionCalling'] as const) {
      test(`${api}: withStructuredOutput (${method}) returns what its schema accepts`, async () => {
        const result = await target().call((url, key) => chat(url, key, useResponsesApi).withStructuredOutput(answer, { method }).invoke('Tell me about Lisbon.'));
        assert.ok(answer.safeParse(result).success, JSON.stringify(result));
      });
    }
  }

  test('embeddings: embedQuery and embedDocuments, of the model size', async () => {
    const vectors = await target().call(async (url, key) => {
      const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small', apiKey: key, configuration: { baseURL: url }, maxRetries: 0 });
      return { query: await embeddings.embedQuery('sunny day'), documents: await embeddings.embedDocuments(['a', 'b', 'c']) };
    });
    assert.equal(vectors.query.length, 1536);
    assert.deepEqual(vectors.documents.map((vector) => vector.length), [1536, 1536, 1536]);
    const small = await target().call((url, key) => new OpenAIEmbeddings({ model: 'text-embedding-3-small', dimensions: 64, apiKey: key, configuration: { baseURL: url }, maxRetries: 0 }).embedQuery('x'));
    assert.equal(small.length, 64);
  });
});
