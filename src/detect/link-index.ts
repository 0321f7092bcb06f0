/**
 * Capped, expiring buckets: attribute value -> accounts that showed it. A bucket that fills up
 * marks a common value (a webmail domain, a cloud NAT) and stops producing links, which both
 * bounds memory and keeps popular values from chaining unrelated accounts together.
 */
export class LinkIndex {
  /** Each bucket is one flat array [member, lastSeenMs, member, lastSeenMs, ...]; null once saturated. */
  private readonly buckets = new Map<string, number[] | null>();
  private touches = 0;

  constructor(
    private readonly cap: number,
    private readonly ttlMs: number,
  ) {}

  /** Records `member` under `key` at `ms`; returns the other live members to link with. */
  touch(key: string, member: number, ms: number): number[] {
    if (++this.touches % 50_000 === 0) this.sweep(ms);
    let bucket = this.buckets.get(key);
    if (bucket === null) return [];
    if (bucket === undefined) {
      this.buckets.set(key, [member, ms]);
      return [];
    }
    const others: number[] = [];
    let self = -1;
    for (let i = 0; i < bucket.length; i += 2) {
      if (ms - bucket[i + 1]! > this.ttlMs) continue;
      if (bucket[i] === member) self = i;
      else others.push(bucket[i]!);
    }
    if (self >= 0) bucket[self + 1] = ms;
    else {
      bucket = this.live(bucket, ms);
      if (bucket.length / 2 >= this.cap) {
        this.buckets.set(key, null);
        return [];
      }
      bucket.push(member, ms);
      this.buckets.set(key, bucket);
    }
    return others;
  }

  private live(bucket: number[], ms: number): number[] {
    let expired = false;
    for (let i = 1; i < bucket.length; i += 2) if (ms - bucket[i]! > this.ttlMs) expired = true;
    if (!expired) return bucket;
    const kept: number[] = [];
    for (let i = 0; i < bucket.length; i += 2) if (ms - bucket[i + 1]! <= this.ttlMs) kept.push(bucket[i]!, bucket[i + 1]!);
    return kept;
  }

  private sweep(ms: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket === null) continue;
      const kept = this.live(bucket, ms);
      if (kept.length === 0) this.buckets.delete(key);
      else if (kept !== bucket) this.buckets.set(key, kept);
    }
  }
}
