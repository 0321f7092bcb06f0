import { fnv1a, mix32 } from './hash.js';
import { lineKey } from './wrapper.js';

/** Characters of a line that are read: enough to tell items apart. */
const LINE = 400;
/** Lines this short are a wrapper's, not an item ("Answer:", "Show your work."). */
const MIN_WORDS = 4;
const CANDIDATES = 3;
const SEEDS = [0x9e3779b9, 0x85ebca6b] as const;

/** One line that may be the item a prompt asks about. */
export interface ItemLine {
  /** The line's wrapper key when it is the prompt's first or last line (0 otherwise). */
  edge: number;
  /** Two min-hashes over the line's word triples. */
  keys: readonly [number, number];
}

/**
 * Candidates for *which item* a prompt asks, whatever wraps it: its longest lines, longest first.
 * The engine takes the first that is not one of the account's own template lines, so the same
 * homework question pasted bare, after "show your work" or inside a harvester's template gets
 * the same keys: a class asking one assignment is seen asking the same items, and a hydra dealing
 * one deck is seen not to. An inline wrapper ("Hi! quick one: ...") changes only a few of a
 * line's word triples, so the two min-hashes still agree.
 */
export function itemLines(prompt: string): ItemLine[] {
  const all = prompt.split('\n').filter((line) => line.trim() !== '');
  const lines = all.map((text, i) => ({
    text,
    // A single line is all item; in a longer prompt the first and last lines may be a template's.
    edge: all.length < 2 ? 0 : i === 0 ? lineKey('l1', text) : i === all.length - 1 ? lineKey('lz', text) : 0,
  }));
  lines.sort((a, b) => b.text.length - a.text.length);
  const out: ItemLine[] = [];
  for (const line of lines.slice(0, CANDIDATES)) {
    const words = line.text.slice(0, LINE).toLowerCase().split(/\s+/).filter((w) => w !== '');
    if (words.length < MIN_WORDS && out.length > 0) continue;
    out.push({ edge: line.edge, keys: minHashes(words) });
  }
  return out;
}

function minHashes(words: readonly string[]): [number, number] {
  if (words.length < 3) {
    const whole = fnv1a(words.join(' ')) || 1;
    return [whole, whole];
  }
  let a = 0xffffffff;
  let b = 0xffffffff;
  let h1 = fnv1a(words[0]!);
  let h2 = fnv1a(words[1]!);
  for (let i = 2; i < words.length; i++) {
    const h3 = fnv1a(words[i]!);
    const triple = (h1 ^ Math.imul(h2, 31) ^ Math.imul(h3, 961)) >>> 0;
    const x = mix32(triple, SEEDS[0]);
    const y = mix32(triple, SEEDS[1]);
    if (x < a) a = x;
    if (y < b) b = y;
    h1 = h2;
    h2 = h3;
  }
  // A minimum is small by construction: mixed again, the keys are uniform over 32 bits, as sketches and tables assume.
  return [mix32(a, SEEDS[1]) || 1, mix32(b, SEEDS[0]) || 1];
}
