import { CALIBRATION_POINTS } from './calibration-table.js';

/**
 * From raw evidence (the signal table's product, whose numbers mean little by themselves) to a
 * calibrated score that means the same on any traffic. Calibration is fitted on benign traffic
 * alone: `tail(raw)` estimates the share of legitimate accounts whose own evidence ever reaches
 * `raw`. The score puts the operator's target false-positive rate at 0.5 and every tenfold rarer
 * a quarter higher: 0.75 is reached by a tenth of the target share of legitimate accounts, 0.25
 * by ten times it.
 */
export class Calibration {
  readonly threshold = 0.5;

  constructor(
    readonly points: CalibrationPoints,
    readonly targetFpr: number,
  ) {
    const { raws, tails } = points;
    if (raws.length !== tails.length || raws.length < 2) throw new Error('calibration needs at least two points');
    for (let i = 1; i < raws.length; i++) {
      if (!(raws[i]! > raws[i - 1]!) || !(tails[i]! <= tails[i - 1]!) || !(tails[i]! > 0)) throw new Error('calibration points must rise in raw and fall in tail');
    }
  }

  withTarget(targetFpr: number | undefined): Calibration {
    return targetFpr === undefined ? this : new Calibration(this.points, targetFpr);
  }

  /** Share of legitimate accounts whose evidence reached `raw`: log-linear between points, extended past the last. */
  tail(raw: number): number {
    const { raws, tails } = this.points;
    if (raw <= raws[0]!) return tails[0]!;
    let i = 1;
    while (i < raws.length - 1 && raws[i]! < raw) i++;
    const x0 = raws[i - 1]!;
    const x1 = raws[i]!;
    const l0 = Math.log10(tails[i - 1]!);
    const l1 = Math.log10(tails[i]!);
    return Math.pow(10, l0 + ((raw - x0) / (x1 - x0)) * (l1 - l0));
  }

  score(raw: number): number {
    if (raw <= 0) return 0;
    return Math.min(1, Math.max(0, 0.5 + 0.25 * Math.log10(this.targetFpr / this.tail(raw))));
  }

  /** The raw evidence at which an account is flagged for this target rate. */
  rawThreshold(): number {
    let lo = 0;
    let hi = 10;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (this.score(mid) >= this.threshold) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}

export interface CalibrationPoints {
  /** Raw evidence levels, rising. */
  raws: readonly number[];
  /** Estimated share of legitimate accounts reaching each, falling. */
  tails: readonly number[];
}

export interface BenignSample {
  /** The kind of legitimate customer (a persona), or one kind for unlabelled traffic. */
  kind: string;
  /** The account's peak raw evidence. */
  raw: number;
}

/** The top tenth of a kind (at least this many accounts) models its tail. */
const TAIL_ACCOUNTS = 3;
/**
 * Smallest spread of a tail: a kind of customer seen only at one level of evidence may still
 * reach a little higher, and the estimate must not claim it never will.
 */
const MIN_SPREAD = 0.02;

/**
 * Fits the tail on legitimate accounts, kind by kind, and keeps the worst kind at every level:
 * a false positive cuts off a paying customer, so the rate must hold for each kind of customer
 * (a few dozen benchmark runs as much as thousands of casual users), not only on average. Each
 * kind's tail is its empirical share up to its top tenth, then an exponential decay with the
 * top tenth's mean excess as its scale, so the estimate extends past the highest account seen.
 */
export function fitCalibration(samples: readonly BenignSample[]): CalibrationPoints {
  const byKind = new Map<string, number[]>();
  for (const s of samples) {
    const list = byKind.get(s.kind) ?? [];
    list.push(Math.max(0, s.raw));
    byKind.set(s.kind, list);
  }
  if (byKind.size === 0) throw new Error('no benign accounts to calibrate on');
  const tails = [...byKind.values()].map((raws) => kindTail(raws.sort((a, b) => b - a)));
  const worst = (raw: number): number => Math.max(...tails.map((tail) => tail(raw)));
  const raws: number[] = [];
  const shares: number[] = [];
  for (let raw = 0; raw <= 1.5 + 1e-9; raw += 0.01) {
    const share = Math.max(worst(raw), 1e-12);
    // Strictly falling for the interpolation: a flat stretch keeps only its first point.
    if (shares.length > 0 && share >= shares[shares.length - 1]!) continue;
    raws.push(Math.round(raw * 100) / 100);
    shares.push(share);
  }
  if (raws.length < 2) {
    raws.push(1.5);
    shares.push(shares[0]! / 10);
  }
  return { raws, tails: shares };
}

function kindTail(descending: readonly number[]): (raw: number) => number {
  const n = descending.length;
  const k = Math.min(n, Math.max(TAIL_ACCOUNTS, Math.ceil(n / 10)));
  const start = descending[k - 1]!;
  let excess = 0;
  for (let i = 0; i < k; i++) excess += descending[i]! - start;
  const spread = Math.max(MIN_SPREAD, excess / k);
  return (raw) => {
    if (raw > start) return (k / n) * Math.exp(-(raw - start) / spread);
    let reaching = k;
    while (reaching < n && descending[reaching]! >= raw) reaching++;
    return reaching / n;
  };
}

export const DEFAULT_CALIBRATION = new Calibration(CALIBRATION_POINTS, 0.005);

/** A calibration file (`moat calibrate --out`) read back; throws with what is wrong. */
export function readCalibrationPoints(json: unknown): CalibrationPoints {
  const value = json as { raws?: unknown; tails?: unknown } | null;
  const numbers = (list: unknown): list is number[] => Array.isArray(list) && list.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!value || !numbers(value.raws) || !numbers(value.tails)) throw new Error('a calibration file holds {"raws": [numbers], "tails": [numbers]}');
  const points = { raws: value.raws, tails: value.tails };
  new Calibration(points, DEFAULT_CALIBRATION.targetFpr);
  return points;
}
