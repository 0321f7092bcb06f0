import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { countTokens } from '../../src/metering/tokenizer.js';
import { startFixture, type Fixture } from '../helpers/gateway-fixture.js';
import { ledgerRecords, waitForRecord } from '../helpers/ledger.js';

// Acceptance 2: the ledger's token counts equal what the upstream reported, request by request.
describe('usage ledger', () => {
  let fixture: Fixture;
  before(async () => {
    fixture = await startFixture();
  });
  after(() => fixture.close());

  test('a mixed run of 1,200 requests: every ledger record equals the upstream usage', async () => {
    const client = fixture.client();
    const kinds = ['chat', 'chat-stream', 'chat-stream-usage', 'completions', 'completions-stream', 'embeddings', 'responses', 'responses-stream'] as const;
    const total = 1200;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const user = `u-${i}`;
        const content = `Request ${i}: explain ${'why '.repeat(i % 17)}the sky is blue in ${i % 5 + 1} sentences.`;
        switch (kinds[i % kinds.length]) {
          case 'chat':
            await client.chat.completions.create({ model: 'gpt-4o-mini', user, messages: [{ role: 'user', content }] });
            break;
          case 'chat-stream':
          case 'chat-stream-usage': {
            const stream = await client.chat.completions.create({
              model: 'gpt-4o',
              user,
              stream: true,
              ...(i % kinds.length === 2 && { stream_options: { include_usage: true } }),
              messages: [{ role: 'user', content }],
            });
            for await (const _chunk of stream);
            break;
          }
          case 'completions':
            await client.completions.create({ model: 'gpt-4o-mini', user, prompt: content });
            break;
          case 'completions-stream': {
            const stream = await client.completions.create({ model: 'gpt-4o-mini', user, prompt: content, stream: true });
            for await (const _chunk of stream);
            break;
          }
          case 'embeddings':
            await client.embeddings.create({ model: 'text-embedding-3-small', user, input: content });
            break;
          case 'responses':
            await client.responses.create({ model: 'gpt-4o', user, input: content });
            break;
          case 'responses-stream': {
            const stream = await client.responses.create({ model: 'gpt-4o', user, input: content, stream: true });
            for await (const _event of stream);
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const served = new Map(fixture.standIn.served.map((entry) => [entry.user, entry.usage]));
    const records = await ledgerRecords(fixture.gateway);
    assert.equal(records.length, total);
    assert.equal(served.size, total);
    let promptSum = 0;
    let completionSum = 0;
    for (const record of records) {
      const user = record.request.user;
      assert.deepEqual(record.usage, served.get(user), `usage of ${user}`);
      assert.equal(record.usage_source, 'upstream');
      assert.equal(record.status, 200);
      promptSum += record.usage.prompt_tokens;
      completionSum += record.usage.completion_tokens;
    }
    const upstreamPrompt = [...served.values()].reduce((sum, usage) => sum + usage.prompt_tokens, 0);
    const upstreamCompletion = [...served.values()].reduce((sum, usage) => sum + usage.completion_tokens, 0);
    assert.equal(promptSum, upstreamPrompt);
    assert.equal(completionSum, upstreamCompletion);
  });
});

describe('usage without an upstream report', () => {
  test('a client that aborts mid-stream is recorded with the usage served until then', async () => {
    const fixture = await startFixture({ standIn: { chunkDelayMs: 15 } });
    try {
      const controller = new AbortController();
      const stream = await fixture.client().chat.completions.create(
        { model: 'gpt-4o-mini', user: 'aborter', stream: true, messages: [{ role: 'user', content: 'Tell me a long story about a lighthouse keeper and the sea.' }] },
        { signal: controller.signal },
      );
      let received = '';
      let chunks = 0;
      // The client ends the iteration quietly or with an AbortError, depending on timing.
      try {
        for await (const chunk of stream) {
          received += chunk.choices[0]?.delta.content ?? '';
          if (++chunks === 5) controller.abort();
        }
      } catch (error) {
        assert.equal((error as Error).name, 'AbortError');
      }
      assert.equal(chunks, 5);
      const record = await waitForRecord(fixture.gateway, (r) => r.request.user === 'aborter');
      assert.equal(record.aborted, true);
      assert.equal(record.usage_source, 'tokenizer');
      assert.ok(record.response.text.startsWith(received), 'the ledger holds what the client was served');
      const full = fixture.standIn.served.length === 0 ? undefined : fixture.standIn.served[0];
      assert.equal(full, undefined, 'the upstream never finished: the abort reached it');
      assert.ok(record.usage.completion_tokens >= countTokens(received) && record.usage.completion_tokens > 0);
      assert.ok(record.usage.prompt_tokens > 0);
    } finally {
      await fixture.close();
    }
  });

  test('an upstream that reports no usage is metered with the tokenizer', async () => {
    const fixture = await startFixture({ standIn: { reportUsage: false } });
    try {
      const answer = await fixture.client().chat.completions.create({ model: 'gpt-4o-mini', user: 'no-usage', messages: [{ role: 'user', content: 'Count to five.' }] });
      const record = await waitForRecord(fixture.gateway, (r) => r.request.user === 'no-usage');
      assert.equal(record.usage_source, 'tokenizer');
      assert.deepEqual(record.usage, fixture.standIn.served[0]!.usage, 'same tokenizer as the stand-in: the counts agree exactly');
      assert.equal(record.response.text, answer.choices[0]!.message.content);
    } finally {
      await fixture.close();
    }
  });

  test('tool calls alone from an upstream that reports no usage are metered with their names and arguments', async () => {
    const fixture = await startFixture({ standIn: { reportUsage: false } });
    const tool = { type: 'function' as const, function: { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' }, reason: { type: 'string' } }, required: ['order_id', 'reason'] } } };
    try {
      const client = fixture.client();
      const messages = [{ role: 'user' as const, content: 'Where is my order?' }];
      const plain = await client.chat.completions.create({ model: 'gpt-4o-mini', user: 'tools-plain', messages, tools: [tool] });
      assert.equal(plain.choices[0]!.message.tool_calls?.length, 1, 'the stand-in answered with a tool call');
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', user: 'tools-stream', messages, tools: [tool], stream: true });
      for await (const chunk of stream) void chunk;
      const responsesTool = { type: 'function' as const, name: tool.function.name, parameters: tool.function.parameters, strict: false };
      await client.responses.create({ model: 'gpt-4o-mini', user: 'tools-responses', input: 'Where is my order?', tools: [responsesTool] });
      const responsesStream = await client.responses.create({ model: 'gpt-4o-mini', user: 'tools-responses-stream', input: 'Where is my order?', tools: [responsesTool], stream: true });
      for await (const event of responsesStream) void event;
      for (const [index, user] of ['tools-plain', 'tools-stream', 'tools-responses', 'tools-responses-stream'].entries()) {
        const record = await waitForRecord(fixture.gateway, (r) => r.request.user === user);
        assert.equal(record.usage_source, 'tokenizer', user);
        const served = fixture.standIn.served[index]!;
        assert.equal(served.user, user);
        assert.ok(served.usage.completion_tokens > 0);
        assert.deepEqual(record.usage, served.usage, `${user}: the arguments are counted as the stand-in bills them`);
      }
    } finally {
      await fixture.close();
    }
  });
});
