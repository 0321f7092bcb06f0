import { choiceOf, switchChance } from './keyed-choice.js';
import { casingOf, siteOf, type Pair } from './lexicon.js';
import { TextScanner } from './scanner.js';
import { normalUpperTail } from './stats.js';

/** One site in a suspect's text: the word before it, the pair, the member that stands there. */
export interface Observation {
  previous: string;
  pair: Pair;
  member: 0 | 1;
}

/** The sites of one text, found exactly as the mark finds them. */
export function observe(text: string): Observation[] {
  const found: Observation[] = [];
  const scanner = new TextScanner((word, previous) => {
    const site = casingOf(word) && siteOf(word.toLowerCase(), previous);
    if (site) found.push({ previous, pair: site.pair, member: site.member });
    return word;
  });
  scanner.push(text);
  scanner.end();
  return found;
}

export interface MarkTest {
  /** One-sided p-value (normal approximation to the exact sign-flip null) that the texts carry the key's mark. */
  p: number;
  /** Hoeffding's bound on the same tail: never below the true p-value, whatever the texts. */
  pBound: number;
  z: number;
  texts: number;
  sites: number;
  /** Distinct (previous word, pair) contexts: the units of the test. */
  contexts: number;
}

interface Context {
  previous: string;
  pair: Pair;
  count: number;
  first: number;
}

/**
 * The test. Under the null (the suspect never learned from text marked with this key) the
 * texts do not depend on the key, and the key gives each context a preference and a switch
 * draw that are independent fair coins and uniforms: so, with the texts held fixed, the
 * statistic's distribution is known exactly whatever the texts' own word habits. A context's
 * evidence is how far its use of a pair leans from the suspect's own overall use of that pair
 * (not from an assumed rate, which would count the suspect's style as a mark), signed by the
 * direction the key pushes there (0 where the key's draw means the mark left it alone). Each
 * context counts once however often it repeats, since repeats of one context share one coin.
 */
export class MarkTester {
  private readonly pushes = new Map<string, number>();

  constructor(private readonly secret: Buffer) {}

  test(observationsPerText: readonly (readonly Observation[])[]): MarkTest {
    const contexts = new Map<string, Context>();
    const pairTotals = new Map<number, { count: number; first: number }>();
    let sites = 0;
    for (const observations of observationsPerText) {
      for (const { previous, pair, member } of observations) {
        sites++;
        const key = `${previous}\u0000${pair.id}`;
        let context = contexts.get(key);
        if (!context) contexts.set(key, (context = { previous, pair, count: 0, first: 0 }));
        context.count++;
        const total = pairTotals.get(pair.id) ?? { count: 0, first: 0 };
        total.count++;
        if (member === 0) {
          context.first++;
          total.first++;
        }
        pairTotals.set(pair.id, total);
      }
    }
    let statistic = 0;
    let mean = 0;
    let variance = 0;
    let squares = 0;
    for (const [key, context] of contexts) {
      const total = pairTotals.get(context.pair.id)!;
      const lean = context.first - (context.count * total.first) / total.count;
      if (lean === 0) continue;
      const toFirst = switchChance(context.pair, 0, 1);
      const toSecond = switchChance(context.pair, 1, 1);
      const expected = (toFirst - toSecond) / 2;
      statistic += this.push(key, context) * lean;
      mean += expected * lean;
      variance += ((toFirst + toSecond) / 2 - expected * expected) * lean * lean;
      squares += lean * lean;
    }
    const excess = statistic - mean;
    const z = variance > 0 ? excess / Math.sqrt(variance) : 0;
    return {
      p: variance > 0 ? normalUpperTail(z) : 1,
      pBound: excess > 0 ? Math.exp((-excess * excess) / (2 * squares)) : 1,
      z,
      texts: observationsPerText.length,
      sites,
      contexts: contexts.size,
    };
  }

  /** +1 where the key pushes a context toward the pair's first member, -1 toward the second, 0 where it leaves it. */
  private push(key: string, context: Context): number {
    let push = this.pushes.get(key);
    if (push === undefined) {
      const { preferred, draw } = choiceOf(this.secret, context.previous, context.pair);
      push = draw < switchChance(context.pair, preferred, 1) ? (preferred === 0 ? 1 : -1) : 0;
      this.pushes.set(key, push);
    }
    return push;
  }
}

export interface ProvenanceResult extends MarkTest {
  keyId: string;
  threshold: number;
  /** The fewest texts (in the order given) whose test fell below `threshold`; null if all of them did not. */
  textsNeeded: number | null;
}

/** The test over all texts, and how many of them it took to fall below `threshold`. */
export function testProvenance(texts: readonly string[], secret: Buffer, keyId: string, threshold = 1e-6): ProvenanceResult {
  const observations = texts.map(observe);
  const tester = new MarkTester(secret);
  const result = tester.test(observations);
  return { ...result, keyId, threshold, textsNeeded: result.p < threshold ? fewestTexts(tester, observations, threshold) : null };
}

/** Steps of a hundredth of the texts, then one by one within the step that crossed. */
function fewestTexts(tester: MarkTester, observations: readonly (readonly Observation[])[], threshold: number): number {
  const step = Math.max(1, Math.ceil(observations.length / 100));
  let low = 0;
  for (let end = step; ; end = Math.min(end + step, observations.length)) {
    if (tester.test(observations.slice(0, end)).p < threshold) {
      for (let exact = low + 1; exact < end; exact++) if (tester.test(observations.slice(0, exact)).p < threshold) return exact;
      return end;
    }
    low = end;
  }
}
