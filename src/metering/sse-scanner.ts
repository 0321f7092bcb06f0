import { isAscii } from 'node:buffer';
import type { EndpointKind } from './endpoint.js';
import { readUsage, type Harvest } from './harvest.js';
import { StreamHarvester } from './stream-harvester.js';

// The scanner searches a latin1 view of the events' bytes (one character a byte, so positions
// are byte offsets): a string search costs a fraction of a Buffer one, whose every call crosses
// into C++, and each stream event usually comes in a chunk of its own. V8 finds a pattern by
// skipping to its first character, so each key is searched by a part that starts with a rare
// one (not the quote, which every few bytes of JSON hold: a search for `"content":"` reads
// twice as slowly as one for `content":`) and the quote and colon around it are checked after.
const CONTENT = 'content":';
const TEXT = 'text":';
const FINISH = 'finish_reason":';
const USAGE = 'usage":';
// Tool calls are rare in a stream and read by the event parser, which collects their arguments;
// `_call` is the part that `"tool_calls":` and `"function_call":` share.
const CALL = '_call';
const TOOL_CALLS = '"tool_calls":';
const FUNCTION_CALL = '"function_call":';
const USAGE_NULL = '"usage":null';
const NO_CHOICES = Buffer.from('"choices":[]', 'latin1');
const EMPTY = Buffer.alloc(0);
const QUOTE = 0x22;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const BACKSLASH = 0x5c;

/** End of the last complete SSE event in `buf` (after its blank line), or 0 if none is complete. */
function lastEventEnd(buf: Buffer): number {
  const length = buf.length;
  // Most chunks end with their event: no search (for a CRLF blank line that is absent, it would read the whole chunk).
  if (buf[length - 1] === 0x0a && (buf[length - 2] === 0x0a || (buf[length - 2] === 0x0d && buf[length - 3] === 0x0a))) return length;
  const lf = buf.lastIndexOf('\n\n');
  const crlf = buf.lastIndexOf('\n\r\n');
  return Math.max(lf < 0 ? 0 : lf + 2, crlf < 0 ? 0 : crlf + 3);
}

/** Index of the quote that closes the JSON string starting at `from`, or -1. */
function stringEnd(view: string, from: number, limit: number): number {
  for (let at = view.indexOf('"', from); at >= 0 && at < limit; at = view.indexOf('"', at + 1)) {
    let slashes = 0;
    while (view.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
  }
  return -1;
}

/**
 * The JSON string between `start` and `end`, unescaped. In events all of one byte a character
 * (`ascii`), the latin1 view's slice is the text itself, with no decoding; `escapes` says whether
 * the events hold a backslash at all, so most pieces are never searched for one.
 */
function stringAt(buf: Buffer, view: string, start: number, end: number, events: { ascii: boolean; escapes: boolean }): string {
  const raw = events.ascii ? view.slice(start, end) : buf.toString('utf8', start, end);
  return events.escapes && raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/** End (exclusive) of the JSON object whose `{` is at `open`; usage objects hold no strings with braces. */
function objectEnd(buf: Buffer, open: number, limit: number): number {
  let depth = 0;
  for (let at = open; at < limit; at++) {
    const byte = buf[at];
    if (byte === 0x7b) depth++;
    else if (byte === 0x7d && --depth === 0) return at + 1;
  }
  return -1;
}

/** Where the value of the key whose name ends at `at` + `key` begins, or -1 when the match is only the end of a longer key (`reasoning_content`). */
function valueAt(view: string, at: number, key: string): number {
  return view.charCodeAt(at - 1) === QUOTE ? at + key.length : -1;
}

/** Whether the events hold a tool call (or the older function call) key. */
function holdsToolCalls(view: string): boolean {
  for (let at = view.indexOf(CALL); at >= 0; at = view.indexOf(CALL, at + CALL.length)) {
    if (view.startsWith(TOOL_CALLS, at - 5) || view.startsWith(FUNCTION_CALL, at - 9)) return true;
  }
  return false;
}

/**
 * Meters a chat or completions stream (one choice) as it passes, on its bytes: it looks only
 * for the text deltas, the finish reason and the usage chunk, and decodes nothing else. The
 * events go out as the bytes that came in, except, when Moat asked for usage on the client's
 * behalf, the usage-only chunk and the `"usage":null` fields that asking adds to every chunk.
 * Anything it cannot read this way (JSON with spaces after colons) hands the rest of the
 * stream to the event parser, StreamHarvester.
 */
export class SseScanner {
  private pending: Buffer = EMPTY;
  private text = '';
  private finishReason: string | null = null;
  private usage: Harvest['usage'];
  private parser: StreamHarvester | undefined;
  private readonly piece: string;

  constructor(
    private readonly kind: EndpointKind,
    private readonly hideUsage: boolean,
  ) {
    this.piece = kind === 'chat' ? CONTENT : TEXT;
  }

  push(chunk: Buffer): Buffer | string {
    if (this.parser) return this.parser.push(chunk);
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const end = lastEventEnd(buf);
    if (end === 0) {
      this.pending = buf;
      return EMPTY;
    }
    this.pending = end === buf.length ? EMPTY : buf.subarray(end);
    return this.complete(buf.subarray(0, end));
  }

  end(): { forward: Buffer | string; harvest: Harvest } {
    if (this.parser) return this.parser.end();
    const rest = this.pending;
    this.pending = EMPTY;
    const forward = rest.length > 0 ? this.complete(rest) : EMPTY;
    return { forward, harvest: this.harvest() };
  }

  harvest(): Harvest {
    return this.parser ? this.parser.harvest() : { text: this.text, finishReason: this.finishReason, usage: this.usage };
  }

  /**
   * Whole events: metered, and what the client gets of them returned. A key written with a
   * space after its colon (JSON that is not compact) hands the events to the event parser
   * before anything read from them is kept, so the parser reads them whole.
   */
  private complete(events: Buffer): Buffer | string {
    const view = events.toString('latin1');
    if (this.kind === 'chat' && holdsToolCalls(view)) return this.handOver(events);
    const kind = { ascii: isAscii(events), escapes: view.includes('\\') };
    const piece = this.piece;
    let text = '';
    for (let at = view.indexOf(piece); at >= 0; at = view.indexOf(piece, at)) {
      const value = valueAt(view, at, piece);
      at += piece.length;
      if (value < 0) continue;
      const first = view.charCodeAt(value);
      if (first === SPACE) return this.handOver(events);
      if (first !== QUOTE) continue;
      const close = stringEnd(view, value + 1, view.length);
      if (close < 0) break;
      text += stringAt(events, view, value + 1, close, kind);
      at = close + 1;
    }
    let finishReason = this.finishReason;
    for (let at = view.indexOf(FINISH); at >= 0; at = view.indexOf(FINISH, at + FINISH.length)) {
      const value = valueAt(view, at, FINISH);
      if (value < 0) continue;
      const first = view.charCodeAt(value);
      if (first === SPACE) return this.handOver(events);
      if (first !== QUOTE) continue;
      const close = stringEnd(view, value + 1, view.length);
      if (close >= 0) finishReason = events.toString('utf8', value + 1, close);
    }
    // Where the first usage object opens, and whether any `"usage":null` member is there to cut.
    let usageOpen = -1;
    let usageNulls = false;
    for (let at = view.indexOf(USAGE); at >= 0; at = view.indexOf(USAGE, at + USAGE.length)) {
      const value = valueAt(view, at, USAGE);
      if (value < 0) continue;
      const first = view.charCodeAt(value);
      if (first === SPACE) return this.handOver(events);
      if (first === OPEN_BRACE) usageOpen = usageOpen < 0 ? value : usageOpen;
      else usageNulls ||= view.startsWith(USAGE_NULL, at - 1);
    }
    this.text += text;
    this.finishReason = finishReason;
    if (usageOpen < 0) return this.hideUsage && usageNulls ? withoutUsageNulls(events) : events;
    const close = objectEnd(events, usageOpen, events.length);
    if (close < 0) return this.handOver(events);
    try {
      this.usage = readUsage(JSON.parse(events.toString('utf8', usageOpen, close))) ?? this.usage;
    } catch {
      return this.handOver(events);
    }
    if (!this.hideUsage) return events;
    return withoutUsageNulls(withoutUsageChunk(events, usageOpen));
  }

  /** From here on the stream is parsed event by event; what was read so far is kept. */
  private handOver(events: Buffer): string {
    this.parser = new StreamHarvester(this.kind, this.hideUsage, { text: this.text, finishReason: this.finishReason, usage: this.usage });
    return this.parser.push(events);
  }
}

/** Drops the event holding the usage object at `usageAt` if it carries no choices (the chunk asked for on the client's behalf). */
function withoutUsageChunk(events: Buffer, usageAt: number): Buffer {
  const before = events.lastIndexOf('\n\n', usageAt);
  const beforeCr = events.lastIndexOf('\n\r\n', usageAt);
  const start = Math.max(before < 0 ? 0 : before + 2, beforeCr < 0 ? 0 : beforeCr + 3);
  const after = events.indexOf('\n\n', usageAt);
  const afterCr = events.indexOf('\n\r\n', usageAt);
  const ends = [after < 0 ? -1 : after + 2, afterCr < 0 ? -1 : afterCr + 3].filter((end) => end > 0);
  const end = ends.length > 0 ? Math.min(...ends) : events.length;
  const event = events.subarray(start, end);
  if (!event.includes(NO_CHOICES)) return events;
  return Buffer.concat([events.subarray(0, start), events.subarray(end)]);
}

/**
 * Removes the `"usage":null` members asking for usage adds to every chunk (a client that did
 * not ask never saw that field). Inside a JSON string the quotes would be escaped, so the
 * pattern only ever matches the member itself.
 */
function withoutUsageNulls(events: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = events.indexOf(USAGE_NULL); at >= 0; at = events.indexOf(USAGE_NULL, from)) {
    // The member and the comma that separates it: before it, or else after it.
    if (events[at - 1] === 0x2c) {
      parts.push(events.subarray(from, at - 1));
      from = at + USAGE_NULL.length;
    } else {
      parts.push(events.subarray(from, at));
      from = at + USAGE_NULL.length + (events[at + USAGE_NULL.length] === 0x2c ? 1 : 0);
    }
  }
  if (parts.length === 0) return events;
  parts.push(events.subarray(from));
  return Buffer.concat(parts);
}
