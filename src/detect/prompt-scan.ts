import { units, writeUnit, writeUnits } from './code-units.js';
import { mix32 } from './hash.js';

/**
 * One pass over a prompt's words, for the two things detection reads from its shape:
 *
 * - **The wrapper** an automated client puts around variable items ("Solve the following
 *   problem. Explain your reasoning.\n\n{item}", "Hi! quick one: {item}", "{item} Please give a
 *   complete answer."). Items change from request to request while the wrapper stays, so a prompt
 *   yields keys for its first and last three and five words and, when it has several lines, for
 *   its first and last line. An account that keeps sending one key over ever-new items runs a
 *   template, whichever side of the item it sits and however it was paraphrased per account.
 * - **The item** it asks about, whatever wraps it: candidates are its longest lines, each with two
 *   min-hashes over its word triples. The engine takes the first that is not one of the account's
 *   own template lines, so the same homework question pasted bare, after "show your work" or inside
 *   a harvester's template gets the same keys: a class asking one assignment is seen asking the
 *   same items, and a hydra dealing one deck is seen not to. An inline wrapper ("Hi! quick one: ...")
 *   changes only a few triples of a line, so its keys still agree.
 *
 * Words are compared lower-cased with runs of digits as one '#', so one item's numbers do not make
 * a new wrapper.
 */

/** Characters read from the start: items are told apart by their first lines. */
const READ = 1200;
/** A prompt with fewer words than this has no room for both a wrapper and an item. */
const MIN_WORDS = 6;
/** Longer lines are content, not a wrapper's. */
const LINE_MAX = 120;
/** Item lines shorter than this (in words) are a wrapper's ("Answer:", "Show your work."), unless nothing else is there. */
const ITEM_MIN_WORDS = 4;
const CANDIDATES = 3;

/** One line that may be the item a prompt asks about. */
export interface ItemLine {
  /** The line's wrapper key when it is the prompt's first or last line (0 otherwise). */
  edge: number;
  /** Two LSH keys over the line's word triples (see `minHashes`). */
  keys: readonly [number, number];
}

export interface PromptShape {
  /** Up to six wrapper keys; none for a prompt too short to wrap anything. */
  wrappers: number[];
  /** Item candidates, longest line first. */
  items: ItemLine[];
}

const KIND = { p3: 0x1b873593, p5: 0xcc9e2d51, s3: 0x85ebca6b, s5: 0xc2b2ae35, l1: 0x27d4eb2f, lz: 0x165667b1 } as const;
const SEED_A = 0x9e3779b9;
const SEED_B = 0x7f4a7c15;
const SEED_C = 0x94d049bb;
const SEED_D = 0xbf58476d;
const FNV = 0x811c9dc5;

interface Line {
  /** Index range into the word arrays. */
  from: number;
  to: number;
  chars: number;
  /** Ends with ':' ("Answer:"): a field label marks a template as much as a sentence. */
  label: boolean;
}

/** Reusable buffers: a prompt's word hashes and where lines start (one scan at a time). */
let words = new Int32Array(512);

function pushWord(count: number, hash: number): number {
  if (count === words.length) {
    const bigger = new Int32Array(words.length * 2);
    bigger.set(words);
    words = bigger;
  }
  words[count] = hash;
  return count + 1;
}

/** Order-dependent combination of word hashes: a key for a run of words. */
function runKey(from: number, to: number, seed: number): number {
  let h = seed;
  for (let i = from; i < to; i++) h = mix32(h ^ words[i]!, 0x5bd1e995);
  return h || 1;
}

/**
 * Two keys for a run of words, each an LSH band of two min-hashes over its word triples: two
 * lines agree on a key with probability J² (J their triples' Jaccard similarity), so the same item
 * lightly wrapped (J near 1) shares a key almost always, and different items that share a stock
 * phrase ("which of the following ...", J around 0.2) almost never.
 */
function minHashes(from: number, to: number): [number, number] {
  const n = to - from;
  if (n < 3) {
    const whole = runKey(from, to, SEED_A);
    return [whole, whole];
  }
  let a = 0xffffffff;
  let b = 0xffffffff;
  let c = 0xffffffff;
  let d = 0xffffffff;
  for (let i = from + 2; i < to; i++) {
    const triple = (words[i - 2]! ^ Math.imul(words[i - 1]!, 31) ^ Math.imul(words[i]!, 961)) >>> 0;
    const w = mix32(triple, SEED_A);
    const x = mix32(triple, SEED_B);
    const y = mix32(triple, SEED_C);
    const z = mix32(triple, SEED_D);
    if (w < a) a = w;
    if (x < b) b = x;
    if (y < c) c = y;
    if (z < d) d = z;
  }
  // Mixed again: a minimum is small by construction, and sketches and tables want uniform keys.
  return [mix32(a ^ Math.imul(b, 0x2c1b3c6d), SEED_B) || 1, mix32(c ^ Math.imul(d, 0x297a2d39), SEED_D) || 1];
}

/** Of a longer prompt, its start and its last lines are read: wrappers close as often as they open. */
const TAIL = 300;

export function scanPrompt(prompt: string): PromptShape {
  // The text read, in `units`: the whole prompt, or its start and end joined by a newline.
  const n = prompt.length > READ + TAIL ? writeUnits(prompt.slice(-TAIL), writeUnit(10, writeUnits(prompt.slice(0, READ), 0))) : writeUnits(prompt, 0);
  const text = units;
  const lines: Line[] = [];
  let count = 0;
  let lineFrom = 0;
  /** Where the line's first word starts (-1 before it) and where its last one ended. */
  let lineStart = -1;
  let wordEnd = 0;
  // A word is read in its own inner loop: its characters, nearly all of a prompt, pass one space
  // test, one digit test and a multiply each. A line's length runs from its first word to its
  // end, spaces inside it included, and its last character is its last word's.
  let i = 0;
  while (i < n) {
    let c = text[i]!;
    if (c <= 32 || c === 0xa0 || c === 0xfeff) {
      if (c === 10) {
        if (count > lineFrom) lines.push({ from: lineFrom, to: count, chars: i - lineStart, label: text[wordEnd - 1] === 58 });
        lineFrom = count;
        lineStart = -1;
      }
      i++;
      continue;
    }
    if (lineStart < 0) lineStart = i;
    let hash = FNV;
    let inDigits = false;
    do {
      // A run of digits is one '#'.
      if (c >= 48 && c <= 57) {
        if (!inDigits) hash = Math.imul(hash ^ 35, 0x01000193);
        inDigits = true;
      } else {
        inDigits = false;
        hash = Math.imul(hash ^ (c >= 65 && c <= 90 ? c + 32 : c), 0x01000193);
      }
      if (++i === n) break;
      c = text[i]!;
    } while (c > 32 && c !== 0xa0 && c !== 0xfeff);
    count = pushWord(count, hash | 0);
    wordEnd = i;
  }
  // The text's end closes its last line.
  if (count > lineFrom) lines.push({ from: lineFrom, to: count, chars: n - lineStart, label: text[wordEnd - 1] === 58 });
  return { wrappers: wrappersOf(lines, count), items: itemsOf(lines) };
}

function wrappersOf(lines: readonly Line[], count: number): number[] {
  if (count < MIN_WORDS) return [];
  const keys = [runKey(0, 3, KIND.p3), runKey(0, 5, KIND.p5), runKey(count - 3, count, KIND.s3), runKey(count - 5, count, KIND.s5)];
  if (lines.length >= 2) {
    const first = lines[0]!;
    const last = lines[lines.length - 1]!;
    if (isWrapperLine(first)) keys.push(runKey(first.from, first.to, KIND.l1));
    if (isWrapperLine(last)) keys.push(runKey(last.from, last.to, KIND.lz));
  }
  return keys;
}

function isWrapperLine(line: Line): boolean {
  return line.chars <= LINE_MAX && (line.to - line.from >= 2 || line.label);
}

/** Indexes of the `CANDIDATES` longest lines, longest first (the earlier of equals first). */
function longestLines(lines: readonly Line[]): number[] {
  const top: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const chars = lines[i]!.chars;
    let at = top.length;
    while (at > 0 && lines[top[at - 1]!]!.chars < chars) at--;
    if (at >= CANDIDATES) continue;
    top.splice(at, 0, i);
    if (top.length > CANDIDATES) top.pop();
  }
  return top;
}

function itemsOf(lines: readonly Line[]): ItemLine[] {
  const out: ItemLine[] = [];
  for (const i of longestLines(lines)) {
    const line = lines[i]!;
    if (line.to - line.from < ITEM_MIN_WORDS && out.length > 0) continue;
    // A single line is all item; in a longer prompt the first and last lines may be a template's.
    const edge = lines.length < 2 || !isWrapperLine(line) ? 0 : i === 0 ? runKey(line.from, line.to, KIND.l1) : i === lines.length - 1 ? runKey(line.from, line.to, KIND.lz) : 0;
    out.push({ edge, keys: minHashes(line.from, line.to) });
  }
  return out;
}
