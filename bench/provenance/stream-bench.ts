/**
 * What the mark costs on the streaming path: µs per KB of answer text through MarkStream, fed
 * in deltas of the size upstreams send (about 4 characters), against the same text only cut
 * and rejoined; and through SseMarker on whole SSE chunks as the gateway sees them.
 *   npx tsx bench/provenance/stream-bench.ts [../shared/data/traffic/dev-v1]
 */
import { createHash } from 'node:crypto';
import { MarkStream } from '../../src/provenance/marker.js';
import { responseTexts } from '../../src/provenance/response-texts.js';
import { SseMarker } from '../../src/provenance/response-mark.js';

const dir = process.argv[2] ?? '../shared/data/traffic/dev-v1';
const texts = (await responseTexts(dir)).slice(0, 3000);
const options = { secret: createHash('sha256').update('bench').digest(), rate: 1 };
const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
const deltas = texts.map((text) => text.match(/[\s\S]{1,4}/g) ?? []);
const chunks = deltas.map((pieces) =>
  pieces.map((content) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`),
);

function time(work: () => void, rounds = 3): number {
  work();
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    work();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1000);
  }
  return best;
}

const baseline = time(() => {
  for (const pieces of deltas) {
    let out = '';
    for (const piece of pieces) out += piece;
  }
});
const marked = time(() => {
  for (const pieces of deltas) {
    const stream = new MarkStream(options);
    let out = '';
    for (const piece of pieces) out += stream.push(piece);
    out += stream.end();
  }
});
const sse = time(() => {
  for (const events of chunks) {
    const marker = new SseMarker(options);
    for (const event of events) marker.rewrite(event);
  }
});
const kb = bytes / 1024;
process.stdout.write(
  `| path | µs per KB of answer text |\n|---|---:|\n| deltas only cut and rejoined (baseline) | ${(baseline / kb).toFixed(1)} |\n| MarkStream, 4-character deltas | ${(marked / kb).toFixed(1)} |\n| SseMarker on chat SSE chunks (parse, mark, re-serialize) | ${(sse / kb).toFixed(1)} |\n\n${texts.length} dev-v1 answers, ${kb.toFixed(0)} KB; best of 3 rounds.\n`,
);
