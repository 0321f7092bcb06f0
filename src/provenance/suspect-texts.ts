import { readFileSync } from 'node:fs';

/**
 * A suspect model's outputs from a file: JSON Lines (each line a string, or an object with the
 * text under `text`, `output`, `completion`, `content`, `response.text` or the first choice's
 * message content, as the traffic format and OpenAI answers hold it), or plain text with one
 * output a line. Blank lines are skipped.
 */
export function readSuspectTexts(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const parsed = lines.map(parseLine);
  // Plain text unless every line is JSON: prose lines can start with a brace or a quote.
  return parsed.every((value) => value !== undefined) ? (parsed as string[]) : lines;
}

function parseLine(line: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const field of ['text', 'output', 'completion', 'content', 'output_text']) if (typeof record[field] === 'string') return record[field];
  const response = record.response as { text?: unknown } | undefined;
  if (typeof response?.text === 'string') return response.text;
  const choice = (record.choices as { message?: { content?: unknown }; text?: unknown }[] | undefined)?.[0];
  if (typeof choice?.message?.content === 'string') return choice.message.content;
  if (typeof choice?.text === 'string') return choice.text;
  return undefined;
}
