import { MarkStream, type MarkOptions } from './marker.js';

type Json = Record<string, unknown>;

/** The event with its data line replaced by `parsed`, other lines and the terminator kept. */
function withData(event: string, lines: string[], dataAt: number, parsed: Json): string {
  const terminator = event.slice(event.trimEnd().length);
  return [...lines.slice(0, dataAt), `data: ${JSON.stringify(parsed)}`].join('\n') + terminator;
}
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const markWhole = (text: string, options: MarkOptions): string => {
  const stream = new MarkStream(options);
  return stream.push(text) + stream.end();
};

/** Each `output_text` part of a Responses API output list, with its place (output index, content index). */
function outputTexts(output: unknown): { part: Json; place: string }[] {
  if (!Array.isArray(output)) return [];
  return output.flatMap((item, o) =>
    isObject(item) && Array.isArray(item.content)
      ? item.content.flatMap((part, c) => (isObject(part) && part.type === 'output_text' && typeof part.text === 'string' ? [{ part, place: `${o}:${c}` }] : []))
      : [],
  );
}

/**
 * The mark on chat, completion and Responses answers, whole or streamed, so a streamed answer
 * reads exactly as the same answer unstreamed.
 */
export function markAnswerJson(bytes: Buffer, options: MarkOptions, appendix = ''): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return bytes;
  }
  if (!isObject(parsed)) return bytes;
  let changed = false;
  for (const { part } of outputTexts(parsed.output)) {
    const marked = markWhole(part.text as string, options) + appendix;
    if (marked !== part.text) {
      part.text = marked;
      changed = true;
    }
  }
  for (const choice of Array.isArray(parsed.choices) ? parsed.choices : []) {
    if (!isObject(choice)) continue;
    const holder = isObject(choice.message) ? choice.message : choice;
    const field = holder === choice ? 'text' : 'content';
    const text = holder[field];
    if (typeof text !== 'string') continue;
    const marked = markWhole(text, options) + appendix;
    if (marked !== text) {
      holder[field] = marked;
      changed = true;
    }
  }
  return changed ? Buffer.from(JSON.stringify(parsed)) : bytes;
}

/**
 * A chat or completion chunk of the everyday shape (one choice, not finished, its text one
 * string): where that string's literal lies in the data, read without parsing the chunk, which
 * on a long answer is most of the mark's cost. Anything else is undefined, for the full parse.
 */
function simpleChunk(data: string): { index: number; text: string; start: number; end: number } | undefined {
  const index = data.indexOf('"index":');
  if (index < 0 || data.indexOf('"index":', index + 1) >= 0 || !data.includes('"finish_reason":null')) return undefined;
  const field = data.indexOf('"content":"') >= 0 ? '"content":"' : '"text":"';
  const at = data.indexOf(field);
  if (at < 0 || data.indexOf(field, at + 1) >= 0) return undefined;
  const start = at + field.length - 1;
  let end = start + 1;
  while (end < data.length && data[end] !== '"') end += data[end] === '\\' ? 2 : 1;
  if (end >= data.length) return undefined;
  const choice = /^\d+/.exec(data.slice(index + 8));
  if (!choice) return undefined;
  try {
    return { index: Number(choice[0]), text: JSON.parse(data.slice(start, end + 1)) as string, start, end: end + 1 };
  } catch {
    // Not valid JSON after all: the full parse decides (and passes a broken event on as it is).
    return undefined;
  }
}

/**
 * Marks complete SSE events (as StreamHarvester forwards them), one MarkStream per chat
 * choice or Responses output part. The word a stream holds back goes out with that choice's
 * next chunk, at the latest with its finish_reason chunk; an answer cut off without one gets
 * a last chunk of its own before [DONE]. A Responses part's held word goes out as one more
 * delta just before its `done` event, and every event that repeats the whole text (part,
 * item and response done) carries the marked text.
 */
export class SseMarker {
  private readonly streams = new Map<number, MarkStream>();
  private template: Json | undefined;
  private readonly parts = new Map<string, { stream: MarkStream | undefined; text: string; delta: Json }>();

  /** `appendix`: text added after each answer (a canary), outside the mark. */
  constructor(
    private readonly options: MarkOptions,
    private readonly appendix = '',
  ) {}

  rewrite(events: string): string {
    let out = '';
    let start = 0;
    // Events end with a blank line; StreamHarvester forwards only whole ones.
    for (let end = events.indexOf('\n\n', start); end >= 0; end = events.indexOf('\n\n', start)) {
      out += this.rewriteEvent(events.slice(start, end + 2));
      start = end + 2;
    }
    return start < events.length ? out + this.rewriteEvent(events.slice(start)) : out;
  }

  private rewriteEvent(event: string): string {
    const dataLine = event.startsWith('data:') ? 0 : event.indexOf('\ndata:') + 1;
    if (dataLine === 0 && !event.startsWith('data:')) return event;
    const valueAt = dataLine + (event[dataLine + 5] === ' ' ? 6 : 5);
    const lineEnd = event.indexOf('\n', valueAt);
    const data = event.slice(valueAt, lineEnd < 0 ? event.length : event[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd);
    if (data.trim() === '[DONE]') return this.flushAll() + event;
    const fast = this.template && simpleChunk(data);
    if (fast) {
      const marked = this.streamFor(fast.index).push(fast.text);
      return marked === fast.text ? event : event.slice(0, valueAt + fast.start) + JSON.stringify(marked) + event.slice(valueAt + fast.end);
    }
    const lines = event.split(/\r?\n/);
    const dataAt = lines.findIndex((line) => line.startsWith('data:'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return event;
    }
    if (!isObject(parsed)) return event;
    if (typeof parsed.type === 'string' && parsed.type.startsWith('response.')) return this.responsesEvent(parsed, lines, dataAt, event);
    if (!Array.isArray(parsed.choices)) return event;
    this.template ??= parsed;
    let changed = false;
    /** The one text changed, for the splice below. */
    let splice: { field: string; from: string; to: string } | undefined;
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
        marked += stream.end() + this.appendix;
        this.streams.delete(index);
      }
      if (marked !== text && (marked !== '' || typeof text === 'string')) {
        splice = !changed && typeof text === 'string' ? { field, from: text, to: marked } : undefined;
        holder[field] = marked;
        changed = true;
      }
    }
    if (!changed) return event;
    // Most chunks change one short string: written into the upstream's own bytes, which spares
    // re-serializing the chunk (and keeps its field order), when that string is found as we would write it.
    if (splice) {
      const from = `"${splice.field}":${JSON.stringify(splice.from)}`;
      const at = data.indexOf(from);
      if (at >= 0 && data.indexOf(from, at + 1) < 0) return `${event.slice(0, valueAt + at)}"${splice.field}":${JSON.stringify(splice.to)}${event.slice(valueAt + at + from.length)}`;
    }
    return withData(event, lines, dataAt, parsed);
  }

  private responsesEvent(parsed: Json, lines: string[], dataAt: number, event: string): string {
    const place = `${String(parsed.output_index)}:${String(parsed.content_index)}`;
    switch (parsed.type) {
      case 'response.output_text.delta': {
        if (typeof parsed.delta !== 'string') return event;
        let part = this.parts.get(place);
        if (!part) this.parts.set(place, (part = { stream: new MarkStream(this.options), text: '', delta: parsed }));
        const marked = part.stream ? part.stream.push(parsed.delta) : parsed.delta;
        part.text += marked;
        parsed.delta = marked;
        return withData(event, lines, dataAt, parsed);
      }
      case 'response.output_text.done': {
        const held = this.endPart(place);
        if (held === undefined) return event;
        parsed.text = this.parts.get(place)!.text;
        return held + withData(event, lines, dataAt, parsed);
      }
      case 'response.content_part.done': {
        const part = isObject(parsed.part) && parsed.part.type === 'output_text' ? parsed.part : undefined;
        const marked = this.parts.get(place);
        if (!part || !marked) return event;
        part.text = marked.text;
        return withData(event, lines, dataAt, parsed);
      }
      case 'response.output_item.done': {
        if (!isObject(parsed.item)) return event;
        return this.replaceTexts([parsed.item], String(parsed.output_index)) ? withData(event, lines, dataAt, parsed) : event;
      }
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        // A stream cut before a part's done event: its held word goes out now.
        let held = '';
        for (const open of this.parts.keys()) held += this.endPart(open) ?? '';
        const output = isObject(parsed.response) ? parsed.response.output : undefined;
        const changed = this.replaceTexts(output, undefined);
        return held + (changed ? withData(event, lines, dataAt, parsed) : event);
      }
      default:
        return event;
    }
  }

  /** Ends a part's stream; what it held, as a delta event of its own ('' if nothing); undefined for a part never seen. */
  private endPart(place: string): string | undefined {
    const part = this.parts.get(place);
    if (!part) return undefined;
    if (!part.stream) return '';
    const rest = part.stream.end() + this.appendix;
    part.stream = undefined;
    if (rest === '') return '';
    part.text += rest;
    return `event: response.output_text.delta\ndata: ${JSON.stringify({ ...part.delta, delta: rest })}\n\n`;
  }

  /** Writes the marked texts into output items (all of a response's, or the one at `outputIndex`). */
  private replaceTexts(output: unknown, outputIndex: string | undefined): boolean {
    let changed = false;
    for (const { part, place } of outputTexts(output)) {
      const key = outputIndex === undefined ? place : `${outputIndex}:${place.slice(place.indexOf(':') + 1)}`;
      const marked = this.parts.get(key);
      if (marked && marked.stream === undefined && part.text !== marked.text) {
        part.text = marked.text;
        changed = true;
      }
    }
    return changed;
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
      const rest = stream.end() + this.appendix;
      if (rest === '' || !this.template) continue;
      const chat = this.template.object === 'chat.completion.chunk';
      const choice = chat ? { index, delta: { content: rest }, finish_reason: null } : { index, text: rest, finish_reason: null };
      out += `data: ${JSON.stringify({ ...this.template, choices: [choice] })}\n\n`;
    }
    this.streams.clear();
    return out;
  }
}
