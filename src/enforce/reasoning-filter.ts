/**
 * Strips reasoning from answers: chat's `reasoning_content` / `reasoning` fields (message and
 * delta), and the Responses API's reasoning output items and reasoning-summary events. The
 * traces are what a reasoning-distillation campaign harvests; the answer itself still flows.
 */

const REASONING_FIELDS = ['reasoning_content', 'reasoning', 'reasoning_details'] as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function stripFields(target: unknown): boolean {
  if (!isObject(target)) return false;
  let changed = false;
  for (const field of REASONING_FIELDS) {
    if (field in target) {
      delete target[field];
      changed = true;
    }
  }
  return changed;
}

function stripOutput(output: unknown): boolean {
  if (!Array.isArray(output)) return false;
  const kept = output.filter((item) => !(isObject(item) && item.type === 'reasoning'));
  if (kept.length === output.length) return false;
  output.splice(0, output.length, ...kept);
  return true;
}

/** Removes reasoning from a parsed chat, completion or Responses body, in place; true if anything went. */
export function stripReasoning(body: unknown): boolean {
  if (!isObject(body)) return false;
  let changed = false;
  if (Array.isArray(body.choices)) {
    for (const choice of body.choices) {
      if (!isObject(choice)) continue;
      if (stripFields(choice.message)) changed = true;
      if (stripFields(choice.delta)) changed = true;
    }
  }
  if (stripOutput(body.output)) changed = true;
  if (isObject(body.response) && stripOutput(body.response.output)) changed = true;
  return changed;
}

/** The JSON answer's bytes without reasoning, or the same bytes when there was none (or it is not JSON). */
export function stripReasoningJson(bytes: Buffer): Buffer {
  // Most answers carry no reasoning: a byte search spares them a parse and a re-serialization.
  if (!bytes.includes('reasoning')) return bytes;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return bytes;
  }
  return stripReasoning(parsed) ? Buffer.from(JSON.stringify(parsed)) : bytes;
}

const REASONING_EVENT = /^response\.reasoning/;
const EVENT_END = /\r?\n\r?\n/;

/**
 * Filters complete SSE events (as StreamHarvester forwards them): a Responses reasoning event
 * is dropped, a chunk with reasoning fields is rewritten, anything else passes as it is.
 */
export function stripReasoningEvents(events: string): string {
  if (!events.includes('reasoning')) return events;
  let out = '';
  for (const event of events.split(/(?<=\r?\n\r?\n)/)) out += rewriteEvent(event);
  return out;
}

function rewriteEvent(event: string): string {
  if (!event.includes('reasoning')) return event;
  const end = EVENT_END.exec(event);
  const terminator = end ? event.slice(end.index) : '';
  const lines = (end ? event.slice(0, end.index) : event).split(/\r?\n/);
  const dataAt = lines.findIndex((line) => line.startsWith('data:'));
  if (dataAt < 0) return event;
  let parsed: unknown;
  try {
    parsed = JSON.parse(lines.slice(dataAt).filter((l) => l.startsWith('data:')).map((l) => l.slice(l[5] === ' ' ? 6 : 5)).join('\n'));
  } catch {
    return event;
  }
  if (!isObject(parsed)) return event;
  if (typeof parsed.type === 'string' && REASONING_EVENT.test(parsed.type)) return '';
  if (isObject(parsed.item) && parsed.item.type === 'reasoning') return '';
  if (!stripReasoning(parsed)) return event;
  const head = lines.slice(0, dataAt).filter((line) => !line.startsWith('data:'));
  return [...head, `data: ${JSON.stringify(parsed)}`].join('\n') + terminator;
}
