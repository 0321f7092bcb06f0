import { countTokens as countO200k } from 'gpt-tokenizer';

/**
 * Token counts for answers whose upstream reported no usage (servers without usage, aborted
 * streams) and for reservations. o200k_base is the tokenizer of current OpenAI models; for
 * other model families it is an estimate, which is all a missing usage report allows.
 *
 * BPE merges within one pre-token cost the square of its length, and a run without spaces
 * (`aaaa…`, CJK, base64) is one pre-token: 100 KB of it held the event loop for seconds.
 * Long runs are counted in slices (a merge never spans more than a few characters of real
 * text, so the count moves by well under 1%), which makes the cost linear: about 3 ms per
 * 10,000 characters of the worst text. Beyond `maxChars` the first `maxChars` are counted and
 * the rest estimated at the same rate, so one count never costs more than that.
 */
export type TokenCounter = (text: string) => number;

export const DEFAULT_TOKENIZE_MAX_CHARS = 16_384;

const LONG_RUN = /\S{48,}/g;
const SLICE = 32;

function countBounded(text: string, count: TokenCounter): number {
  let total = 0;
  let last = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    if (match.index > last) total += count(text.slice(last, match.index));
    const run = match[0];
    for (let at = 0; at < run.length; at += SLICE) total += count(run.slice(at, at + SLICE));
    last = match.index + run.length;
  }
  if (last < text.length) total += count(text.slice(last));
  return total;
}

/** `exact` is the BPE counter the bounded one calls (a test passes its own to see the work done). */
export function tokenCounter(maxChars: number = DEFAULT_TOKENIZE_MAX_CHARS, exact: TokenCounter = countO200k): TokenCounter {
  return (text) => {
    if (text === '') return 0;
    if (text.length <= maxChars) return countBounded(text, exact);
    const head = countBounded(text.slice(0, maxChars), exact);
    return Math.ceil((head * text.length) / maxChars);
  };
}

export const countTokens: TokenCounter = tokenCounter();
