import { drawOf, keyingOf, preferenceOf } from './keyed-choice.js';
import { isPhraseHead, locate, withCasing } from './lexicon.js';
import { TextScanner } from './scanner.js';

export interface MarkOptions {
  secret: Buffer;
  /** 0..1: scales every switch chance; 1 marks as strongly as word counts allow. */
  rate: number;
  /** 0..1, default 1: how strictly word counts are kept (see keyingOf). */
  balance?: number;
}

export interface MarkCounts {
  /** Words the mark could have changed. */
  sites: number;
  changed: number;
}

/**
 * The keyed lexical mark on one answer, in deltas: `push` each delta as it arrives and send
 * what it returns, then send `end()`. The output is the same however the answer is cut.
 */
export class MarkStream {
  readonly counts: MarkCounts = { sites: 0, changed: 0 };
  private readonly scanner: TextScanner;

  constructor(options: MarkOptions) {
    this.scanner = new TextScanner((word, previous, next) => this.mark(word, previous, next, options), isPhraseHead);
  }

  push(delta: string): string {
    return this.scanner.push(delta);
  }

  end(): string {
    return this.scanner.end();
  }

  private mark(word: string, previous: string, next: string | undefined, options: MarkOptions): { text: string; joined: boolean } {
    const found = locate(word, previous, next);
    if (!found) return { text: word, joined: false };
    const { site, original, casing, joined } = found;
    const occurrence = this.counts.sites++;
    const keying = keyingOf(previous, site.pair, options.balance);
    const preferred = preferenceOf(options.secret, keying);
    // Drawn per site, not per context: a context's pull on word counts is then its expectation,
    // which the couples cancel, rather than all or nothing.
    if (site.member === preferred || drawOf(options.secret, previous, site.pair, occurrence) >= options.rate * keying.switches[preferred]) {
      return { text: original, joined };
    }
    this.counts.changed++;
    return { text: withCasing(site.pair.members[preferred], casing), joined };
  }
}

export function markText(text: string, options: MarkOptions): { text: string; counts: MarkCounts } {
  const stream = new MarkStream(options);
  const marked = stream.push(text) + stream.end();
  return { text: marked, counts: stream.counts };
}
