/**
 * Walks response text left to right, in deltas as they stream or all at once, and hands each
 * word that may be changed to `visit`; everything else passes byte for byte. A word may be
 * changed only in prose: never inside fenced or indented code, inline code, block quotes,
 * double-quoted text, braces (JSON inside text), nor in an answer that opens with `{` or `[`
 * (JSON as a whole); and only a plain word standing alone (whitespace or `(` before it,
 * whitespace or sentence punctuation after), so URLs, e-mail addresses, paths, identifiers,
 * numbers with units, hyphenated compounds and contractions are left as they are.
 *
 * A word is letters with at most one apostrophe inside (don't, it's).
 *
 * The scanner decides from what it has seen, plus at most the rest of the current word, the
 * next word after a phrase head, and two characters after that: so a stream is held back by
 * one word of look-ahead at most, and the same text gives the same output however it is cut
 * into deltas (the whole text is just one delta).
 */

/**
 * Gets each eligible word, the word before it on its line (lower case, as emitted; '' at the
 * start of a line, where a student sees a line break, not the last line's end) and, after a word
 * `holdsFor` names, the word after it when that one stands alone too and is followed by
 * whitespace. Returns what to emit, and whether that covers the next word as well.
 */
export type Visit = (word: string, previous: string, next: string | undefined) => { text: string; joined: boolean };

const isLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isSpace = (char: string | undefined): boolean => char === ' ' || char === '\n' || char === '\t' || char === '\r' || char === '\f' || char === '\v' || char === '\u00a0';
const isApostrophe = (char: string | undefined): boolean => char === "'" || char === '\u2019';
/**
 * Longer letter runs are no word of any pair (a hash, a base64 blob): they pass at once and
 * count as one fixed context, so a stream never waits on them (nor rescans them per delta).
 */
const MAX_WORD = 48;
const LONG_RUN = '\u0001long';
const AFTER_WORD = new Set([',', ';', '!', '?', ')']);

/** Where the word starting at `at` ends; undefined when the text ends before that can be known. */
function wordEnd(text: string, at: number, final: boolean): number | undefined {
  let stop = at + 1;
  while (stop < text.length && isLetter(text.charCodeAt(stop))) stop++;
  if (isApostrophe(text[stop]) && stop + 1 < text.length && isLetter(text.charCodeAt(stop + 1))) {
    stop += 2;
    while (stop < text.length && isLetter(text.charCodeAt(stop))) stop++;
  }
  // The characters after the word say whether it stands alone (and whether it goes on): wait for them.
  if (final) return stop;
  if (stop >= text.length || ((text[stop] === '.' || text[stop] === ':' || isApostrophe(text[stop])) && stop + 1 >= text.length)) return undefined;
  return stop;
}

type LineKind = 'raw' | 'text' | 'blank';

export class TextScanner {
  private pending = '';
  /** Whether the answer as a whole is JSON (decided at its first non-space character). */
  private whole: 'unknown' | 'raw' | 'text' = 'unknown';
  private lineStart = true;
  private lineRaw = false;
  private inFence = false;
  private inCode = false;
  private inQuote = false;
  private braces = 0;
  private previousChar = '';
  private previousWord = '';
  /** Inside a letter run longer than MAX_WORD, already passed on. */
  private inLongRun = false;

  /**
   * `everywhere`: every plain word standing alone is visited, in code, quotes and braces too.
   * For reading a suspect's text: a student writes pair words where it learned them, and its
   * text does not keep the teacher's structure (a stray brace or fence would hide the rest).
   */
  constructor(
    private readonly visit: Visit,
    private readonly holdsFor: (lower: string) => boolean = () => false,
    private readonly everywhere = false,
  ) {}

  /** Takes a delta; returns what can be emitted now (possibly empty, never more than one word behind). */
  push(delta: string): string {
    this.pending += delta;
    return this.drain(false);
  }

  /** The text held back, once the answer has ended. */
  end(): string {
    return this.drain(true);
  }

  private drain(final: boolean): string {
    const text = this.pending;
    let out = '';
    let at = 0;
    while (at < text.length) {
      if (this.whole === 'unknown') {
        let next = at;
        while (next < text.length && isSpace(text[next])) next++;
        if (next === text.length && !final) break;
        this.whole = !this.everywhere && (text[next] === '{' || text[next] === '[') ? 'raw' : 'text';
      }
      if (this.whole === 'raw') {
        out += text.slice(at);
        at = text.length;
        break;
      }
      if (this.lineStart && !this.everywhere) {
        const kind = this.classifyLine(text, at, final);
        if (kind === undefined) break;
        this.lineStart = false;
        if (kind === 'raw') this.lineRaw = true;
        else if (kind === 'blank') this.inQuote = this.inCode = false;
      }
      if (this.lineRaw) {
        const newline = text.indexOf('\n', at);
        const stop = newline < 0 ? text.length : newline + 1;
        out += text.slice(at, stop);
        this.previousChar = text[stop - 1] ?? '';
        at = stop;
        if (newline >= 0) {
          this.lineStart = true;
          this.lineRaw = false;
          this.previousWord = '';
        }
        continue;
      }
      const char = text[at] as string;
      if (isLetter(char.charCodeAt(0)) || (this.inLongRun && isApostrophe(char))) {
        if (this.inLongRun || this.longRunAt(text, at)) {
          let stop = at;
          while (stop < text.length && (isLetter(text.charCodeAt(stop)) || isApostrophe(text[stop]))) stop++;
          out += text.slice(at, stop);
          this.previousChar = text[stop - 1] as string;
          this.previousWord = LONG_RUN;
          this.inLongRun = stop >= text.length && !final;
          at = stop;
          continue;
        }
        const stop = wordEnd(text, at, final);
        if (stop === undefined) break;
        const word = text.slice(at, stop);
        let emitted = word;
        let end = stop;
        if (this.standsAlone(text, stop)) {
          const next = this.holdsFor(word.toLowerCase()) ? this.nextWord(text, stop, final) : null;
          if (next === undefined) break;
          const visited = this.visit(word, this.previousWord, next === null ? undefined : text.slice(stop + 1, next));
          emitted = visited.text;
          if (visited.joined && next !== null) end = next;
        }
        out += emitted;
        this.previousWord = emitted.slice(emitted.lastIndexOf(' ') + 1).toLowerCase();
        this.previousChar = emitted[emitted.length - 1] as string;
        at = end;
        continue;
      }
      this.inLongRun = false;
      out += char;
      at++;
      this.track(char);
    }
    this.pending = text.slice(at);
    return out;
  }

  /** Whether the letter run at `at` is longer than any word: known as soon as that many letters are in. */
  private longRunAt(text: string, at: number): boolean {
    let stop = at;
    while (stop < text.length && stop - at <= MAX_WORD && (isLetter(text.charCodeAt(stop)) || isApostrophe(text[stop]))) stop++;
    return stop - at > MAX_WORD;
  }

  /**
   * The end of the word after a phrase head (one space between, standing alone, whitespace
   * after it); null when there is none such; undefined when the text ends before that is known.
   */
  private nextWord(text: string, stop: number, final: boolean): number | null | undefined {
    if (text[stop] !== ' ') return null;
    if (stop + 1 >= text.length) return final ? null : undefined;
    if (!isLetter(text.charCodeAt(stop + 1))) return null;
    if (this.longRunAt(text, stop + 1)) return null;
    const end = wordEnd(text, stop + 1, final);
    if (end === undefined) return undefined;
    return end >= text.length || isSpace(text[end]) ? end : null;
  }

  private classifyLine(text: string, at: number, final: boolean): LineKind | undefined {
    let next = at;
    let indent = 0;
    while (next < text.length && (text[next] === ' ' || text[next] === '\t')) {
      indent += text[next] === '\t' ? 4 : 1;
      next++;
    }
    if (indent >= 4) return 'raw';
    if (next >= text.length) return final ? (this.inFence ? 'raw' : 'text') : undefined;
    const first = text[next];
    if (first === '`' || first === '~') {
      if (next + 3 > text.length && !final) return undefined;
      if (text.startsWith(first.repeat(3), next)) {
        this.inFence = !this.inFence;
        return 'raw';
      }
    }
    if (this.inFence || first === '>') return 'raw';
    return first === '\n' || first === '\r' ? 'blank' : 'text';
  }

  private track(char: string): void {
    this.previousChar = char;
    if (char === '\n') {
      this.lineStart = true;
      this.previousWord = '';
    }
    else if (char === '`') this.inCode = !this.inCode;
    else if (this.inCode) return;
    else if (char === '"') this.inQuote = !this.inQuote;
    else if (char === '\u201c') this.inQuote = true;
    else if (char === '\u201d') this.inQuote = false;
    else if (char === '{') this.braces++;
    else if (char === '}' && this.braces > 0) this.braces--;
  }

  private standsAlone(text: string, stop: number): boolean {
    if (!this.everywhere && (this.inCode || this.inQuote || this.braces > 0)) return false;
    if (!(this.previousChar === '' || this.previousChar === '(' || isSpace(this.previousChar))) return false;
    const after = text[stop];
    if (after === undefined || isSpace(after) || AFTER_WORD.has(after)) return true;
    if (after === '.' || after === ':') {
      const next = text[stop + 1];
      return next === undefined || isSpace(next);
    }
    return false;
  }
}
