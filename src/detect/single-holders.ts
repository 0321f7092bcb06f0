/**
 * Link values shown by one account only so far: most of a gateway's IPs, /24s and templates, and
 * nearly all of the store's memory as objects (the value's string, its holder and time arrays, a
 * map entry: some 250 bytes each, dozens per account). Here each is a slot of an open-addressed
 * table keyed by two 32-bit hashes of kind and value (a false match between two of a million
 * values has odds under 1 in 10^7), holding the holder and its kind and when it last showed the
 * value: 16 bytes. The value's string is kept only once a second account shows it and it can link anyone.
 */

/** A table this full grows: linear probing stays short to here, and the slots are most of the memory. */
const MAX_LOAD = 0.7;
/** ... by half again: doubling left the table between a third and two thirds full, now about half to two thirds. */
const GROWTH = 1.5;
/** A slot's holder word: the holder's id plus one in the low bits (0 marks a free slot), the link kind's number above. */
const KIND_SHIFT = 27;
const HOLDER_MASK = (1 << KIND_SHIFT) - 1;
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
  private holders = new Int32Array(1024);
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
    return (this.holders[slot]! & HOLDER_MASK) - 1;
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
    if (holder + 1 > HOLDER_MASK) throw new RangeError(`single holders keep account ids below ${HOLDER_MASK}`);
    if (this.size + 1 > MAX_LOAD * this.hashA.length) this.rebuild(Math.ceil(GROWTH * this.hashA.length), () => false);
    const kept = this.stored(ms);
    this.put(hashA, hashB, (kind << KIND_SHIFT) | (holder + 1), kept);
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

  /**
   * Forgets every value for which `expired(kind, lastSeen)` holds, in place: a table rebuilt
   * fresh cost four new arrays of fresh pages each time. A slot freed takes in an entry from
   * further on, so it is read again; entries only move back towards their home, so none is
   * passed over (one moved from the table's start round to its end is only read twice).
   */
  sweep(expired: (kind: number, lastSeenMs: number) => boolean): void {
    const holders = this.holders;
    for (let i = 0; i < holders.length; ) {
      const holder = holders[i]!;
      if (holder !== 0 && expired(holder >>> KIND_SHIFT, this.timeOf(this.lastSeen[i]!))) this.remove(i);
      else i++;
    }
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
  private put(hashA: number, hashB: number, holder: number, ms: number): void {
    const capacity = this.hashA.length;
    let i = hashA % capacity;
    while (this.holders[i] !== 0) i = i + 1 === capacity ? 0 : i + 1;
    this.hashA[i] = hashA;
    this.hashB[i] = hashB;
    this.holders[i] = holder;
    this.lastSeen[i] = ms;
  }

  private move(from: number, to: number): void {
    this.hashA[to] = this.hashA[from]!;
    this.hashB[to] = this.hashB[from]!;
    this.holders[to] = this.holders[from]!;
    this.lastSeen[to] = this.lastSeen[from]!;
  }

  private rebuild(capacity: number, expired: (kind: number, lastSeenMs: number) => boolean): void {
    const { hashA, hashB, holders, lastSeen } = this;
    this.hashA = new Uint32Array(capacity);
    this.hashB = new Uint32Array(capacity);
    this.holders = new Int32Array(capacity);
    this.lastSeen = lastSeen instanceof Float64Array ? new Float64Array(capacity) : new Uint32Array(capacity);
    this.size = 0;
    for (let i = 0; i < holders.length; i++) {
      if (holders[i] === 0 || expired(holders[i]! >>> KIND_SHIFT, this.timeOf(lastSeen[i]!))) continue;
      this.put(hashA[i]!, hashB[i]!, holders[i]!, lastSeen[i]!);
      this.size++;
    }
  }
}
