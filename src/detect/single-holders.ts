/**
 * Link values shown by one account only so far: most of a gateway's IPs, /24s and templates, and
 * nearly all of the store's memory as objects (the value's string, its holder and time arrays, a
 * map entry: some 250 bytes each, dozens per account). Here each is a slot of an open-addressed
 * table keyed by two 32-bit hashes of kind and value (a false match between two of a million
 * values has odds under 1 in 10^7), holding the holder and its kind and when it last showed the
 * value: 20 bytes. The value's string is kept only once a second account shows it and it can link anyone.
 */

/** A table this full grows: linear probing stays short to here, and the slots are most of the memory. */
const MAX_LOAD = 0.7;
/** ... by half again: doubling left the table between a third and two thirds full, now about half to two thirds. */
const GROWTH = 1.5;
/** A slot's holder word: the holder's id plus one in the low bits (0 marks a free slot), the link kind's number above. */
const KIND_SHIFT = 27;
const HOLDER_MASK = (1 << KIND_SHIFT) - 1;

export class SingleHolders {
  private hashA = new Uint32Array(1024);
  private hashB = new Uint32Array(1024);
  private holders = new Int32Array(1024);
  private lastSeen = new Float64Array(1024);
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
    return this.lastSeen[slot]!;
  }

  see(slot: number, ms: number): void {
    this.lastSeen[slot] = ms;
  }

  /** Adds a value not held, of link kind number `kind`. */
  add(hashA: number, hashB: number, kind: number, holder: number, ms: number): void {
    if (holder + 1 > HOLDER_MASK) throw new RangeError(`single holders keep account ids below ${HOLDER_MASK}`);
    if (this.size + 1 > MAX_LOAD * this.hashA.length) this.rebuild(Math.ceil(GROWTH * this.hashA.length), () => false);
    this.put(hashA, hashB, (kind << KIND_SHIFT) | (holder + 1), ms);
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
    this.rebuild(this.hashA.length, expired);
  }

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
    this.lastSeen = new Float64Array(capacity);
    this.size = 0;
    for (let i = 0; i < holders.length; i++) {
      if (holders[i] === 0 || expired(holders[i]! >>> KIND_SHIFT, lastSeen[i]!)) continue;
      this.put(hashA[i]!, hashB[i]!, holders[i]!, lastSeen[i]!);
      this.size++;
    }
  }
}
