import type { EndpointKind } from '../metering/endpoint.js';
import { countTokens } from '../metering/tokenizer.js';
import { promptText } from '../traffic/request-text.js';
import type { RequestBody } from '../traffic/types.js';

/**
 * Tokens held for a request before it is forwarded: its prompt, counted, plus the most it
 * may generate. Holding the output cap up front is what keeps a long stream from being
 * served past a token limit that is only charged when it ends.
 */
export function reserveTokens(kind: EndpointKind, body: RequestBody, defaultMaxTokens: number): number {
  const prompt = countTokens(promptText(body));
  if (kind === 'embeddings') return prompt;
  const cap = firstCount(body.max_tokens, body.max_completion_tokens, body.max_output_tokens) ?? defaultMaxTokens;
  const choices = firstCount(body.n) ?? 1;
  return prompt + cap * choices;
}

function firstCount(...values: unknown[]): number | undefined {
  for (const value of values) if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  return undefined;
}
