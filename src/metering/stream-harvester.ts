import { StringDecoder } from 'node:string_decoder';
import type { EndpointKind } from './endpoint.js';
import { chatToolCalls, readUsage, responsesOutputText, responsesToolCalls, toolCallsOf, type Harvest } from './harvest.js';

const EVENT_END = /\r?\n\r?\n/g;
// With include_usage on, every chunk carries `"usage":null`; a client that did not ask for
// usage never saw that field. Inside a JSON string the quotes would be escaped, so this
// pattern only ever matches the field itself.
const USAGE_NULL = /,"usage":null|"usage":null,/g;

/**
 * Follows an SSE answer event by event: collects the first choice's text and the usage,
 * and decides what the client sees. Events pass through unchanged, except the usage-only
 * chunk that Moat asked for on the client's behalf (`stream_options.include_usage`),
 * which a client that did not ask for it must not receive.
 */
export class StreamHarvester {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private text = '';
  private finishReason: string | null = null;
  private usage: Harvest['usage'];
  private toolCalls = '';

  /** `sofar`: what an earlier reader of the same stream had collected (SseScanner hands over this way). */
  constructor(
    private readonly kind: EndpointKind,
    private readonly hideUsageChunk: boolean,
    sofar?: Harvest,
  ) {
    if (sofar) {
      this.text = sofar.text;
      this.finishReason = sofar.finishReason;
      this.usage = sofar.usage;
      this.toolCalls = sofar.toolCalls ?? '';
    }
  }

  /** Takes a chunk from upstream; returns the complete events to forward now ('' if none). */
  push(chunk: Buffer): string {
    this.pending += this.decoder.write(chunk);
    let forward = '';
    let start = 0;
    EVENT_END.lastIndex = 0;
    for (let match = EVENT_END.exec(this.pending); match; match = EVENT_END.exec(this.pending)) {
      const end = match.index + match[0].length;
      const event = this.pending.slice(start, end);
      if (this.take(event.slice(0, match.index - start))) forward += this.hideUsageChunk ? event.replace(USAGE_NULL, '') : event;
      start = end;
    }
    this.pending = this.pending.slice(start);
    return forward;
  }

  /** The upstream ended: whatever is left (an unterminated last event) is forwarded as is. */
  end(): { forward: string; harvest: Harvest } {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    const forward = rest.trim() !== '' && this.take(rest) ? rest : '';
    return { forward, harvest: this.harvest() };
  }

  harvest(): Harvest {
    return { text: this.text, finishReason: this.finishReason, usage: this.usage, ...toolCallsOf(this.toolCalls) };
  }

  /** Reads one event; returns whether the client should receive it. */
  private take(event: string): boolean {
    let data = '';
    for (const line of event.split('\n')) {
      if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(line[5] === ' ' ? 6 : 5).replace(/\r$/, '');
    }
    if (data === '' || data === '[DONE]') return true;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return true;
    }
    if (typeof parsed !== 'object' || parsed === null) return true;
    return this.kind === 'responses' ? this.takeResponsesEvent(parsed as Record<string, unknown>) : this.takeChunk(parsed as Record<string, unknown>);
  }

  private takeChunk(chunk: Record<string, unknown>): boolean {
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as Record<string, unknown>[]) : [];
    for (const choice of choices) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = choice.delta as Record<string, unknown> | undefined;
      const piece = this.kind === 'chat' ? delta?.content : choice.text;
      if (typeof piece === 'string') this.text += piece;
      // Each delta of a call carries the next piece of its name or arguments.
      if (this.kind === 'chat' && delta && (delta.tool_calls !== undefined || delta.function_call !== undefined)) this.toolCalls += chatToolCalls(delta);
      if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    }
    const usage = chunk.usage === null ? undefined : readUsage(chunk.usage);
    if (usage) this.usage = usage;
    return !(usage && this.hideUsageChunk && choices.length === 0);
  }

  private takeResponsesEvent(event: Record<string, unknown>): boolean {
    if (event.type === 'response.output_text.delta' && typeof event.delta === 'string') this.text += event.delta;
    if (event.type === 'response.output_item.done') this.toolCalls += responsesToolCalls([event.item]);
    const response = event.response as Record<string, unknown> | undefined;
    if (response && (event.type === 'response.completed' || event.type === 'response.incomplete' || event.type === 'response.failed')) {
      this.usage = readUsage(response.usage) ?? this.usage;
      this.finishReason = typeof response.status === 'string' ? response.status : this.finishReason;
      if (this.text === '') this.text = responsesOutputText(response.output);
    }
    return true;
  }
}
