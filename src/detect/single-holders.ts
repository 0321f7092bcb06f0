import { MsColumn } from './ms-column.js';

/**
 * Link values of one kind shown by one account only so far: most of a gateway's IPs, /24s and
 * templates, and nearly all of the store's memory as objects (the value's string, its holder and
 * time arrays, a map entry: some 250 bytes each, dozens per account). Here each is a slot of an
 * open-addressed table placed by one 32-bit hash of the value (kept whole, so a rebuild can place
 * it anew) and told apart by that and the high 16 bits of another: 48 bits, so a value not held
 * matches one of the n held of its kind with odds n / 2^48 (one in 280 million a look-up for a
 * million held; such a match would link two accounts by a value they do not share). With the
 * holder and when it last showed the value, a slot is 12 bytes (the kind's own table spares a
 * kind byte a slot, the 16 bits another two). The value's string is kept only once a second
 * account shows it and it can link anyone.
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
/** A table is never smaller: one per kind, and a kind seen rarely holds a few values. */
const LEAST = 64;
/**
 * A slot's holder: its id plus one (0 marks a free slot), in 16 bits while ids fit them and 32
 * from the first that does not.
 */
const NARROW = 0xffff;

export class SingleHolders {
  /** The value's placing hash, whose remainder by the capacity is its home slot. */
  private hashB = new Uint32Array(LEAST);
  /** The high 16 bits of its other hash. */
  private tags = new Uint16Array(LEAST);
  private holders: Uint16Array | Int32Array = new Uint16Array(LEAST);
  private lastSeen = new MsColumn(LEAST);
  private size = 0;

  /** The slot holding the value with these hashes, or -1. */
  find(hashA: number, hashB: number): number {
    const capacity = this.hashB.length;
    const tag = hashA >>> 16;
    for (let i = hashB % capacity; this.holders[i] !== 0; i = i + 1 === capacity ? 0 : i + 1) {
      if (this.hashB[i] === hashB && this.tags[i] === tag) return i;
    }
    return -1;
  }

  holderAt(slot: number): number {
    return this.holders[slot]! - 1;
  }

  seenAt(slot: number): number {
    return this.lastSeen.at(slot);
  }

  see(slot: number, ms: number): void {
    this.lastSeen.put(slot, ms);
  }

  /** Adds a value not held. */
  add(hashA: number, hashB: number, holder: number, ms: number): void {
    if (holder + 1 > NARROW && this.holders instanceof Uint16Array) this.holders = Int32Array.from(this.holders);
    if (this.size + 1 > MAX_LOAD * this.hashB.length) this.rebuild(Math.ceil(GROWTH * this.hashB.length), () => false);
    const kept = this.lastSeen.keep(ms);
    this.put(hashB, hashA >>> 16, holder + 1, kept);
    this.size++;
  }

  /** Frees a slot, moving back the entries that probed past it so every entry stays findable. */
  remove(slot: number): void {
    const capacity = this.hashB.length;
    let free = slot;
    for (let i = slot + 1 === capacity ? 0 : slot + 1; this.holders[i] !== 0; i = i + 1 === capacity ? 0 : i + 1) {
      const home = this.hashB[i]! % capacity;
      // An entry stays where it is when its home lies cyclically after the free slot, up to it.
      const stays = free <= i ? free < home && home <= i : free < home || home <= i;
      if (stays) continue;
      this.move(i, free);
      free = i;
    }
    this.holders[free] = 0;
    this.size--;
  }

  /** Forgets every value for which `expired(lastSeen)` holds. */
  sweep(expired: (lastSeenMs: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.holders.length; i++) if (this.holders[i] !== 0 && !expired(this.lastSeen.at(i))) kept++;
    this.rebuild(Math.max(LEAST, Math.ceil(kept / SWEPT_LOAD)), expired);
  }

  /** `kept` as the time column keeps it. */
  private put(hashB: number, tag: number, holder: number, kept: number): void {
    const capacity = this.hashB.length;
    let i = hashB % capacity;
    while (this.holders[i] !== 0) i = i + 1 === capacity ? 0 : i + 1;
    this.hashB[i] = hashB;
    this.tags[i] = tag;
    this.holders[i] = holder;
    this.lastSeen.offsets[i] = kept;
  }

  private move(from: number, to: number): void {
    this.hashB[to] = this.hashB[from]!;
    this.tags[to] = this.tags[from]!;
    this.holders[to] = this.holders[from]!;
    this.lastSeen.offsets[to] = this.lastSeen.offsets[from]!;
  }

  private rebuild(capacity: number, expired: (lastSeenMs: number) => boolean): void {
    const { hashB, tags, holders } = this;
    const lastSeen = this.lastSeen.offsets;
    const base = this.lastSeen.base;
    this.hashB = new Uint32Array(capacity);
    this.tags = new Uint16Array(capacity);
    this.holders = holders instanceof Uint16Array ? new Uint16Array(capacity) : new Int32Array(capacity);
    this.lastSeen.offsets = this.lastSeen.blank(capacity);
    this.size = 0;
    for (let i = 0; i < holders.length; i++) {
      if (holders[i] === 0 || expired(base + lastSeen[i]!)) continue;
      this.put(hashB[i]!, tags[i]!, holders[i]!, lastSeen[i]!);
      this.size++;
    }
  }
}
