import { keyingOf, preferenceOf, type Keying } from './keyed-choice.js';
import { isPhraseHead, locate, type Pair } from './lexicon.js';
import { TextScanner } from './scanner.js';
import { sumUpperTail, type CoinTerm } from './stats.js';

/** One site in a suspect's text: the word before it, the pair, the member that stands there. */
export interface Observation {
  previous: string;
  pair: Pair;
  member: 0 | 1;
}

/**
 * The sites of one text. By default exactly as the mark finds them; `everywhere` reads every
 * plain word standing alone, code, quotes and braces included (see TextScanner), as a suspect's
 * text is read.
 */
export function observe(text: string, everywhere = false): Observation[] {
  const found: Observation[] = [];
  const scanner = new TextScanner(
    (word, previous, next) => {
      const located = locate(word, previous, next);
      if (!located) return { text: word, joined: false };
      found.push({ previous, pair: located.site.pair, member: located.site.member });
      return { text: located.original, joined: located.joined };
    },
    isPhraseHead,
    everywhere,
  );
  scanner.push(text);
  scanner.end();
  return found;
}

const contextKey = (previous: string, pair: Pair): string => `${previous}\u0000${pair.id}`;

/**
 * How unmarked text uses each pair in each context (the word before it): what a suspect that
 * never learned the mark would do there. Built from the deployment's own answers as the
 * upstream wrote them, before the mark: then it does not depend on the key, and the test's null
 * stays exact whatever it holds (marked answers in it would lean it toward the key's choices,
 * which only weakens the test). The closer it is to the suspect's unmarked habits, the less of
 * the suspect's own style is left to hide the mark.
 */
export class Reference {
  private readonly counts = new Map<string, { first: number; count: number }>();

  static from(texts: Iterable<string>): Reference {
    const reference = new Reference();
    for (const text of texts) for (const { previous, pair, member } of observe(text, true)) reference.add(previous, pair, member);
    return reference;
  }

  private add(previous: string, pair: Pair, member: 0 | 1): void {
    const key = contextKey(previous, pair);
    const seen = this.counts.get(key) ?? { first: 0, count: 0 };
    seen.count++;
    if (member === 0) seen.first++;
    this.counts.set(key, seen);
  }

  /**
   * The chance of the first member in a context: its count there, with PRIOR_WEIGHT uses at
   * `prior` (the pair's overall rate) added, so a context seen once or never leans on the pair.
   */
  rate(previous: string, pair: Pair, prior: number): number {
    const seen = this.counts.get(contextKey(previous, pair)) ?? { first: 0, count: 0 };
    return (seen.first + PRIOR_WEIGHT * prior) / (seen.count + PRIOR_WEIGHT);
  }
}

/** Few: a context's own uses in unmarked text say more about it than its pair's average does. */
const PRIOR_WEIGHT = 1;
/** A context's rate is kept off 0 and 1, where a single opposite use would weigh without bound. */
const RATE_FLOOR = 0.05;

export interface MarkTest {
  /** One-sided p-value (saddlepoint approximation to the exact sign-flip null) that the texts carry the key's mark; 0 below what a double holds. */
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

/** A unit of the key's randomness (a couple of contexts or one context): its value under either side of its coin. */
interface Unit {
  ifHeads: number;
  ifTails: number;
  keying: Keying;
}

/**
 * The test. Under the null (the suspect never learned from text marked with this key) the
 * texts do not depend on the key, and the key gives each unit of contexts (see keyingOf) a coin
 * of known bias independent of every other unit's: so, with the texts held fixed, the statistic
 * is a sum of independent two-valued terms whose distribution is known exactly whatever the
 * texts' own word habits (its tail by the saddlepoint approximation). A context's evidence is
 * the log-likelihood ratio, for a small dose of the mark, of its uses against the rate unmarked
 * text has there (the reference; without one, the suspect's own overall use of the pair):
 * with `lean` = uses of the first member minus count x rate, `lean x q0 / rate` if the key
 * prefers the first member (q0 its switch chance) and `-lean x q1 / (1 - rate)` if the second.
 * The reference takes the context's own habits out of the lean, so what is left is mostly what
 * the mark put there; weighing by the inverse rate counts a move toward a member unmarked text
 * rarely uses there for what it is worth. Suspect texts are read everywhere (see observe): a
 * student does not keep its teacher's code fences, quotes and braces balanced.
 */
export class MarkTester {
  private readonly coins = new Map<string, boolean>();
  private readonly balance: number;
  private readonly reference: Reference | undefined;

  /** `balance`: the mark's (see keyingOf); a wrong one, or a poor reference, weakens the test but never invalidates it. */
  constructor(
    private readonly secret: Buffer,
    options: { balance?: number; reference?: Reference } = {},
  ) {
    this.balance = options.balance ?? 1;
    this.reference = options.reference;
  }

  test(observationsPerText: readonly (readonly Observation[])[]): MarkTest {
    const contexts = new Map<string, Context>();
    const pairTotals = new Map<number, { count: number; first: number }>();
    let sites = 0;
    for (const observations of observationsPerText) {
      for (const { previous, pair, member } of observations) {
        sites++;
        const key = contextKey(previous, pair);
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
    const units = new Map<string, Unit>();
    for (const context of contexts.values()) {
      const total = pairTotals.get(context.pair.id)!;
      const overall = (total.first + 0.5) / (total.count + 1);
      const raw = this.reference ? this.reference.rate(context.previous, context.pair, overall) : overall;
      const rate = Math.min(1 - RATE_FLOOR, Math.max(RATE_FLOOR, raw));
      const lean = context.first - context.count * rate;
      if (lean === 0) continue;
      const keying = keyingOf(context.previous, context.pair, this.balance);
      const towardFirst = (keying.switches[0] * lean) / rate;
      const towardSecond = (-keying.switches[1] * lean) / (1 - rate);
      let unit = units.get(keying.unit);
      if (!unit) units.set(keying.unit, (unit = { ifHeads: 0, ifTails: 0, keying }));
      // Heads: the unit's role-0 context prefers the first member (and a role-1 context the second).
      const role0 = keying.role === 0;
      unit.ifHeads += role0 ? towardFirst : towardSecond;
      unit.ifTails += role0 ? towardSecond : towardFirst;
    }
    // The sign-flip null, each unit with its own coin: the statistic is a sum of independent
    // two-valued terms, each the unit's value if tails plus its spread if heads.
    const terms: CoinTerm[] = [];
    let observed = 0;
    let excess = 0;
    let variance = 0;
    let ranges = 0;
    for (const unit of units.values()) {
      const { heads } = unit.keying;
      const spread = unit.ifHeads - unit.ifTails;
      const headsUp = this.heads(unit);
      terms.push({ step: spread, chance: heads });
      if (headsUp) observed += spread;
      excess += (headsUp ? spread : 0) - heads * spread;
      variance += heads * (1 - heads) * spread * spread;
      ranges += spread * spread;
    }
    const z = variance > 0 ? excess / Math.sqrt(variance) : 0;
    return {
      p: variance > 0 ? sumUpperTail(terms, observed) : 1,
      pBound: excess > 0 ? Math.exp((-2 * excess * excess) / ranges) : 1,
      z,
      texts: observationsPerText.length,
      sites,
      contexts: contexts.size,
    };
  }

  private heads(unit: Unit): boolean {
    let heads = this.coins.get(unit.keying.unit);
    if (heads === undefined) {
      heads = preferenceOf(this.secret, unit.keying) === unit.keying.role;
      this.coins.set(unit.keying.unit, heads);
    }
    return heads;
  }
}

export interface ProvenanceResult extends MarkTest {
  keyId: string;
  threshold: number;
  /** The fewest texts (in the order given) whose p-value fell below `threshold`; null if all of them did not. */
  textsNeeded: number | null;
  /**
   * The same by the Hoeffding bound, which holds however few the texts: with a handful of texts a
   * few contexts carry the whole sum and the saddlepoint p-value can come out too small (see
   * docs/provenance.md), so a small `textsNeeded` is to be read with this one.
   */
  textsNeededByBound: number | null;
}

/** The test over all texts, and how many of them it took to fall below `threshold`. */
export function testProvenance(texts: readonly string[], secret: Buffer, keyId: string, options: { threshold?: number; balance?: number; reference?: Reference } = {}): ProvenanceResult {
  const threshold = options.threshold ?? 1e-6;
  const observations = texts.map((text) => observe(text, true));
  const tester = new MarkTester(secret, options);
  const result = tester.test(observations);
  const needed = (tail: 'p' | 'pBound') => (result[tail] < threshold ? fewestTexts(tester, observations, (test) => test[tail] < threshold) : null);
  return { ...result, keyId, threshold, textsNeeded: needed('p'), textsNeededByBound: needed('pBound') };
}

/** Steps of a hundredth of the texts, then one by one within the step that crossed. */
function fewestTexts(tester: MarkTester, observations: readonly (readonly Observation[])[], crossed: (test: MarkTest) => boolean): number {
  const step = Math.max(1, Math.ceil(observations.length / 100));
  let low = 0;
  for (let end = step; ; end = Math.min(end + step, observations.length)) {
    if (crossed(tester.test(observations.slice(0, end)))) {
      for (let exact = low + 1; exact < end; exact++) if (crossed(tester.test(observations.slice(0, exact)))) return exact;
      return end;
    }
    low = end;
  }
}
