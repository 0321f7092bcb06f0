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
 * (ASCII, or characters without case).
 */

/** Largest set of strings a part of a pattern is expanded to before only a necessary substring is kept. */
const MAX_SET = 64;

/** What a piece of a pattern tells about its matches. */
interface Info {
  /** Every string the piece can match (folded), when few; else null. */
  exact: Set<string> | null;
  /** Strings one of which every match contains; null when nothing is known. */
  any: Set<string> | null;
}

const NOTHING: Info = { exact: null, any: null };
const EMPTY: Info = { exact: new Set(['']), any: null };

const exactOf = (strings: Iterable<string>): Info => ({ exact: new Set(strings), any: null });

/** Necessary strings of a piece: its exact set when that cannot be empty, else what is known. */
function necessary(info: Info): Set<string> | null {
  if (info.exact) return info.exact.has('') ? null : info.exact;
  return info.any;
}

/** A set of anchors is as selective as its shortest string. */
function strength(set: Set<string> | null): number {
  if (!set || set.size === 0) return -1;
  let min = Infinity;
  for (const s of set) min = Math.min(min, s.length);
  return min;
}

const better = (a: Set<string> | null, b: Set<string> | null): Set<string> | null => (strength(b) > strength(a) ? b : a);

function foldChar(c: string): string | null {
  const code = c.charCodeAt(0);
  if (code < 128) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
  // A non-ASCII character with case may match, or lower-case to, something else.
  return c.toLowerCase() === c && c.toUpperCase() === c ? c : null;
}

function concat(items: readonly Info[]): Info {
  let exact: Set<string> | null = new Set(['']);
  let whole = true;
  let best: Set<string> | null = null;
  for (const item of items) {
    if (exact && item.exact && exact.size * item.exact.size <= MAX_SET) {
      const next = new Set<string>();
      for (const a of exact) for (const b of item.exact) next.add(a + b);
      exact = next;
      continue;
    }
    whole = false;
    if (exact && !exact.has('')) best = better(best, exact);
    if (item.exact) exact = item.exact;
    else {
      best = better(best, item.any);
      exact = new Set(['']);
    }
  }
  if (whole) return { exact, any: null };
  if (exact && !exact.has('')) best = better(best, exact);
  return { exact: null, any: best };
}

function alternation(branches: readonly Info[]): Info {
  if (branches.length === 1) return branches[0]!;
  if (branches.every((b) => b.exact)) {
    const union = new Set<string>();
    for (const b of branches) for (const s of b.exact!) union.add(s);
    if (union.size <= MAX_SET) return { exact: union, any: null };
  }
  const any = new Set<string>();
  for (const b of branches) {
    const set = necessary(b);
    if (!set) return NOTHING;
    for (const s of set) any.add(s);
  }
  return { exact: null, any };
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
    return { exact: null, any: necessary(atom) };
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

/** Strings one of which every match of `pattern` contains (ASCII case folded); null when none can be read. */
export function anchorsOf(pattern: RegExp): string[] | null {
  const set = necessary(new Reader(pattern.source).parse());
  return set ? [...set].sort() : null;
}

/**
 * Many patterns, one scan: `candidates(text)` marks the patterns that may match `text`; only
 * those need running. Pattern ids are indexes into the list given.
 */
export class AnchorSet {
  /** Per pattern: 1 when it has no anchors (always a candidate). */
  private readonly always: Uint8Array;
  private readonly marks: Uint8Array;
  /** Character class per UTF-16 code unit (0: in no anchor). */
  private readonly classOf = new Uint8Array(65536);
  private readonly classes: number;
  private readonly delta: Int32Array;
  /** Per state, the patterns an anchor ending there belongs to: outStart[s]..outStart[s+1] in outList. */
  private readonly outStart: Int32Array;
  private readonly outList: Int32Array;

  constructor(patterns: readonly RegExp[]) {
    this.always = new Uint8Array(patterns.length);
    this.marks = new Uint8Array(patterns.length);
    const anchors = patterns.map(anchorsOf);
    let classes = 1;
    const trie: Map<number, number>[] = [new Map()];
    const outs: Set<number>[] = [new Set()];
    anchors.forEach((list, id) => {
      if (!list) {
        this.always[id] = 1;
        return;
      }
      for (const anchor of list) {
        let state = 0;
        for (let k = 0; k < anchor.length; k++) {
          const code = anchor.charCodeAt(k);
          if (this.classOf[code] === 0) {
            this.classOf[code] = classes++;
            if (code >= 97 && code <= 122) this.classOf[code - 32] = this.classOf[code]!;
          }
          const cls = this.classOf[code]!;
          let next = trie[state]!.get(cls);
          if (next === undefined) {
            next = trie.length;
            trie.push(new Map());
            outs.push(new Set());
            trie[state]!.set(cls, next);
          }
          state = next;
        }
        outs[state]!.add(id);
      }
    });
    if (classes > 255) throw new Error('too many anchor characters');
    this.classes = classes;
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
    for (let s = 0; s < trie.length; s++) delta[s * classes] = 0;
    this.outStart = new Int32Array(trie.length + 1);
    const list: number[] = [];
    for (let s = 0; s < trie.length; s++) {
      this.outStart[s] = list.length;
      for (const o of outs[s]!) list.push(o);
    }
    this.outStart[trie.length] = list.length;
    this.outList = Int32Array.from(list);
    // Moves hold the target's row offset, complemented when an anchor ends there: one load and
    // one sign test per character.
    for (let k = 0; k < delta.length; k++) {
      const next = delta[k]!;
      delta[k] = outs[next]!.size > 0 ? ~(next * classes) : next * classes;
    }
    this.delta = delta;
  }

  /** Marks the patterns that may match `text` (read them with `may`) until the next call. */
  scan(text: string): void {
    const { marks, classOf, delta, classes, outStart, outList } = this;
    marks.set(this.always);
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      row = delta[row + classOf[text.charCodeAt(i)]!]!;
      if (row < 0) {
        row = ~row;
        const state = row / classes;
        for (let k = outStart[state]!, to = outStart[state + 1]!; k < to; k++) marks[outList[k]!] = 1;
      }
    }
  }

  /** After `scan`: whether pattern `id` may match the text scanned. */
  may(id: number): boolean {
    return this.marks[id] === 1;
  }
}
