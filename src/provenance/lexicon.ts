import { PAIR_TABLE } from './pair-table.js';

export interface Pair {
  /** Position in the table: part of the keyed hash input, so the table's order is fixed once keys are in use. */
  id: number;
  members: readonly [string, string];
  /** Share of the first member in unmarked text. */
  share: number;
  verbOnly: boolean;
}

/** An occurrence the mark may change: which pair, which member stands there. */
export interface Site {
  pair: Pair;
  member: 0 | 1;
}

function parseTable(table: string): Pair[] {
  const pairs: Pair[] = [];
  for (const line of table.trim().split('\n')) {
    const [first, second, share, flag] = line.trim().split(/\s+/);
    if (!first || !second || share === undefined) throw new Error(`pair table: bad line "${line}"`);
    pairs.push({ id: pairs.length, members: [first, second], share: Number(share), verbOnly: flag === 'verb' });
  }
  return pairs;
}

export const PAIRS: readonly Pair[] = parseTable(PAIR_TABLE);

const BY_WORD = new Map<string, Site>();
for (const pair of PAIRS) {
  for (const member of [0, 1] as const) {
    const word = pair.members[member];
    if (BY_WORD.has(word)) throw new Error(`pair table: "${word}" is in two pairs`);
    BY_WORD.set(word, { pair, member });
  }
}

/** After these a verb pair's words can only be verbs. */
const VERB_CUES = new Set(['to', 'can', 'could', 'will', 'would', 'should', 'may', 'might', 'must', 'shall', 'cannot']);
const ARTICLE = new Set(['a', 'an']);
/** The article before the word is already out: a pair whose members take different articles is left alone after one. */
const soundClass = (word: string): string => (/^[aeio]/.test(word) ? 'vowel' : /^[hu]/.test(word) ? 'unsure' : 'consonant');
const articleSafe = (pair: Pair): boolean => {
  const first = soundClass(pair.members[0]);
  return first !== 'unsure' && first === soundClass(pair.members[1]);
};

/** The site a word is, given the word before it; undefined when the mark must leave it alone. */
export function siteOf(lower: string, previous: string): Site | undefined {
  const site = BY_WORD.get(lower);
  if (!site) return undefined;
  if (site.pair.verbOnly && !VERB_CUES.has(previous)) return undefined;
  if (ARTICLE.has(previous) && !articleSafe(site.pair)) return undefined;
  return site;
}

type Casing = 'lower' | 'capital' | 'upper';

/** Only words in one of three plain casings take part; `iPhone`-like words are left alone. */
export function casingOf(word: string): Casing | undefined {
  const lower = word.toLowerCase();
  if (word === lower) return 'lower';
  if (word.length > 1 && word === word.toUpperCase()) return 'upper';
  if (word[0] !== lower[0] && word.slice(1) === lower.slice(1)) return 'capital';
  return undefined;
}

export function withCasing(word: string, casing: Casing): string {
  if (casing === 'upper') return word.toUpperCase();
  if (casing === 'capital') return word[0]!.toUpperCase() + word.slice(1);
  return word;
}
