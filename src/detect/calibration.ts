/**
 * From raw evidence (the signal table's product, unbounded in meaning) to a calibrated score that
 * means the same on any traffic. Calibration is fitted on benign traffic alone: `tail(raw)` is the
 * share of benign accounts whose own evidence ever reached `raw`. The score puts the operator's
 * target false-positive rate at 0.5, and every tenfold rarer among benign accounts a quarter
 * higher: 0.75 is reached by a tenth of the target share of benign accounts, 0.25 by ten times it.
 */
export class Calibration {
  readonly threshold = 0.5;

  constructor(
    /** Raw evidence levels, ascending, and the benign share reaching each (descending). */
    private readonly raws: readonly number[],
    private readonly tails: readonly number[],
    readonly targetFpr: number,
  ) {
    if (raws.length !== tails.length || raws.length < 2) throw new Error('calibration needs at least two points');
  }

  withTarget(targetFpr: number | undefined): Calibration {
    return targetFpr === undefined ? this : new Calibration(this.raws, this.tails, targetFpr);
  }

  /** Benign share whose evidence reached `raw`: log-linear between the fitted points, extrapolated past them. */
  tail(raw: number): number {
    const { raws, tails } = this;
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
    const s = 0.5 + 0.25 * Math.log10(this.targetFpr / this.tail(raw));
    return Math.min(1, Math.max(0, s));
  }
}

/** Placeholder until fitted: raw 0.5 at the target rate. */
export const DEFAULT_CALIBRATION = new Calibration([0, 0.5, 1], [1, 0.005, 0.00005], 0.005);
