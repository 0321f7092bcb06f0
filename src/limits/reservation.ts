import type { EndpointKind } from '../metering/endpoint.js';
import type { RequestFields } from '../traffic/request-fields.js';

/**
 * Tokens held for a request before it is forwarded: its prompt, counted, plus the most it
 * may generate. Holding the output cap up front is what keeps a long stream from being
 * served past a token limit that is only charged when it ends. The prompt is counted by the
 * caller (once per request: the ledger's fallback needs the same count).
 */
export function reserveTokens(kind: EndpointKind, fields: RequestFields, promptTokens: number, defaultMaxTokens: number): number {
  if (kind === 'embeddings') return promptTokens;
  const cap = fields.maxTokens !== undefined && fields.maxTokens > 0 ? fields.maxTokens : defaultMaxTokens;
  return promptTokens + cap * fields.choices;
}
