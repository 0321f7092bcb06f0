import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripReasoningEvents, stripReasoningJson } from '../../src/enforce/reasoning-filter.js';

const event = (data: object) => `data: ${JSON.stringify(data)}\n\n`;

test('JSON answers lose reasoning fields and reasoning output items; other bytes pass as they are', () => {
  const chat = Buffer.from(JSON.stringify({ choices: [{ index: 0, message: { content: 'ok', reasoning_content: 'trace', reasoning: 'trace' } }] }));
  assert.deepEqual(JSON.parse(stripReasoningJson(chat).toString()), { choices: [{ index: 0, message: { content: 'ok' } }] });
  const responses = Buffer.from(JSON.stringify({ object: 'response', output: [{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'trace' }] }, { type: 'message', content: [{ type: 'output_text', text: 'ok' }] }] }));
  assert.deepEqual(JSON.parse(stripReasoningJson(responses).toString()).output.map((o: { type: string }) => o.type), ['message']);
  const plain = Buffer.from('{"choices":[{"message":{"content":"no traces here"}}]}');
  assert.equal(stripReasoningJson(plain), plain, 'the same buffer: no parse, no copy');
});

test('streams: chat reasoning deltas are rewritten, Responses reasoning events dropped, the rest untouched', () => {
  const content = event({ choices: [{ index: 0, delta: { content: 'Paris' } }] });
  const reasoning = event({ choices: [{ index: 0, delta: { reasoning_content: 'think' } }] });
  assert.equal(stripReasoningEvents(reasoning + content), event({ choices: [{ index: 0, delta: {} }] }) + content);
  const summary = `event: response.reasoning_summary_text.delta\n${event({ type: 'response.reasoning_summary_text.delta', delta: 'trace' })}`;
  const added = event({ type: 'response.output_item.added', item: { type: 'reasoning', id: 'rs_1' } });
  const text = event({ type: 'response.output_text.delta', delta: 'Paris' });
  const done = event({ type: 'response.completed', response: { output: [{ type: 'reasoning' }, { type: 'message' }] } });
  assert.equal(stripReasoningEvents(summary + added + text + done), text + event({ type: 'response.completed', response: { output: [{ type: 'message' }] } }));
  assert.equal(stripReasoningEvents('data: [DONE]\n\n'), 'data: [DONE]\n\n');
});
