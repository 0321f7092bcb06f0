import { createHash } from 'node:crypto';
import type { LedgerRepository } from '../store/store.js';
import type { RequestBody } from '../traffic/types.js';

export type TextRetention = 'full' | 'hashed' | 'none';

interface TextParts {
  request: RequestBody;
  response: { text: string; finish_reason: string | null };
}

// Fields of OpenAI request bodies that carry user or model text; everything else (model,
// parameters) is metadata that metering and detection keep in every mode.
const TEXT_FIELDS = new Set(['content', 'text', 'prompt', 'input', 'instructions', 'system', 'arguments', 'output']);

const hashText = (text: string): string => (text === '' ? '' : `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`);

function mapText(value: unknown, transform: (text: string) => string): unknown {
  if (typeof value === 'string') return transform(value);
  if (Array.isArray(value)) return value.map((item) => mapText(item, transform));
  if (typeof value === 'object' && value !== null) return mapFields(value as Record<string, unknown>, transform);
  return value;
}

function mapFields(object: Record<string, unknown>, transform: (text: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(object)) {
    if (TEXT_FIELDS.has(field)) out[field] = mapText(value, transform);
    else if (typeof value === 'object' && value !== null) out[field] = mapFieldsDeep(value, transform);
    else out[field] = value;
  }
  return out;
}

// Messages and input items nest their text fields inside arrays of objects.
function mapFieldsDeep(value: object, transform: (text: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' && item !== null ? mapFieldsDeep(item, transform) : item));
  return mapFields(value as Record<string, unknown>, transform);
}

export function retainText<T extends TextParts>(mode: TextRetention, parts: T): T {
  if (mode === 'full') return parts;
  const transform = mode === 'hashed' ? hashText : () => '';
  return {
    ...parts,
    request: mapFields(parts.request, transform) as RequestBody,
    response: { ...parts.response, text: transform(parts.response.text) },
  };
}

const RETENTION_PAGE = 1000;

/** Drops prompt and response text from ledger rows older than `beforeMs`, page by page; returns how many. */
export async function dropTextBefore(ledger: LedgerRepository, beforeMs: number): Promise<number> {
  let dropped = 0;
  for (;;) {
    const rows = await ledger.textBefore(beforeMs, RETENTION_PAGE);
    if (rows.length === 0) return dropped;
    await ledger.replaceText(
      rows.map((row) => {
        const kept = retainText('none', { request: JSON.parse(row.request) as RequestBody, response: JSON.parse(row.response) as TextParts['response'] });
        return { id: row.id, request: JSON.stringify(kept.request), response: JSON.stringify(kept.response) };
      }),
    );
    dropped += rows.length;
    if (rows.length < RETENTION_PAGE) return dropped;
  }
}
