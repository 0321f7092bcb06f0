/**
 * A column of times in ms, as 32-bit offsets from an epoch (a float64 each was a third of a
 * single-holder slot and two thirds of a holder's entry), read as `base + offsets[i]`. Once a
 * time does not fit (one going back past the epoch, or not a whole ms) the column holds the times
 * themselves as float64, `base` 0: every time still reads back exactly.
 */

const SPAN = 2 ** 32;
/**
 * How far before the latest time an epoch is set when times outrun it: further back than the
 * longest link TTL (30 days), so a time still read as fresh always fits, and one older is raised
 * to the epoch, which reads as expired just the same (and a sign-up value's time is never read).
 */
const LOOKBACK = SPAN - 2 ** 29;

export class MsColumn {
  offsets: Uint32Array | Float64Array;
  /** The epoch; 0 once the column holds the times themselves. */
  base = 0;
  private started = false;

  constructor(capacity: number) {
    this.offsets = new Uint32Array(capacity);
  }

  at(i: number): number {
    return this.base + this.offsets[i]!;
  }

  put(i: number, ms: number): void {
    // Kept first: keeping may move the times to another array.
    const kept = this.keep(ms);
    this.offsets[i] = kept;
  }

  /**
   * Holds no time at `i`, for a time never read: a sign-up attribute's (it never fades) may lie
   * months back, and kept it would turn the whole column to float64.
   */
  unread(i: number): void {
    this.offsets[i] = 0;
  }

  /** `ms` as the column keeps it (moving the epoch on first when the time outran it). */
  keep(ms: number): number {
    if (this.offsets instanceof Float64Array) return ms;
    if (!this.started) {
      this.base = ms - LOOKBACK;
      this.started = true;
    }
    let offset = ms - this.base;
    if (offset >= SPAN && Number.isInteger(ms)) {
      this.rebase(ms - LOOKBACK);
      offset = ms - this.base;
    }
    if (offset >= 0 && offset < SPAN && Number.isInteger(offset)) return offset;
    const base = this.base;
    this.offsets = Float64Array.from(this.offsets, (kept) => base + kept);
    this.base = 0;
    return ms;
  }

  /** An empty array of the column's kind, for kept values copied over as they are. */
  blank(capacity: number): Uint32Array | Float64Array {
    return this.offsets instanceof Float64Array ? new Float64Array(capacity) : new Uint32Array(capacity);
  }

  /** Makes room for `capacity` times, keeping those held. */
  grow(capacity: number): void {
    const bigger = this.blank(capacity);
    bigger.set(this.offsets);
    this.offsets = bigger;
  }

  /** Moves the epoch on to `epoch`, times before it raised to it. */
  private rebase(epoch: number): void {
    const shift = epoch - this.base;
    const offsets = this.offsets;
    for (let i = 0; i < offsets.length; i++) offsets[i] = Math.max(0, offsets[i]! - shift);
    this.base = epoch;
  }
}
