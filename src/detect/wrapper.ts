import { fnv1a } from './hash.js';

/**
 * The wrapper an automated client puts around variable items ("Solve the following problem.
 * Explain your reasoning.\n\n{item}", "Hi! quick one: {item}", "{item} Please give a complete
 * answer."). Items change from request to request while the wrapper stays, so a prompt yields
 * keys for its opening and closing words (three and five of them) and, when it has several
 * lines, for its first and last line. An account that keeps sending one key over ever-new items
 * runs a template, whichever side of the item it sits and however it was paraphrased per account.
 */

/** How many characters of each edge are read: wrappers are short, items may be long. */
const EDGE = 160;
/** A prompt with fewer words than this has no room for both a wrapper and an item. */
const MIN_WORDS = 6;
const LINE_MAX = 120;

/** Lower case, numbers as '#', runs of whitespace as one space: one item's numbers do not make a new wrapper. */
export function normaliseEdge(text: string): string {
  let out = '';
  let space = false;
  let digit = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 0xa0 || c === 0xfeff) {
      space = out !== '';
      digit = false;
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    if (c >= 48 && c <= 57) {
      if (!digit) out += '#';
      digit = true;
      continue;
    }
    digit = false;
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : text[i];
  }
  return out;
}

function firstWords(text: string, n: number): string | undefined {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf(' ', at + 1);
    if (at < 0) return undefined;
  }
  return text.slice(0, at);
}

function lastWords(text: string, n: number): string | undefined {
  let at = text.length;
  for (let i = 0; i < n; i++) {
    at = text.lastIndexOf(' ', at - 1);
    if (at < 0) return undefined;
  }
  return text.slice(at + 1);
}

function countWords(text: string, upTo: number): number {
  let words = text === '' ? 0 : 1;
  for (let at = text.indexOf(' '); at >= 0 && words < upTo; at = text.indexOf(' ', at + 1)) words++;
  return words;
}

/** The wrapper key of a prompt's first (`l1`) or last (`lz`) line; 0 when the line is too long or short to be a wrapper's. */
export function lineKey(kind: 'l1' | 'lz', line: string): number {
  const text = normaliseEdge(line.slice(0, LINE_MAX + 1));
  // A field label on its own line ("Answer:", "### Response:") marks a template as much as a sentence.
  if (text.length > LINE_MAX || (countWords(text, 2) < 2 && !text.endsWith(':'))) return 0;
  return fnv1a(text, fnv1a(kind));
}

/** Up to six keys of a prompt's wrapper; none for a prompt too short to wrap anything. */
export function wrapperKeys(prompt: string): number[] {
  const trimmed = prompt.trim();
  const head = normaliseEdge(trimmed.slice(0, EDGE));
  const tail = normaliseEdge(trimmed.length > EDGE ? trimmed.slice(-EDGE) : trimmed);
  if (countWords(head, MIN_WORDS) < MIN_WORDS) return [];
  const keys: number[] = [];
  const push = (kind: string, part: string | undefined): void => {
    if (part !== undefined && part !== '') keys.push(fnv1a(part, fnv1a(kind)));
  };
  push('p3', firstWords(head, 3));
  push('p5', firstWords(head, 5));
  push('s3', lastWords(tail, 3));
  push('s5', lastWords(tail, 5));
  const firstBreak = trimmed.indexOf('\n');
  if (firstBreak > 0) {
    for (const key of [lineKey('l1', trimmed.slice(0, firstBreak)), lineKey('lz', trimmed.slice(trimmed.lastIndexOf('\n') + 1))]) if (key !== 0) keys.push(key);
  }
  return keys;
}
