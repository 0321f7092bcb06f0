import { preferenceOf, switchChance, unitOf } from './keyed-choice.js';
import { isPhraseHead, locate, type Pair } from './lexicon.js';
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
  const scanner = new TextScanner((word, previous, next) => {
    const located = locate(word, previous, next);
    if (!located) return { text: word, joined: false };
    found.push({ previous, pair: located.site.pair, member: located.site.member });
    return { text: located.original, joined: located.joined };
  }, isPhraseHead);
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

/** A unit of the key's randomness (a couple of contexts or one context): its value under either coin. */
interface Unit {
  ifHeads: number;
  ifTails: number;
  /** One of its contexts, to read the coin from. */
  previous: string;
  pair: Pair;
  role: 0 | 1;
}

/**
 * The test. Under the null (the suspect never learned from text marked with this key) the
 * texts do not depend on the key, and the key gives each unit of contexts (see unitOf) a fair
 * coin independent of every other unit's: so, with the texts held fixed, the statistic's
 * distribution is known exactly whatever the texts' own word habits. A context's evidence is
 * how far its use of a pair leans from the suspect's own overall use of that pair (not from an
 * assumed rate, which would count the suspect's style as a mark), times the pull the key puts
 * on it (the switch chance toward the member it prefers). Each context counts once however
 * often it repeats, since repeats of one context share one coin.
 */
export class MarkTester {
  private readonly coins = new Map<string, boolean>();

  /** `balance`: the mark's (see switchChance); a wrong one weakens the test but never invalidates it. */
  constructor(
    private readonly secret: Buffer,
    private readonly balance = 1,
  ) {}

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
    const units = new Map<string, Unit>();
    for (const context of contexts.values()) {
      const total = pairTotals.get(context.pair.id)!;
      const lean = context.first - (context.count * total.first) / total.count;
      if (lean === 0) continue;
      const towardFirst = switchChance(context.pair, 0, 1, this.balance) * lean;
      const towardSecond = -switchChance(context.pair, 1, 1, this.balance) * lean;
      const { unit: name, role } = unitOf(context.previous, context.pair);
      let unit = units.get(name);
      if (!unit) units.set(name, (unit = { ifHeads: 0, ifTails: 0, previous: context.previous, pair: context.pair, role }));
      // Heads: the unit's role-0 context prefers the first member (and a role-1 context the second).
      unit.ifHeads += role === 0 ? towardFirst : towardSecond;
      unit.ifTails += role === 0 ? towardSecond : towardFirst;
    }
    let excess = 0;
    let variance = 0;
    let ranges = 0;
    for (const [name, unit] of units) {
      const half = (unit.ifHeads - unit.ifTails) / 2;
      excess += this.heads(name, unit) ? half : -half;
      variance += half * half;
      ranges += 4 * half * half;
    }
    const z = variance > 0 ? excess / Math.sqrt(variance) : 0;
    return {
      p: variance > 0 ? normalUpperTail(z) : 1,
      pBound: excess > 0 ? Math.exp((-2 * excess * excess) / ranges) : 1,
      z,
      texts: observationsPerText.length,
      sites,
      contexts: contexts.size,
    };
  }

  private heads(name: string, unit: Unit): boolean {
    let heads = this.coins.get(name);
    if (heads === undefined) {
      heads = preferenceOf(this.secret, unit.previous, unit.pair) === unit.role;
      this.coins.set(name, heads);
    }
    return heads;
  }
}

export interface ProvenanceResult extends MarkTest {
  keyId: string;
  threshold: number;
  /** The fewest texts (in the order given) whose test fell below `threshold`; null if all of them did not. */
  textsNeeded: number | null;
}

/** The test over all texts, and how many of them it took to fall below `threshold`. */
export function testProvenance(texts: readonly string[], secret: Buffer, keyId: string, options: { threshold?: number; balance?: number } = {}): ProvenanceResult {
  const threshold = options.threshold ?? 1e-6;
  const observations = texts.map(observe);
  const tester = new MarkTester(secret, options.balance);
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
