import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequestFields, promptTextOf } from '../../src/traffic/request-fields.js';

test('nulls are absent, as the OpenAI API treats them', () => {
  const { fields, problem } = parseRequestFields({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'hi' }],
    logit_bias: null,
    n: null,
    max_tokens: null,
    temperature: null,
    seed: null,
    stream_options: null,
    user: null,
  });
  assert.equal(problem, undefined);
  assert.equal(fields.logitBias, false);
  assert.equal(fields.choices, 1);
  assert.equal(fields.maxTokens, undefined);
  assert.deepEqual(fields.turns, [{ role: 'user', text: 'hi' }]);
});

test('a null message is a problem naming the message, and the rest is still read', () => {
  const { fields, problem } = parseRequestFields({ model: 'm', messages: [null, { role: 'user', content: 'second' }], max_tokens: 50 });
  assert.deepEqual(problem, { param: 'messages[0]', message: "'messages[0]' must be an object with a 'role'." });
  assert.deepEqual(fields.turns, [{ role: 'user', text: 'second' }]);
  assert.equal(fields.maxTokens, 50);
});

test('wrong types are problems with the param named', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ messages: 'hello' }, 'messages'],
    [{ max_tokens: 'many' }, 'max_tokens'],
    [{ max_tokens: -1 }, 'max_tokens'],
    [{ n: 0 }, 'n'],
    [{ temperature: 'hot' }, 'temperature'],
    [{ stream: 'yes' }, 'stream'],
    [{ logit_bias: [1, 2] }, 'logit_bias'],
    [{ logit_bias: { '50256': 'x' } }, 'logit_bias'],
    [{ user: 42 }, 'user'],
    [{ messages: [{ role: 7, content: 'x' }] }, 'messages[0].role'],
    [{ messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    [{ prompt: { text: 'x' } }, 'prompt'],
    [{ stream_options: { include_usage: 'yes' } }, 'stream_options.include_usage'],
  ];
  for (const [body, param] of cases) assert.equal(parseRequestFields({ model: 'm', ...body }).problem?.param, param, JSON.stringify(body));
  assert.equal(parseRequestFields([1, 2]).problem?.param, '');
  assert.equal(parseRequestFields(null).problem?.param, '');
});

test('every prompt shape is read: chat parts, responses items, completions and embeddings inputs', () => {
  const chat = parseRequestFields({ messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'x' } }, { type: 'text', text: 'b' }] }] });
  assert.deepEqual(chat.fields.turns, [{ role: 'system', text: 'sys' }, { role: 'user', text: 'a\nb' }]);
  const responses = parseRequestFields({ instructions: 'be brief', input: [{ role: 'user', content: [{ type: 'input_text', text: 'q' }] }, { type: 'function_call_output', output: '{}' }] });
  assert.deepEqual(responses.fields.turns, [{ role: 'system', text: 'be brief' }, { role: 'user', text: 'q' }]);
  assert.equal(responses.problem, undefined);
  const completions = parseRequestFields({ prompt: ['one', 'two'], logprobs: 3 });
  assert.equal(promptTextOf(completions.fields), 'one\ntwo');
  assert.equal(completions.fields.logprobs, true);
  const tokens = parseRequestFields({ input: [[1, 2, 3], [4]] });
  assert.equal(tokens.fields.promptChars, 16);
  assert.equal(tokens.problem, undefined);
});

test('the output cap comes from the field the client used', () => {
  assert.deepEqual(pick({ max_completion_tokens: 300 }), [300, 'max_completion_tokens']);
  assert.deepEqual(pick({ max_output_tokens: 9, max_tokens: 20 }), [20, 'max_tokens']);
  assert.deepEqual(pick({}), [undefined, undefined]);
  function pick(body: Record<string, unknown>): [number | undefined, string | undefined] {
    const { fields } = parseRequestFields(body);
    return [fields.maxTokens, fields.maxTokensField];
  }
});

test('content nested past the part depth is not followed', () => {
  let content: unknown = 'deep';
  for (let i = 0; i < 10_000; i++) content = [{ type: 'text', text: content }];
  const { fields } = parseRequestFields({ messages: [{ role: 'user', content }] });
  assert.deepEqual(fields.turns, [{ role: 'user', text: '' }]);
});
