/** erfc by Numerical Recipes' Chebyshev fit: relative error under 1.2e-7 everywhere, so tails far past 1e-6 stay right. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(-z * z + poly);
  return x >= 0 ? value : 2 - value;
}

/** P(Z >= z) for a standard normal Z. */
export const normalUpperTail = (z: number): number => 0.5 * erfc(z / Math.SQRT2);

/** One independent term of a sum: `step` with chance `chance`, else 0. */
export interface CoinTerm {
  step: number;
  chance: number;
}

/** log(1 - q + q e^x), without overflow for large |x|. */
const logMix = (q: number, x: number): number => (x > 0 ? x + Math.log(q + (1 - q) * Math.exp(-x)) : Math.log(1 - q + q * Math.exp(x)));
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const normalDensity = (w: number): number => Math.exp((-w * w) / 2) / Math.sqrt(2 * Math.PI);

/**
 * P(S >= s) for S a sum of independent terms (each its step with its chance, else 0), by the
 * Lugannani-Rice saddlepoint approximation: accurate far into the tail even when a few terms
 * with lopsided chances dominate, where the plain normal approximation misstates the skew.
 * Near the mean (where the formula is 0/0) the normal approximation, which is exact there to
 * first order, is used.
 */
export function sumUpperTail(terms: readonly CoinTerm[], s: number): number {
  let mean = 0;
  let variance = 0;
  for (const { step, chance } of terms) {
    mean += step * chance;
    variance += step * step * chance * (1 - chance);
  }
  if (variance <= 0) return s <= mean ? 1 : 0;
  const sd = Math.sqrt(variance);
  if (Math.abs(s - mean) < 1e-3 * sd) return normalUpperTail((s - mean) / sd);
  const logits = terms.map(({ chance }) => Math.log(chance / (1 - chance)));
  const slope = (t: number) => {
    let first = 0;
    let second = 0;
    terms.forEach(({ step }, i) => {
      const p = sigmoid(t * step + logits[i]!);
      first += step * p;
      second += step * step * p * (1 - p);
    });
    return { first, second };
  };
  let max = 0;
  let min = 0;
  for (const { step } of terms) step > 0 ? (max += step) : (min += step);
  if (s >= max) return s === max ? terms.reduce((product, { step, chance }) => (step === 0 ? product : product * (step > 0 ? chance : 1 - chance)), 1) : 0;
  if (s <= min) return 1;
  // Newton's method on K'(t) = s, K' increasing; damped so a step never overshoots wildly.
  let t = (s - mean) / variance;
  for (let i = 0; i < 100; i++) {
    const { first, second } = slope(t);
    const delta = (first - s) / Math.max(second, 1e-300);
    const next = t - Math.max(-10 / sd, Math.min(10 / sd, delta));
    if (Math.abs(next - t) < 1e-12 * (1 + Math.abs(t))) {
      t = next;
      break;
    }
    t = next;
  }
  const { second } = slope(t);
  const cumulant = terms.reduce((sum, { step, chance }) => sum + logMix(chance, t * step), 0);
  const w = Math.sign(t) * Math.sqrt(Math.max(0, 2 * (t * s - cumulant)));
  const u = t * Math.sqrt(second);
  if (Math.abs(w) < 1e-6 || Math.abs(u) < 1e-9) return normalUpperTail((s - mean) / sd);
  return Math.min(1, Math.max(0, normalUpperTail(w) + normalDensity(w) * (1 / w - 1 / u)));
}
