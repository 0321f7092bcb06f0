/**
 * Link values shown by one account only so far: most of a gateway's IPs, /24s and templates, and
 * nearly all of the store's memory as objects (the value's string, its holder and time arrays, a
 * map entry: some 250 bytes each, dozens per account). Here each is a slot of an open-addressed
 * table keyed by two 32-bit hashes of kind and value (a false match between two of a million
 * values has odds under 1 in 10^7), holding the holder and its kind and when it last showed the
 * value: 15 bytes. The value's string is kept only once a second account shows it and it can link anyone.
 */

/** A table this full grows: linear probing stays short to here, and the slots are most of the memory. */
const MAX_LOAD = 0.8;
/**
 * ... by a quarter: doubling left the table between a third and two thirds full, growing by half
 * (to 0.7) between a half and 0.7; now it is between two thirds and 0.8 full, some 30 bytes an
 * account fewer on a gateway's millions of one-account IPs, for probes a slot or so longer.
 */
const GROWTH = 1.25;
/**
 * A sweep rebuilds the table this full for what is left: a gateway's single values come and go at
 * about the rate they expire, so the table held the most it ever held and no longer needs, and a
 * sweep re-places every value anyway.
 */
const SWEPT_LOAD = 0.75;
/**
 * A slot's holder: its id plus one (0 marks a free slot), in 16 bits while ids fit them and 32
 * from the first that does not; its link kind's number is a byte beside it. A word holding both
 * was a byte a slot more on a gateway of tens of thousands of accounts.
 */
const NARROW = 0xffff;
/** Times are kept as 32-bit offsets in ms from an epoch (a float64 each was a third of a slot). */
const SPAN = 2 ** 32;
/**
 * How far before the latest time an epoch is set when times outrun it: further back than the
 * longest link TTL (30 days), so a time still read as fresh always fits, and one older is raised
 * to the epoch, which reads as expired just the same (and a sign-up value's time is never read).
 */
const LOOKBACK = SPAN - 2 ** 29;

export class SingleHolders {
  private hashA = new Uint32Array(1024);
  private hashB = new Uint32Array(1024);
  private holders: Uint16Array | Int32Array = new Uint16Array(1024);
  private kinds = new Uint8Array(1024);
  /** Offsets from `epoch`, or the times themselves once one did not fit (a time going back past the epoch, or not a whole ms). */
  private lastSeen: Uint32Array | Float64Array = new Uint32Array(1024);
  private epoch = NaN;
  private size = 0;

  /** The slot holding the value with these hashes, or -1. */
  find(hashA: number, hashB: number): number {
    const capacity = this.hashA.length;
    for (let i = hashA % capacity; this.holders[i] !== 0; i = i + 1 === capacity ? 0 : i + 1) {
      if (this.hashA[i] === hashA && this.hashB[i] === hashB) return i;
    }
    return -1;
  }

  holderAt(slot: number): number {
    return this.holders[slot]! - 1;
  }

  seenAt(slot: number): number {
    return this.timeOf(this.lastSeen[slot]!);
  }

  see(slot: number, ms: number): void {
    // Kept first: keeping may move the times to another array.
    const kept = this.stored(ms);
    this.lastSeen[slot] = kept;
  }

  /** Adds a value not held, of link kind number `kind`. */
  add(hashA: number, hashB: number, kind: number, holder: number, ms: number): void {
    if (holder + 1 > NARROW && this.holders instanceof Uint16Array) this.holders = Int32Array.from(this.holders);
    if (this.size + 1 > MAX_LOAD * this.hashA.length) this.rebuild(Math.ceil(GROWTH * this.hashA.length), () => false);
    const kept = this.stored(ms);
    this.put(hashA, hashB, holder + 1, kind, kept);
    this.size++;
  }

  /** Frees a slot, moving back the entries that probed past it so every entry stays findable. */
  remove(slot: number): void {
    const capacity = this.hashA.length;
    let free = slot;
    for (let i = slot + 1 === capacity ? 0 : slot + 1; this.holders[i] !== 0; i = i + 1 === capacity ? 0 : i + 1) {
      const home = this.hashA[i]! % capacity;
      // An entry stays where it is when its home lies cyclically after the free slot, up to it.
      const stays = free <= i ? free < home && home <= i : free < home || home <= i;
      if (stays) continue;
      this.move(i, free);
      free = i;
    }
    this.holders[free] = 0;
    this.size--;
  }

  /** Forgets every value for which `expired(kind, lastSeen)` holds. */
  sweep(expired: (kind: number, lastSeenMs: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.holders.length; i++) if (this.holders[i] !== 0 && !expired(this.kinds[i]!, this.timeOf(this.lastSeen[i]!))) kept++;
    this.rebuild(Math.max(1024, Math.ceil(kept / SWEPT_LOAD)), expired);
  }

  /** The time as kept: its offset from the epoch (moved on first when the time outran it), or itself. */
  private stored(ms: number): number {
    if (this.lastSeen instanceof Float64Array) return ms;
    if (Number.isNaN(this.epoch)) this.epoch = ms - LOOKBACK;
    let offset = ms - this.epoch;
    if (offset >= SPAN && Number.isInteger(ms)) {
      this.rebase(ms - LOOKBACK);
      offset = ms - this.epoch;
    }
    if (offset >= 0 && offset < SPAN && Number.isInteger(offset)) return offset;
    const epoch = this.epoch;
    this.lastSeen = Float64Array.from(this.lastSeen, (kept) => epoch + kept);
    return ms;
  }

  private timeOf(kept: number): number {
    return this.lastSeen instanceof Float64Array ? kept : this.epoch + kept;
  }

  /** Moves the epoch on to `epoch`, times before it raised to it. */
  private rebase(epoch: number): void {
    const shift = epoch - this.epoch;
    const lastSeen = this.lastSeen;
    for (let i = 0; i < lastSeen.length; i++) lastSeen[i] = Math.max(0, lastSeen[i]! - shift);
    this.epoch = epoch;
  }

  /** `ms` as kept (see `stored`). */
  private put(hashA: number, hashB: number, holder: number, kind: number, ms: number): void {
    const capacity = this.hashA.length;
    let i = hashA % capacity;
    while (this.holders[i] !== 0) i = i + 1 === capacity ? 0 : i + 1;
    this.hashA[i] = hashA;
    this.hashB[i] = hashB;
    this.holders[i] = holder;
    this.kinds[i] = kind;
    this.lastSeen[i] = ms;
  }

  private move(from: number, to: number): void {
    this.hashA[to] = this.hashA[from]!;
    this.hashB[to] = this.hashB[from]!;
    this.holders[to] = this.holders[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.lastSeen[to] = this.lastSeen[from]!;
  }

  private rebuild(capacity: number, expired: (kind: number, lastSeenMs: number) => boolean): void {
    const { hashA, hashB, holders, kinds, lastSeen } = this;
    this.hashA = new Uint32Array(capacity);
    this.hashB = new Uint32Array(capacity);
    this.holders = holders instanceof Uint16Array ? new Uint16Array(capacity) : new Int32Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.lastSeen = lastSeen instanceof Float64Array ? new Float64Array(capacity) : new Uint32Array(capacity);
    this.size = 0;
    for (let i = 0; i < holders.length; i++) {
      if (holders[i] === 0 || expired(kinds[i]!, this.timeOf(lastSeen[i]!))) continue;
      this.put(hashA[i]!, hashB[i]!, holders[i]!, kinds[i]!, lastSeen[i]!);
      this.size++;
    }
  }
}
