import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalUpperTail, sumUpperTail, type CoinTerm } from '../../src/provenance/stats.js';
import { seededRandom } from '../helpers/ngram-student.js';

/** P(sum >= each of `points`) by drawing the terms `draws` times. */
function simulatedTails(terms: readonly CoinTerm[], points: readonly number[], draws: number, random: () => number): number[] {
  const above = points.map(() => 0);
  for (let draw = 0; draw < draws; draw++) {
    let sum = 0;
    for (const { step, chance } of terms) if (random() < chance) sum += step;
    points.forEach((point, i) => (above[i]! += sum >= point ? 1 : 0));
  }
  return above.map((count) => count / draws);
}

/**
 * Like the detector's sums: hundreds of units, coins between 0.1 and 0.9, a few units weighing
 * far more than the rest, so the sum is skewed.
 */
test('the saddlepoint tail of a skewed sum of lopsided coins matches simulation out to 3.5 standard deviations', () => {
  const random = seededRandom(5);
  for (let run = 0; run < 3; run++) {
    const terms = Array.from({ length: 300 }, (_, i) => {
      const chance = random() < 0.5 ? 0.1 : 0.1 + 0.8 * random();
      // Steps lean to the side that makes rare heads large: skew to the right.
      return { step: (chance < 0.5 ? 1 : -0.3) * (1 + random()) * (i < 4 ? 8 : 1), chance };
    });
    const mean = terms.reduce((sum, { step, chance }) => sum + step * chance, 0);
    const sd = Math.sqrt(terms.reduce((sum, { step, chance }) => sum + step * step * chance * (1 - chance), 0));
    const ks = [2, 3, 3.5];
    const simulated = simulatedTails(terms, ks.map((k) => mean + k * sd), 400_000, random);
    ks.forEach((k, i) => {
      const exact = simulated[i]!;
      const approx = sumUpperTail(terms, mean + k * sd);
      const error = 3 * Math.sqrt(exact / 400_000);
      assert.ok(Math.abs(approx - exact) <= 0.15 * exact + error, `run ${run}, ${k} sd: saddlepoint ${approx}, simulated ${exact}, normal ${normalUpperTail(k)}`);
    });
  }
  assert.equal(sumUpperTail([{ step: 1, chance: 0.5 }], 2), 0);
  assert.equal(sumUpperTail([{ step: 1, chance: 0.5 }], -1), 1);
});
