import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withIncludeUsage } from '../../src/metering/include-usage.js';
import { SseScanner } from '../../src/metering/sse-scanner.js';
import { StreamHarvester } from '../../src/metering/stream-harvester.js';

const event = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const chunk = (content: string | null, extra: Record<string, unknown> = {}) =>
  event({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: null }], ...extra });

/** Feeds `stream` cut at every `step` bytes; returns what the client got and the harvest. */
function run(meter: { push(c: Buffer): Buffer | string; end(): { forward: Buffer | string; harvest: unknown } }, stream: string, step: number) {
  const bytes = Buffer.from(stream);
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += step) out.push(Buffer.from(meter.push(bytes.subarray(at, at + step))));
  const { forward, harvest } = meter.end();
  out.push(Buffer.from(forward));
  return { forwarded: Buffer.concat(out).toString('utf8'), harvest };
}

// The JSON one holds `": ` (escaped quotes) as compact JSON never does outside a string's text.
const texts = ['Hello', ' "quoted" \\ back', ' naïve – ünïcödé 日本語 😀', ' line\nbreak', ' {"text": 1}', ''];

describe('the byte scanner meters a stream as the event parser does', () => {
  const usage = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 } };
  const asked = [...texts.map((t) => chunk(t, { usage: null })), chunk(null, { usage: null }).replace('"finish_reason":null', '"finish_reason":"stop"'), event({ id: 'c1', choices: [], usage }), 'data: [DONE]\n\n'].join('');

  for (const step of [1, 3, 7, 64, 100_000]) {
    test(`usage asked on the client's behalf, cut every ${step} bytes: same text, usage and bytes out as the parser`, () => {
      const scanned = run(new SseScanner('chat', true), asked, step);
      const parsed = run(new StreamHarvester('chat', true), asked, step);
      assert.deepEqual(scanned.harvest, parsed.harvest);
      assert.equal(scanned.forwarded, parsed.forwarded);
      assert.equal((scanned.harvest as { text: string }).text, texts.join(''));
      assert.ok(!scanned.forwarded.includes('"usage"'), 'no usage member reaches a client that did not ask');
    });
  }

  test('a client that asked for usage gets the stream byte for byte', () => {
    const scanned = run(new SseScanner('chat', false), asked, 5);
    assert.equal(scanned.forwarded, asked);
    assert.deepEqual((scanned.harvest as { usage: unknown }).usage, { prompt_tokens: 12, completion_tokens: 5 });
  });

  test('completions text and CRLF events', () => {
    const stream = ['a', 'b"c'].map((t) => `data: ${JSON.stringify({ choices: [{ index: 0, text: t, finish_reason: null }] })}\r\n\r\n`).join('') + 'data: [DONE]\r\n\r\n';
    const scanned = run(new SseScanner('completions', false), stream, 4);
    assert.equal(scanned.forwarded, stream);
    assert.equal((scanned.harvest as { text: string }).text, 'ab"c');
  });

  test('JSON written with spaces hands the stream to the event parser, keeping what was read', () => {
    const spaced = chunk('first') + 'data: {"choices": [{"index": 0, "delta": {"content": "second"}, "finish_reason": "length"}]}\n\n';
    const scanned = run(new SseScanner('chat', false), spaced, 1000);
    assert.equal(scanned.forwarded, spaced);
    assert.deepEqual(scanned.harvest, { text: 'firstsecond', finishReason: 'length', usage: undefined });
  });

  test('a key that only ends like a read one (reasoning_content, a tool call) is read as the parser reads it', () => {
    const reasoning = event({ choices: [{ index: 0, delta: { reasoning_content: 'think "content":', content: 'answer' }, finish_reason: null }] });
    const toolCall = event({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' }] });
    for (const stream of [reasoning + 'data: [DONE]\n\n', reasoning + toolCall + 'data: [DONE]\n\n']) {
      const scanned = run(new SseScanner('chat', false), stream, 1000);
      assert.equal(scanned.forwarded, stream);
      assert.deepEqual(scanned.harvest, run(new StreamHarvester('chat', false), stream, 1000).harvest);
    }
    assert.equal((run(new SseScanner('chat', false), reasoning, 1000).harvest as { text: string }).text, 'answer');
  });

  test('an unterminated last event is forwarded as it is', () => {
    const stream = chunk('x') + 'data: {"choices":[{"index":0,"delta":{"content":"y"}}]}';
    const scanned = run(new SseScanner('chat', false), stream, 10);
    assert.equal(scanned.forwarded, stream);
    assert.equal((scanned.harvest as { text: string }).text, 'xy');
  });
});

describe('include_usage is spliced into the client bytes', () => {
  for (const body of ['{"model":"m","stream":true}', '  {\n "model" : "m", "messages":[{"role":"user","content":"{x}"}], "stream": true }', '{}']) {
    test(JSON.stringify(body), () => {
      const spliced = withIncludeUsage(Buffer.from(body));
      const parsed = JSON.parse(spliced.toString('utf8')) as Record<string, unknown>;
      assert.deepEqual(parsed, { stream_options: { include_usage: true }, ...(JSON.parse(body) as object) });
      assert.ok(spliced.toString('utf8').endsWith(body.slice(body.indexOf('{') + 1)), 'the rest of the body is the client bytes');
    });
  }
});
