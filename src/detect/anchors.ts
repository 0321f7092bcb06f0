/**
 * A prefilter for many regular expressions over one short text: each pattern's *anchors* (literal
 * strings one of which every match must contain, read off the pattern's source) go into one
 * Aho-Corasick automaton, and one pass over the text tells which patterns can match at all. Only
 * those are run, so a prompt that asks for nothing costs one scan instead of some sixty regex
 * searches, and the answers are exactly the regexes' own (a pattern whose anchors are absent
 * cannot match; one the reader cannot read is always run).
 *
 * The scan folds ASCII case, so it serves case-sensitive and `/i` patterns alike: a text holding
 * a match holds its anchors up to ASCII case. Anchors are kept to characters where that holds
 * (ASCII, or characters without case). It also reads a character as the start of its lower-case
 * form, so a text as written meets every set its `toLowerCase()` meets, and a reader of both
 * scans only the one.
 */

import { units, writeUnits } from './code-units.js';

/** Largest set of strings a part of a pattern is expanded to before only a necessary substring is kept. */
const MAX_SET = 64;

/** Characters of an anchor kept in the automaton (see AnchorSet): no occurrence is longer. */
export const MAX_ANCHOR = 12;

/** A code unit in no anchor: texts written with it between them are scanned as if one by one. */
export const BREAK = 0;

/** What a piece of a pattern tells about its matches. */
interface Info {
  /** Every string the piece can match (folded), when few; else null. */
  exact: Set<string> | null;
  /** Sets of strings each of which every match meets (contains one of its strings); none when nothing is known. */
  all: readonly Set<string>[];
}

const NOTHING: Info = { exact: null, all: [] };
const EMPTY: Info = { exact: new Set(['']), all: [] };

const exactOf = (strings: Iterable<string>): Info => ({ exact: new Set(strings), all: [] });

/** The sets every match of a piece meets: its exact set when that cannot be empty, else what is known. */
function necessary(info: Info): readonly Set<string>[] {
  if (info.exact) return info.exact.has('') ? [] : [info.exact];
  return info.all;
}

/** A set of anchors is as selective as its shortest string. */
function strength(set: Set<string>): number {
  let min = Infinity;
  for (const s of set) min = Math.min(min, s.length);
  return min;
}

function foldChar(c: string): string | null {
  const code = c.charCodeAt(0);
  if (code < 128) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
  // A non-ASCII character with case may match, or lower-case to, something else.
  return c.toLowerCase() === c && c.toUpperCase() === c ? c : null;
}

/** A sequence: known runs are expanded into their strings, and every run's and piece's sets must be met. */
function concat(items: readonly Info[]): Info {
  let exact: Set<string> = new Set(['']);
  let whole = true;
  const all: Set<string>[] = [];
  const close = (): void => {
    if (!exact.has('')) all.push(exact);
  };
  for (const item of items) {
    if (item.exact && exact.size * item.exact.size <= MAX_SET) {
      const next = new Set<string>();
      for (const a of exact) for (const b of item.exact) next.add(a + b);
      exact = next;
      continue;
    }
    whole = false;
    close();
    if (item.exact) exact = item.exact;
    else {
      all.push(...item.all);
      exact = new Set(['']);
    }
  }
  if (whole) return { exact, all: [] };
  close();
  return { exact: null, all };
}

/** Alternatives: each must meet one of its sets, so the union of each branch's most selective set is met. */
function alternation(branches: readonly Info[]): Info {
  if (branches.length === 1) return branches[0]!;
  if (branches.every((b) => b.exact)) {
    const union = new Set<string>();
    for (const b of branches) for (const s of b.exact!) union.add(s);
    if (union.size <= MAX_SET) return { exact: union, all: [] };
  }
  const any = new Set<string>();
  for (const b of branches) {
    const sets = necessary(b);
    if (sets.length === 0) return NOTHING;
    let best = sets[0]!;
    for (const set of sets) if (strength(set) > strength(best)) best = set;
    for (const s of best) any.add(s);
  }
  return { exact: null, all: [any] };
}

/** Reads a regex source (the subset the detection patterns use; anything else reads as unknown). */
class Reader {
  private i = 0;

  constructor(private readonly src: string) {}

  parse(): Info {
    const info = this.alternation();
    return this.i === this.src.length ? info : NOTHING;
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return alternation(branches);
  }

  private sequence(): Info {
    const items: Info[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') items.push(this.quantified(this.atom()));
    return concat(items);
  }

  private quantified(atom: Info): Info {
    const c = this.src[this.i];
    let min: number;
    if (c === '?' || c === '*' || c === '+') {
      this.i++;
      min = c === '+' ? 1 : 0;
    } else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.src.slice(this.i));
      if (!m) return atom;
      this.i += m[0].length;
      min = Number(m[1]);
      if (m[2] === undefined && min === 1) return atom;
    } else return atom;
    if (this.src[this.i] === '?') this.i++;
    // An optional piece may be absent: only `x?` of a known `x` still says what it can be.
    if (min === 0) return c === '?' && atom.exact ? exactOf([...atom.exact, '']) : NOTHING;
    return { exact: null, all: necessary(atom) };
  }

  private atom(): Info {
    const c = this.src[this.i++]!;
    switch (c) {
      case '(': {
        let lookaround = false;
        if (this.src[this.i] === '?') {
          const kind = this.src[this.i + 1];
          if (kind === ':') this.i += 2;
          else if (kind === '=' || kind === '!') {
            this.i += 2;
            lookaround = true;
          } else if (kind === '<' && (this.src[this.i + 2] === '=' || this.src[this.i + 2] === '!')) {
            this.i += 3;
            lookaround = true;
          } else return this.fail();
        }
        const inner = this.alternation();
        if (this.src[this.i] !== ')') return this.fail();
        this.i++;
        // A lookaround consumes nothing of the match.
        return lookaround ? EMPTY : inner;
      }
      case '[':
        return this.charClass();
      case '\\':
        return this.escape();
      case '^':
      case '$':
        return EMPTY;
      case '.':
        return NOTHING;
      default: {
        const folded = foldChar(c);
        return folded === null ? NOTHING : exactOf([folded]);
      }
    }
  }

  private escape(): Info {
    const c = this.src[this.i++];
    if (c === undefined) return this.fail();
    if (c === 'b' || c === 'B') return EMPTY;
    if ('sSdDwW'.includes(c)) return NOTHING;
    if (c === 'n') return exactOf(['\n']);
    if (c === 't') return exactOf(['\t']);
    if (c === 'r') return exactOf(['\r']);
    // Back-references, \u, \x, \p and the like: not read.
    if (/[0-9a-zA-Z]/.test(c)) return this.fail();
    const folded = foldChar(c);
    return folded === null ? NOTHING : exactOf([folded]);
  }

  /** A class of at most a few characters, all known (not negated, no \\s or \\d inside), is a set of one-character strings. */
  private charClass(): Info {
    const chars = new Set<string>();
    let known = this.src[this.i] !== '^';
    if (!known) this.i++;
    const take = (): string | null => {
      const c = this.src[this.i++]!;
      if (c !== '\\') return c;
      const e = this.src[this.i++]!;
      if (e === 'n') return '\n';
      return /[0-9a-zA-Z]/.test(e) ? null : e;
    };
    let first = true;
    while (this.i < this.src.length && (first || this.src[this.i] !== ']')) {
      first = false;
      const c = take();
      if (c === null) {
        known = false;
        continue;
      }
      if (this.src[this.i] === '-' && this.i + 1 < this.src.length && this.src[this.i + 1] !== ']') {
        this.i++;
        const to = take();
        if (to === null || to.charCodeAt(0) - c.charCodeAt(0) > MAX_SET) {
          known = false;
          continue;
        }
        for (let code = c.charCodeAt(0); code <= to.charCodeAt(0); code++) known = add(chars, String.fromCharCode(code)) && known;
        continue;
      }
      known = add(chars, c) && known;
    }
    if (this.src[this.i] !== ']') return this.fail();
    this.i++;
    return known && chars.size <= 8 ? exactOf(chars) : NOTHING;
  }

  private fail(): Info {
    this.i = this.src.length + 1;
    return NOTHING;
  }
}

function add(chars: Set<string>, c: string): boolean {
  const folded = foldChar(c);
  if (folded === null) return false;
  chars.add(folded);
  return true;
}

/**
 * Sets of strings (ASCII case folded) such that every match of `pattern` contains one string of
 * each set; null when none can be read.
 */
export function anchorsOf(pattern: RegExp): string[][] | null {
  const sets = necessary(new Reader(pattern.source).parse());
  return sets.length === 0 ? null : sets.map((set) => [...set].sort());
}

/** A dense Aho-Corasick automaton over anchors, each anchor reporting the set it belongs to. */
interface Automaton {
  /** Character class per UTF-16 code unit (0: in no anchor; A-Z share a-z's). */
  classOf: Uint8Array;
  /** Rows are `1 << shift` classes wide. */
  shift: number;
  /** Per state row and class, the next state, with OUTPUT set when an anchor ends there. */
  moves: Uint16Array;
  /** Per state, the sets whose anchors end there: outStart[s]..outStart[s+1] in outList. */
  outStart: Int32Array;
  outList: Int32Array;
}

function automaton(anchors: readonly { text: string; set: number }[]): Automaton {
  const classOf = new Uint8Array(65536);
  let classes = 1;
  const trie: Map<number, number>[] = [new Map()];
  const outs: Set<number>[] = [new Set()];
  for (const { text, set } of anchors) {
    let state = 0;
    for (let k = 0; k < text.length; k++) {
      const code = text.charCodeAt(k);
      if (classOf[code] === 0) {
        classOf[code] = classes++;
        if (code >= 97 && code <= 122) classOf[code - 32] = classOf[code]!;
      }
      const cls = classOf[code]!;
      let next = trie[state]!.get(cls);
      if (next === undefined) {
        next = trie.length;
        trie.push(new Map());
        outs.push(new Set());
        trie[state]!.set(cls, next);
      }
      state = next;
    }
    outs[state]!.add(set);
  }
  if (classes > 255) throw new Error('too many anchor characters');
  if (classOf[BREAK] !== 0) throw new Error('an anchor holds BREAK');
  // A character whose lower-case form starts with an anchor character (the Kelvin sign, 'İ': 'i'
  // and a combining dot) reads as it; what follows it in that form is in no anchor, so a scan of
  // the lower-cased text meets no set the text's own scan misses. Surrogates are never anchor
  // characters (checked), so the lower-casing of a pair, into another pair, is of no concern.
  for (let code = 128; code < 65536; code++) {
    if (code >= 0xd800 && code < 0xe000) {
      if (classOf[code] !== 0) throw new Error('surrogate in an anchor');
      continue;
    }
    const c = String.fromCharCode(code);
    const lower = c.toLowerCase();
    if (lower === c) continue;
    for (let k = 1; k < lower.length; k++) if (classOf[lower.charCodeAt(k)] !== 0) throw new Error(`anchor character inside the lower case of ${c}`);
    classOf[code] = classOf[lower.charCodeAt(0)]!;
  }
  // Breadth-first, every state's missing moves are its failure state's: a full DFA.
  const delta = new Int32Array(trie.length * classes);
  const failure = new Int32Array(trie.length);
  const queue: number[] = [];
  for (const [cls, next] of trie[0]!) {
    delta[cls] = next;
    queue.push(next);
  }
  for (let q = 0; q < queue.length; q++) {
    const state = queue[q]!;
    for (const o of outs[failure[state]!]!) outs[state]!.add(o);
    for (let cls = 0; cls < classes; cls++) {
      const next = trie[state]!.get(cls);
      if (next === undefined) delta[state * classes + cls] = delta[failure[state]! * classes + cls]!;
      else {
        failure[next] = delta[failure[state]! * classes + cls]!;
        delta[state * classes + cls] = next;
        queue.push(next);
      }
    }
  }
  // Class 0 (a character in no anchor) always leads back to the root.
  for (let state = 0; state < trie.length; state++) delta[state * classes] = 0;
  const outStart = new Int32Array(trie.length + 1);
  const list: number[] = [];
  for (let state = 0; state < trie.length; state++) {
    outStart[state] = list.length;
    for (const o of outs[state]!) list.push(o);
  }
  outStart[trie.length] = list.length;
  // Moves hold the next state in 16 bits, flagged when an anchor ends there, in rows a power of
  // two wide: a scan reads a move per character, and the table, half the size of one of 32-bit
  // row offsets, stays in cache between prompts (the rest of the engine's work evicts it).
  if (trie.length > OUTPUT) throw new Error('too many anchor states');
  let shift = 0;
  while (1 << shift < classes) shift++;
  const moves = new Uint16Array(trie.length << shift);
  for (let state = 0; state < trie.length; state++) {
    for (let cls = 0; cls < classes; cls++) {
      const next = delta[state * classes + cls]!;
      moves[(state << shift) + cls] = outs[next]!.size > 0 ? next | OUTPUT : next;
    }
  }
  return { classOf, shift, moves, outStart, outList: Int32Array.from(list) };
}

/** The flag of a move into a state where an anchor ends; states are numbered below it. */
const OUTPUT = 0x8000;

/**
 * Many patterns, one scan: after `scan(text)`, `may(id)` tells whether pattern `id` (an index
 * into the list given) can match `text`: only those need running.
 */
export class AnchorSet {
  /** Per pattern: 1 when it has no anchors (always a candidate). */
  private readonly always: Uint8Array;
  /** Per pattern, the sets its matches must meet: ids required[p] to required[p+1] (exclusive). */
  private readonly required: Int32Array;
  /** Per set, whether the text scanned met it. */
  private readonly marks: Uint8Array;
  private readonly dfa: Automaton;

  constructor(patterns: readonly RegExp[]) {
    this.always = new Uint8Array(patterns.length);
    this.required = new Int32Array(patterns.length + 1);
    let sets = 0;
    const anchors: { text: string; set: number }[] = [];
    patterns.forEach((pattern, id) => {
      this.required[id] = sets;
      const found = anchorsOf(pattern);
      if (!found) this.always[id] = 1;
      else
        for (const set of found) {
          // A match holding an anchor holds its start too: cut to MAX_ANCHOR, the automaton has
          // half the states (a table of 430 KB, not 880, that stays in cache) for a few more
          // patterns run.
          for (const text of new Set(set.map((whole) => whole.slice(0, MAX_ANCHOR)))) anchors.push({ text, set: sets });
          sets++;
        }
    });
    this.required[patterns.length] = sets;
    this.marks = new Uint8Array(sets);
    this.dfa = automaton(anchors);
  }

  /** Marks the sets `text` meets, for `may`, until the next call. */
  scan(text: string): void {
    this.scanUnits(writeUnits(text, 0));
  }

  /** `scan` of the text in `units` from 0 to `n`, for a reader that wrote it there in pieces. */
  scanUnits(n: number): void {
    const { marks } = this;
    const { classOf, shift, moves, outStart, outList } = this.dfa;
    marks.fill(0);
    const codes = units;
    let state = 0;
    for (let i = 0; i < n; i++) {
      const move = moves[(state << shift) + classOf[codes[i]!]!]!;
      state = move & (OUTPUT - 1);
      if (move >= OUTPUT) for (let k = outStart[state]!, to = outStart[state + 1]!; k < to; k++) marks[outList[k]!] = 1;
    }
  }

  /** After `scan`: whether pattern `id` may match the text scanned (it meets all its sets). */
  may(id: number): boolean {
    if (this.always[id] === 1) return true;
    for (let k = this.required[id]!, to = this.required[id + 1]!; k < to; k++) if (this.marks[k] === 0) return false;
    return true;
  }
}
