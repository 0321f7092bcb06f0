import type { RequestBody } from './types.js';

/** Text of an OpenAI content value: a string, or an array of parts with `text`. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : contentText((part as { text?: unknown; content?: unknown })?.text ?? (part as { content?: unknown })?.content)))
      .filter((text) => text !== '')
      .join('\n');
  }
  return '';
}

/**
 * All the prompt text a request sends (system, history, prompt or input), in order. For stored
 * and recorded bodies (console, reports, replays); live requests go through request-fields.ts.
 * A null message (a ledger row from before bodies were checked at the edge) reads as no text.
 */
export function promptText(body: RequestBody): string {
  const parts: string[] = [];
  if (typeof body.instructions === 'string') parts.push(body.instructions);
  if (Array.isArray(body.messages)) for (const message of body.messages as unknown[]) parts.push(contentText((message as { content?: unknown } | null)?.content));
  if (body.prompt !== undefined) parts.push(contentText(body.prompt));
  if (body.input !== undefined) parts.push(contentText(body.input));
  return parts.filter((text) => text !== '').join('\n');
}
