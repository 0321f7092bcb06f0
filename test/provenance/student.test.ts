import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import { observe, MarkTester, Reference, testProvenance } from '../../src/provenance/detector.js';
import { PAIRS } from '../../src/provenance/lexicon.js';
import { markText } from '../../src/provenance/marker.js';
import { responseTexts } from '../../src/provenance/response-texts.js';
import { DEV_SET, devSetPresent } from '../helpers/dev-set.js';
import { seededRandom, TrigramStudent } from '../helpers/ngram-student.js';

/**
 * On dev-v1's answers: trigram students trained on them with all or a tenth of them marked,
 * against one trained on none marked. The students write 500 answers of 400 to 800 tokens (a
 * long answer each; dev-v1's own are shorter, about 80 words, and carry about two sites each).
 * The reference is dev-v1's answers unmarked, as the deployment has its own answers.
 */
const skip = !devSetPresent && 'dev-v1 is not beside the repository';
const secretOf = (name: string) => createHash('sha256').update(name).digest();
const KEY = secretOf('provenance-student-test');
const GENERATED = 500;

let texts: string[] = [];
let reference: Reference;
before(async () => {
  if (skip) return;
  texts = await responseTexts(DEV_SET);
  reference = Reference.from(texts);
});

/** dev-v1's answers with a `share` of them (picked at random) marked, and how many of the marked ones' sites changed. */
function withMarked(share: number): { training: string[]; changed: number } {
  const pick = seededRandom(7);
  let changed = 0;
  let sites = 0;
  const training = texts.map((text) => {
    if (pick() >= share) return text;
    const result = markText(text, { secret: KEY, rate: 1 });
    changed += result.counts.changed;
    sites += result.counts.sites;
    return result.text;
  });
  return { training, changed: changed / sites };
}

function studentAnswers(training: string[], seed: number): string[] {
  const student = new TrigramStudent(training);
  const random = seededRandom(seed);
  return Array.from({ length: GENERATED }, () => student.generate(random, 400, 800));
}

for (const share of [1, 0.1]) {
  test(`a student with ${share * 100}% of its training marked is caught below 1e-6 within 500 answers; other keys are not`, { skip }, (t) => {
    const { training, changed } = withMarked(share);
    const answers = studentAnswers(training, 11);
    const result = testProvenance(answers, KEY, 'test', { reference });
    t.diagnostic(`marked texts: ${(changed * 100).toFixed(1)}% of their sites changed; student: p=${result.p.toExponential(2)} (Hoeffding bound ${result.pBound.toExponential(2)}), z=${result.z.toFixed(2)}, ${result.sites} sites in ${result.contexts} contexts, crossed 1e-6 after ${result.textsNeeded} answers`);
    assert.ok(result.p < 1e-6, `p = ${result.p}`);
    assert.ok(result.textsNeeded !== null && result.textsNeeded <= GENERATED);
    assert.ok(result.pBound < 1e-6, `even by Hoeffding's bound, which holds however few the texts: ${result.pBound}`);
    const other = testProvenance(answers, secretOf('some other deployment'), 'other', { reference });
    assert.ok(other.p > 1e-3, `a key that marked nothing: p = ${other.p}`);
  });
}

/** Kolmogorov-Smirnov distance of a sample from the uniform distribution on [0, 1]. */
function ksDistance(sample: number[]): number {
  const sorted = [...sample].sort((a, b) => a - b);
  return Math.max(...sorted.map((value, i) => Math.max((i + 1) / sorted.length - value, value - i / sorted.length)));
}

/**
 * With exactly uniform p-values the count below 1e-3 over 1,000 keys is Binomial(1000, 1e-3):
 * more than one in a quarter of runs. So: the approximate p-value's count is held to what a
 * 1e-3 rate allows (at most 4; P(5 or more) = 0.4%), and the Hoeffding bound, which can only
 * overstate p, to at most one.
 */
test('an unmarked student: over 1,000 keys, p-values are uniform and false alarms at 1e-3 stay at 1e-3', { skip }, (t) => {
  const observations = studentAnswers(texts, 12).map((text) => observe(text, true));
  const results = Array.from({ length: 1000 }, (_, i) => new MarkTester(secretOf(`null-key-${i}`), { reference }).test(observations));
  const pValues = results.map((result) => result.p);
  const low = pValues.filter((p) => p < 1e-3).length;
  const lowBound = results.filter((result) => result.pBound < 1e-3).length;
  const distance = ksDistance(pValues);
  // 1.63 / sqrt(n): the Kolmogorov-Smirnov critical distance at the 1% level.
  const critical = 1.63 / Math.sqrt(pValues.length);
  t.diagnostic(`below 1e-3: ${low} of 1000 (Hoeffding bound: ${lowBound}); below 0.05: ${pValues.filter((p) => p < 0.05).length}; KS distance ${distance.toFixed(4)} (1% critical ${critical.toFixed(4)}); smallest p ${Math.min(...pValues).toExponential(2)}`);
  assert.ok(low <= 4, `${low} false alarms at 1e-3`);
  assert.ok(lowBound <= 1, `${lowBound} false alarms at 1e-3 by the bound`);
  assert.ok(distance < critical, `KS distance ${distance}`);
});

/**
 * Chi-square of pair-word counts between two corpora: for each pair seen at least 5 times in
 * each member overall, a 2x2 table (corpus x member); summed, with one degree of freedom per pair.
 */
function chiSquare(a: number[][], b: number[][]): { statistic: number; df: number } {
  let statistic = 0;
  let df = 0;
  a.forEach(([a0, a1], i) => {
    const [b0, b1] = b[i]!;
    const cells = [a0!, a1!, b0!, b1!];
    const [rowA, rowB, col0, col1] = [a0! + a1!, b0! + b1!, a0! + b0!, a1! + b1!];
    if (col0 < 5 || col1 < 5 || rowA === 0 || rowB === 0) return;
    const n = rowA + rowB;
    const expected = [(rowA * col0) / n, (rowA * col1) / n, (rowB * col0) / n, (rowB * col1) / n];
    cells.forEach((cell, j) => (statistic += (cell - expected[j]!) ** 2 / expected[j]!));
    df++;
  });
  return { statistic, df };
}

/** Upper tail of chi-square by the Wilson-Hilferty cube-root normal approximation (good for df in the tens and more). */
function chiSquareTail(statistic: number, df: number): number {
  const z = (Math.cbrt(statistic / df) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
  return 0.5 * erfcApprox(z / Math.SQRT2);
}
const erfcApprox = (x: number): number => {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const value = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? value : 2 - value;
};

const pairCounts = (corpus: readonly string[]): number[][] => {
  const counts = PAIRS.map(() => [0, 0]);
  for (const text of corpus) for (const site of observe(text)) counts[site.pair.id]![site.member]!++;
  return counts;
};

/**
 * The frequency attacker holds marked answers (from one account) and unmarked ones (from
 * another) and compares how often each pair word is used. dev-v1's halves differ by
 * themselves (chi-square 210 on 160 pairs); the margin: for each of three keys, the mark adds
 * at most 0.01 to the chi-square per site compared (these keys add 0.001-0.002; over five
 * sweep keys up to 0.004). At 0.004 the mark alone reaches the 1% critical excess (about 44
 * on 160 pairs) after some 12,000 sites: about 7,000 answers of dev-v1's kind.
 */
test('a frequency-analysis attacker cannot tell marked from unmarked answers by word counts', { skip }, (t) => {
  const half = texts.filter((_, i) => i % 2 === 0);
  const otherHalf = pairCounts(texts.filter((_, i) => i % 2 === 1));
  const halfCounts = pairCounts(half);
  const natural = chiSquare(halfCounts, otherHalf);
  const sites = [...halfCounts, ...otherHalf].reduce((sum, [a, b]) => sum + a! + b!, 0);
  const results = Array.from({ length: 3 }, (_, k) => {
    const secret = secretOf(`frequency-key-${k}`);
    const { statistic, df } = chiSquare(pairCounts(half.map((text) => markText(text, { secret, rate: 1 }).text)), otherHalf);
    return { statistic, df, p: chiSquareTail(statistic, df), perSite: (statistic - natural.statistic) / sites };
  });
  t.diagnostic(`unmarked halves: chi2=${natural.statistic.toFixed(1)} df=${natural.df} p=${chiSquareTail(natural.statistic, natural.df).toFixed(3)}, ${sites} sites; marked vs unmarked: ${results.map((r) => `${r.statistic.toFixed(0)}/${r.df} (+${r.perSite.toFixed(4)} a site)`).join(', ')}`);
  for (const result of results) assert.ok(result.perSite <= 0.01, `chi2 ${result.statistic} vs ${natural.statistic} unmarked`);
});
