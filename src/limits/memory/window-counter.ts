import { bucketMs } from '../window.js';

/** A sliding window of buckets with a running total (see ../window.ts for why). */
export class WindowCounter {
  // Insertion order is time order: charges go to the newest bucket, refunds to existing ones.
  private readonly buckets = new Map<number, number>();
  private total = 0;
  private newest = 0;
  private readonly bucket: number;

  constructor(private readonly windowMs: number) {
    this.bucket = bucketMs(windowMs);
  }

  used(now: number): number {
    const first = Math.floor((now - this.windowMs) / this.bucket);
    for (const [index, amount] of this.buckets) {
      if (index >= first) break;
      this.total -= amount;
      this.buckets.delete(index);
    }
    return this.total;
  }

  resetMs(now: number): number {
    return this.used(now) > 0 ? (this.newest + 1) * this.bucket + this.windowMs - now : 0;
  }

  /** How long until `need` has left the window; -1 if it never will. */
  freesIn(now: number, need: number): number {
    let freed = 0;
    for (const [index, amount] of this.buckets) {
      freed += amount;
      if (freed >= need) return (index + 1) * this.bucket + this.windowMs - now;
    }
    return -1;
  }

  charge(now: number, amount: number): void {
    const index = Math.floor(now / this.bucket);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + amount);
    this.total += amount;
    this.newest = Math.max(this.newest, index);
  }

  /** A refund goes back to the bucket it was charged to, if that still counts. */
  refund(at: number, amount: number): void {
    const index = Math.floor(at / this.bucket);
    const held = this.buckets.get(index) ?? 0;
    const back = Math.min(amount, held);
    if (back <= 0) return;
    this.buckets.set(index, held - back);
    this.total -= back;
  }

  isEmpty(now: number): boolean {
    return this.used(now) === 0;
  }
}
