import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retainText } from '../src/ledger/text-retention.js';
import { StreamHarvester } from '../src/metering/stream-harvester.js';

const chunk = (data: object) => `data: ${JSON.stringify(data)}\n\n`;

test('the stream harvester hides only the usage chunk Moat asked for, across split chunks', () => {
  const events = [
    chunk({ choices: [{ index: 0, delta: { content: 'Hel' } }], usage: null }),
    chunk({ choices: [{ index: 0, delta: { content: 'lo "usage":null' } }], usage: null }),
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }),
    chunk({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } }),
    'data: [DONE]\n\n',
  ].join('');
  const harvester = new StreamHarvester('chat', true);
  let forwarded = '';
  // Cut the bytes at awkward places: inside events and inside a JSON string.
  for (let i = 0; i < events.length; i += 7) forwarded += harvester.push(Buffer.from(events.slice(i, i + 7)));
  const { forward, harvest } = harvester.end();
  forwarded += forward;
  assert.equal(harvest.text, 'Hello "usage":null');
  assert.equal(harvest.finishReason, 'stop');
  assert.deepEqual(harvest.usage, { prompt_tokens: 3, completion_tokens: 2 });
  assert.ok(!forwarded.includes('prompt_tokens'));
  assert.ok(!/[,{]"usage":null/.test(forwarded));
  assert.ok(forwarded.includes('\\"usage\\":null'), 'content that merely looks like the field is untouched');
  assert.ok(forwarded.endsWith('data: [DONE]\n\n'));
});

test('a client that asked for usage gets every event unchanged', () => {
  const events = chunk({ choices: [{ index: 0, delta: { content: 'x' } }], usage: null }) + chunk({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 1 } });
  const harvester = new StreamHarvester('chat', false);
  assert.equal(harvester.push(Buffer.from(events)) + harvester.end().forward, events);
});

test('text retention: hashed keeps shape and parameters, none keeps no text', () => {
  const parts = {
    request: { model: 'gpt-4o', temperature: 0.2, messages: [{ role: 'user', content: 'secret plans' }] },
    response: { text: 'the answer', finish_reason: 'stop' },
  };
  const hashed = retainText('hashed', parts);
  assert.equal(hashed.request.model, 'gpt-4o');
  assert.equal(hashed.request.temperature, 0.2);
  assert.match(String(hashed.request.messages![0]!.content), /^sha256:[0-9a-f]{32}$/);
  assert.equal(hashed.request.messages![0]!.role, 'user');
  assert.notEqual(hashed.response.text, 'the answer');
  const none = retainText('none', parts);
  assert.equal(none.request.messages![0]!.content, '');
  assert.equal(none.response.text, '');
  assert.equal(retainText('full', parts), parts);
});
