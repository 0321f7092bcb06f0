import { PAIR_TABLE } from './pair-table.js';

export interface Pair {
  /** Position in the table: part of the keyed hash input, so the table's order is fixed once keys are in use. */
  id: number;
  members: readonly [string, string];
  /** Share of the first member in unmarked text. */
  share: number;
  verbOnly: boolean;
  /** A subject and a form of `be` against its contraction (it is / it's): guarded at clause ends and before `been`. */
  beContraction: boolean;
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
    const members = [first.replace(/_/g, ' '), second.replace(/_/g, ' ')] as const;
    pairs.push({ id: pairs.length, members, share: Number(share), verbOnly: flag === 'verb', beContraction: flag === 'be' });
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

/**
 * Words after which the scanner reads one word ahead: the first words of two-word members
 * (do not), and the contracted `be` forms (it's), which need the next word to be safe.
 */
const HEADS = new Set<string>();
for (const pair of PAIRS) {
  for (const member of pair.members) if (member.includes(' ')) HEADS.add(member.slice(0, member.indexOf(' ')));
  if (pair.beContraction) HEADS.add(pair.members[1]);
}
const normal = (text: string): string => text.toLowerCase().replace(/\u2019/g, "'");
export const isPhraseHead = (lower: string): boolean => HEADS.has(normal(lower));

/** Where `it is` cannot become `it's`: the clause may end after it (than I am, what it is). */
const CLAUSE_END_CUES = new Set(['what', 'how', 'where', 'who', 'whatever', 'wherever', 'whoever', 'as', 'than', 'here', 'there', 'whether', 'if']);
/** `it's been`: there the 's is has, and the expansion would be wrong. */
const HAS_CUES = new Set(['been', 'got', 'gotten', 'had']);

/** After these a verb pair's words can only be verbs. */
const VERB_CUES = new Set(['to', 'can', 'could', 'will', 'would', 'should', 'may', 'might', 'must', 'shall', 'cannot']);
const ARTICLE = new Set(['a', 'an']);
/** The article before the word is already out: a pair whose members take different articles is left alone after one. */
const soundClass = (word: string): string => (/^[aeio]/.test(word) ? 'vowel' : /^[hu]/.test(word) ? 'unsure' : 'consonant');
const articleSafe = (pair: Pair): boolean => {
  const first = soundClass(pair.members[0]);
  return first !== 'unsure' && first === soundClass(pair.members[1]);
};

/** The site a word (or two-word phrase) is, given the words around it; undefined when the mark must leave it alone. */
function siteOf(lower: string, previous: string, next: string | undefined): Site | undefined {
  const site = BY_WORD.get(lower);
  if (!site) return undefined;
  if (site.pair.verbOnly && !VERB_CUES.has(previous)) return undefined;
  if (ARTICLE.has(previous) && !articleSafe(site.pair)) return undefined;
  if (site.pair.beContraction) {
    if (CLAUSE_END_CUES.has(previous)) return undefined;
    if (site.member === 1 && (next === undefined || HAS_CUES.has(normal(next)))) return undefined;
  }
  return site;
}

export interface Located {
  site: Site;
  /** The text the site covers, as written. */
  original: string;
  casing: Casing;
  /** Whether it covers the next word too. */
  joined: boolean;
}

/** The site at a word the scanner visits: the two-word phrase it starts, or the word alone. */
export function locate(word: string, previous: string, next: string | undefined): Located | undefined {
  if (next !== undefined) {
    const phrase = `${word} ${next}`;
    const casing = casingOf(phrase);
    const site = casing && siteOf(normal(phrase), previous, undefined);
    if (casing && site) return { site, original: phrase, casing, joined: true };
  }
  const casing = casingOf(word);
  const site = casing && siteOf(normal(word), previous, next);
  return casing && site ? { site, original: word, casing, joined: false } : undefined;
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
