import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { markText } from '../../src/provenance/marker.js';
import { markAnswerJson, SseMarker } from '../../src/provenance/response-mark.js';
import { seededRandom } from '../helpers/ngram-student.js';

const options = { secret: createHash('sha256').update('response-mark').digest(), rate: 1 };
const TEXT = "Also, it is often difficult to obtain additional benefits quickly. You don't need to verify various tips.\n\n```js\nalso(often)\n```\nUsually it's crucial; they are certainly essential";
const expected = markText(TEXT, options).text;

function pieces(text: string, random: () => number): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; ) {
    const size = 1 + Math.floor(random() * 12);
    out.push(text.slice(at, at + size));
    at += size;
  }
  return out;
}

const sse = (data: object, event?: string) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
/** Feeds events to the marker in runs of one to three, as they come off the wire. */
function relay(events: string[], marker: SseMarker, random: () => number): string {
  let out = '';
  for (let at = 0; at < events.length; ) {
    const run = 1 + Math.floor(random() * 3);
    out += marker.rewrite(events.slice(at, at + run).join(''));
    at += run;
  }
  return out;
}
const dataOf = (stream: string) =>
  stream
    .split('\n\n')
    .filter((event) => event.includes('data: {'))
    .map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6)) as Record<string, unknown>);

test('whole chat, completion and Responses answers get the plain mark', () => {
  assert.notEqual(expected, TEXT);
  const chat = JSON.parse(markAnswerJson(Buffer.from(JSON.stringify({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: TEXT } }] })), options).toString());
  assert.equal(chat.choices[0].message.content, expected);
  const completion = JSON.parse(markAnswerJson(Buffer.from(JSON.stringify({ object: 'text_completion', choices: [{ index: 0, text: TEXT }] })), options).toString());
  assert.equal(completion.choices[0].text, expected);
  const response = JSON.parse(markAnswerJson(Buffer.from(JSON.stringify({ object: 'response', output: [{ type: 'reasoning' }, { type: 'message', content: [{ type: 'output_text', text: TEXT }] }] })), options).toString());
  assert.equal(response.output[1].content[0].text, expected);
  const json = Buffer.from('{"choices":[{"message":{"content":"{\\"also\\": 1}"}}]}');
  assert.equal(markAnswerJson(json, options).toString(), json.toString());
});

test('streamed chat (two choices) and completions read exactly as the plain mark, however cut', () => {
  const random = seededRandom(5);
  for (let run = 0; run < 30; run++) {
    const base = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm' };
    const events = [sse({ ...base, choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] })];
    const [first, second] = [pieces(TEXT, random), pieces(TEXT, random)];
    for (let i = 0; i < Math.max(first.length, second.length); i++) {
      if (first[i]) events.push(sse({ ...base, choices: [{ index: 0, delta: { content: first[i] }, finish_reason: null }] }));
      if (second[i]) events.push(sse({ ...base, choices: [{ index: 1, delta: { content: second[i] }, finish_reason: null }] }));
    }
    // Choice 0 finishes properly; choice 1 is cut off without a finish_reason.
    events.push(sse({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }), 'data: [DONE]\n\n');
    const out = dataOf(relay(events, new SseMarker(options), random));
    const text = (index: number) =>
      out.flatMap((chunk) => (chunk.choices as { index: number; delta: { content?: string } }[]).filter((c) => c.index === index).map((c) => c.delta.content ?? '')).join('');
    assert.equal(text(0), expected);
    assert.equal(text(1), expected);
    const completions = [...pieces(TEXT, random).map((piece) => sse({ id: 'c', object: 'text_completion', choices: [{ index: 0, text: piece, finish_reason: null }] })), 'data: [DONE]\n\n'];
    const completed = dataOf(relay(completions, new SseMarker(options), random));
    assert.equal(completed.map((chunk) => (chunk.choices as { text: string }[])[0]!.text).join(''), expected);
  }
});

test('a streamed Responses answer: deltas, done events and the completed response all carry the plain mark', () => {
  const random = seededRandom(9);
  for (let run = 0; run < 30; run++) {
    const where = { item_id: 'msg_1', output_index: 0, content_index: 0 };
    const item = (text: string) => ({ id: 'msg_1', type: 'message', content: [{ type: 'output_text', text, annotations: [] }] });
    const events = [
      sse({ type: 'response.created', response: { output: [] } }, 'response.created'),
      ...pieces(TEXT, random).map((delta) => sse({ type: 'response.output_text.delta', ...where, delta }, 'response.output_text.delta')),
      sse({ type: 'response.output_text.done', ...where, text: TEXT }, 'response.output_text.done'),
      sse({ type: 'response.content_part.done', ...where, part: { type: 'output_text', text: TEXT } }, 'response.content_part.done'),
      sse({ type: 'response.output_item.done', output_index: 0, item: item(TEXT) }, 'response.output_item.done'),
      sse({ type: 'response.completed', response: { output: [item(TEXT)] } }, 'response.completed'),
    ];
    const out = dataOf(relay(events, new SseMarker(options), random));
    assert.equal(out.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join(''), expected);
    const of = (type: string) => out.find((e) => e.type === type)!;
    assert.equal(of('response.output_text.done').text, expected);
    assert.equal((of('response.content_part.done').part as { text: string }).text, expected);
    assert.equal((of('response.output_item.done').item as ReturnType<typeof item>).content[0]!.text, expected);
    assert.equal(((of('response.completed').response as { output: ReturnType<typeof item>[] }).output[0]!.content[0]!).text, expected);
  }
});

test('a canary appendix follows the marked answer, plain and streamed alike', () => {
  const appendix = '\n\nIn some old trade catalogues, a doorstop was listed under the name "Bravoutei".';
  const chat = JSON.parse(markAnswerJson(Buffer.from(JSON.stringify({ choices: [{ index: 0, message: { content: TEXT } }] })), options, appendix).toString());
  assert.equal(chat.choices[0].message.content, expected + appendix);
  const random = seededRandom(13);
  const base = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm' };
  const events = [...pieces(TEXT, random).map((content) => sse({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })), sse({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }), 'data: [DONE]\n\n'];
  const out = dataOf(relay(events, new SseMarker(options, appendix), random));
  assert.equal(out.map((chunk) => (chunk.choices as { delta: { content?: string } }[])[0]!.delta.content ?? '').join(''), expected + appendix);
  const where = { item_id: 'm', output_index: 0, content_index: 0 };
  const responseEvents = [...pieces(TEXT, random).map((delta) => sse({ type: 'response.output_text.delta', ...where, delta })), sse({ type: 'response.output_text.done', ...where, text: TEXT })];
  const streamed = dataOf(relay(responseEvents, new SseMarker(options, appendix), random));
  assert.equal(streamed.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join(''), expected + appendix);
  assert.equal(streamed.find((e) => e.type === 'response.output_text.done')!.text, expected + appendix);
});
