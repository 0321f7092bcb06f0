/**
 * The heavier provenance sweep behind BENCHMARKS.md: for each key, balance and marked share, a
 * trigram student's p-value after 500 long answers (and how many it took to cross 1e-6) with
 * three references: dev-v1's answers unmarked (what the deployment has), its even half only
 * (a reference that shares only half the student's training), none (the suspect's own rates);
 * and the frequency attacker's chi-square (marked half of dev-v1 vs the other half, against
 * the two halves unmarked).
 *   [KEYS=a,b BALANCES=1,0.5,0 SHARES=0.1,0.25,1 ANSWERS=500] npx tsx bench/provenance/sweep.ts [../shared/data/traffic/dev-v1]
 */
import { createHash } from 'node:crypto';
import { observe, Reference, testProvenance } from '../../src/provenance/detector.js';
import { PAIRS } from '../../src/provenance/lexicon.js';
import { markText } from '../../src/provenance/marker.js';
import { responseTexts } from '../../src/provenance/response-texts.js';
import { seededRandom, TrigramStudent } from '../../test/helpers/ngram-student.js';

const dir = process.argv[2] ?? '../shared/data/traffic/dev-v1';
const balances = (process.env.BALANCES ?? '1,0.5,0').split(',').map(Number);
const shares = (process.env.SHARES ?? '0.1,0.25,1').split(',').map(Number);
const generated = Number(process.env.ANSWERS ?? 500);
const texts = await responseTexts(dir);
const keys = (process.env.KEYS ?? 'provenance-sweep').split(',');
const references = { all: Reference.from(texts), even: Reference.from(texts.filter((_, i) => i % 2 === 0)), none: undefined };
const counts = (corpus: readonly string[]) => {
  const c = PAIRS.map(() => [0, 0]);
  for (const text of corpus) for (const site of observe(text)) c[site.pair.id]![site.member]!++;
  return c;
};
const chiSquare = (a: number[][], b: number[][]) => {
  let statistic = 0;
  a.forEach(([a0, a1], i) => {
    const [b0, b1] = b[i]!;
    const n = a0! + a1! + b0! + b1!;
    if (a0! + b0! < 5 || a1! + b1! < 5 || a0! + a1! === 0 || b0! + b1! === 0) return;
    const cells = [[a0!, a1!], [b0!, b1!]];
    const rows = [a0! + a1!, b0! + b1!];
    const cols = [a0! + b0!, a1! + b1!];
    for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) statistic += (cells[r]![c]! - (rows[r]! * cols[c]!) / n) ** 2 / ((rows[r]! * cols[c]!) / n);
  });
  return statistic;
};
const half = texts.filter((_, i) => i % 2 === 0);
const other = counts(texts.filter((_, i) => i % 2 === 1));
const cross = (result: { p: number; pBound: number; textsNeeded: number | null; textsNeededByBound: number | null }) =>
  `${result.p.toExponential(1)} (${result.textsNeeded ?? '-'}); bound ${result.pBound.toExponential(1)} (${result.textsNeededByBound ?? '-'})`;
process.stdout.write(`| key | balance | marked share of training | sites changed | p after ${generated} (answers to cross 1e-6); Hoeffding bound (answers), reference all | reference even half | no reference | chi-square marked vs unmarked (unmarked halves: ${chiSquare(counts(half), other).toFixed(0)}) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n`);
for (const keyName of keys) {
  const secret = createHash('sha256').update(keyName).digest();
  for (const balance of balances) {
    const chi = chiSquare(counts(half.map((text) => markText(text, { secret, rate: 1, balance }).text)), other).toFixed(0);
    for (const share of shares) {
      const pick = seededRandom(7);
      let changed = 0;
      let sites = 0;
      const training = texts.map((text) => {
        if (pick() >= share) return text;
        const marked = markText(text, { secret, rate: 1, balance });
        changed += marked.counts.changed;
        sites += marked.counts.sites;
        return marked.text;
      });
      const student = new TrigramStudent(training);
      const random = seededRandom(11);
      const answers = Array.from({ length: generated }, () => student.generate(random, 400, 800));
      const [all, even, none] = (['all', 'even', 'none'] as const).map((name) => testProvenance(answers, secret, 'sweep', { balance, reference: references[name] }));
      process.stdout.write(`| ${keyName} | ${balance} | ${share} | ${((100 * changed) / sites).toFixed(1)}% | ${cross(all!)} | ${cross(even!)} | ${cross(none!)} | ${chi} |\n`);
    }
  }
}
