/**
 * The student of the provenance tests: a trigram language model over whitespace tokens
 * (newlines kept as tokens), trained by counting and sampled with backoff to the bigram and
 * unigram when a context was never seen. Sampling a context's continuation list uniformly is
 * sampling in proportion to the counts, which is what the maximum-likelihood model does.
 */

const START = 0;
const END = 1;

/** A seeded generator (mulberry32), so every run of a test trains and samples the same. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class TrigramStudent {
  private readonly ids = new Map<string, number>();
  private readonly words: string[] = ['<s>', '</s>'];
  private readonly trigrams = new Map<number, number[]>();
  private readonly bigrams = new Map<number, number[]>();
  private readonly unigrams: number[] = [];

  constructor(texts: Iterable<string>) {
    for (const text of texts) this.learn(text);
  }

  private id(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(word, id);
      this.words.push(word);
    }
    return id;
  }

  private learn(text: string): void {
    const tokens = text.replace(/\n/g, ' \n ').split(/[ \t]+/).filter((token) => token !== '').map((token) => this.id(token));
    let [a, b] = [START, START];
    for (const next of [...tokens, END]) {
      const tri = a * 4_194_304 + b;
      (this.trigrams.get(tri) ?? this.trigrams.set(tri, []).get(tri)!).push(next);
      (this.bigrams.get(b) ?? this.bigrams.set(b, []).get(b)!).push(next);
      this.unigrams.push(next);
      [a, b] = [b, next];
    }
  }

  /**
   * One text of `minTokens` to `maxTokens` tokens: an end drawn before `minTokens` starts the
   * next answer (as a long reply or a few short ones in a row would read).
   */
  generate(random: () => number, minTokens: number, maxTokens: number): string {
    const out: string[] = [];
    let [a, b] = [START, START];
    while (out.length < maxTokens) {
      const options = this.trigrams.get(a * 4_194_304 + b) ?? this.bigrams.get(b) ?? this.unigrams;
      const next = options[Math.floor(random() * options.length)]!;
      if (next === END) {
        if (out.length >= minTokens) break;
        out.push('\n\n');
        [a, b] = [START, START];
        continue;
      }
      out.push(this.words[next]!);
      [a, b] = [b, next];
    }
    return out.join(' ').replace(/ ?\n ?/g, '\n');
  }
}
