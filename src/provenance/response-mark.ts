import { MarkStream, type MarkOptions } from './marker.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The mark on chat and completion answers, whole or streamed, so a streamed answer reads
 * exactly as the same answer unstreamed. (Responses API answers are not marked yet.)
 */
export function markAnswerJson(bytes: Buffer, options: MarkOptions): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return bytes;
  }
  if (!isObject(parsed) || !Array.isArray(parsed.choices)) return bytes;
  let changed = false;
  for (const choice of parsed.choices) {
    if (!isObject(choice)) continue;
    const holder = isObject(choice.message) ? choice.message : choice;
    const field = holder === choice ? 'text' : 'content';
    const text = holder[field];
    if (typeof text !== 'string') continue;
    const stream = new MarkStream(options);
    const marked = stream.push(text) + stream.end();
    if (marked !== text) {
      holder[field] = marked;
      changed = true;
    }
  }
  return changed ? Buffer.from(JSON.stringify(parsed)) : bytes;
}

/**
 * Marks complete SSE events (as StreamHarvester forwards them), one MarkStream per choice.
 * The word a stream holds back goes out with that choice's next chunk, at the latest with its
 * finish_reason chunk; an answer cut off without one gets a last chunk of its own before [DONE].
 */
export class SseMarker {
  private readonly streams = new Map<number, MarkStream>();
  private template: Json | undefined;

  constructor(private readonly options: MarkOptions) {}

  rewrite(events: string): string {
    let out = '';
    for (const event of events.split(/(?<=\r?\n\r?\n)/)) out += this.rewriteEvent(event);
    return out;
  }

  private rewriteEvent(event: string): string {
    const lines = event.split(/\r?\n/);
    const dataAt = lines.findIndex((line) => line.startsWith('data:'));
    if (dataAt < 0) return event;
    const data = lines[dataAt]!.slice(lines[dataAt]![5] === ' ' ? 6 : 5);
    if (data.trim() === '[DONE]') return this.flushAll() + event;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return event;
    }
    if (!isObject(parsed) || !Array.isArray(parsed.choices)) return event;
    this.template ??= parsed;
    let changed = false;
    for (const choice of parsed.choices) {
      if (!isObject(choice)) continue;
      const holder = isObject(choice.delta) ? choice.delta : choice;
      const field = holder === choice ? 'text' : 'content';
      const text = holder[field];
      const finished = choice.finish_reason !== null && choice.finish_reason !== undefined;
      if (typeof text !== 'string' && !finished) continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      const stream = this.streamFor(index);
      let marked = typeof text === 'string' ? stream.push(text) : '';
      if (finished) {
        marked += stream.end();
        this.streams.delete(index);
      }
      if (marked !== text && (marked !== '' || typeof text === 'string')) {
        holder[field] = marked;
        changed = true;
      }
    }
    if (!changed) return event;
    const terminator = event.slice(event.trimEnd().length);
    return [...lines.slice(0, dataAt), `data: ${JSON.stringify(parsed)}`].join('\n') + terminator;
  }

  private streamFor(index: number): MarkStream {
    let stream = this.streams.get(index);
    if (!stream) this.streams.set(index, (stream = new MarkStream(this.options)));
    return stream;
  }

  /** What the streams still hold, as one chunk per choice shaped like the upstream's own. */
  private flushAll(): string {
    let out = '';
    for (const [index, stream] of this.streams) {
      const rest = stream.end();
      if (rest === '' || !this.template) continue;
      const chat = this.template.object === 'chat.completion.chunk';
      const choice = chat ? { index, delta: { content: rest }, finish_reason: null } : { index, text: rest, finish_reason: null };
      out += `data: ${JSON.stringify({ ...this.template, choices: [choice] })}\n\n`;
    }
    this.streams.clear();
    return out;
  }
}
