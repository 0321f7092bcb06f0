/**
 * How many accounts asked a given item: a fixed-size open-addressed table of item keys with the
 * first asker, the latest other asker and a count of distinct askers (approximate: an account
 * asking again after others did counts again). When the table fills, new items overwrite old
 * ones, so memory stays bounded and the index forgets the distant past rather than growing.
 */

/**
 * A key's home slot is its low bits, so a slot need only hold its high bits and how far it sits
 * from home. The count of askers stops at MAX_COUNT: it is only asked whether a handful asked.
 */
const PROBES = 4;
/** A slot's tag byte: its distance from home (below PROBES) above the count. */
const COUNT_BITS = 6;
const MAX_COUNT = (1 << COUNT_BITS) - 1;
/** Account ids below this fit the askers' 16-bit columns; the first one beyond widens them to 32 bits. */
const NARROW = 0xffff;
/** Slots per block: one word of bits says which are held. */
const BLOCK_BITS = 5;
/** Room a block gains when it fills and moves, and keeps beyond its held slots when the store is compacted. */
const SPARE = 2;
const COMPACT_SPARE = 1;
/**
 * Room a compacted store keeps at its end for blocks that fill, as a share of what it holds: an
 * eighth left some 15% of the store unused (gaps and headroom); compacting twice as often costs
 * some 40 ms of a replay of dev-v1 for 22 B an account.
 */
const HEADROOM = 0.03125;

export class ItemIndex {
  /**
   * Only held slots take room: per block of 32 slots, a word of bits saying which are held, and
   * where the block's held slots start in the store below, in slot order. Most of the table is
   * free on a gateway of a few thousand accounts, and it was the engine's largest fixed cost.
   */
  private readonly held: Uint32Array;
  private readonly start: Int32Array;
  /** Held slots a block has room for where it starts. */
  private readonly room: Uint8Array;
  /**
   * Per held slot, the key's high bits (16 of them with the default 17 bits of slots); its
   * distance from home and the askers' count packed into a byte; and side by side in `askers`,
   * the first asker and the latest other, in 16 bits each while account ids fit them. Seven bytes
   * a slot: a word for the high bits, distance and count was eight.
   */
  private highs: Uint16Array | Uint32Array;
  private tags: Uint8Array;
  private askers: Uint16Array | Int32Array;
  /** The store's end: a block that outgrows its room moves there, leaving a gap until compacted. */
  private end = 0;
  private readonly mask: number;
  private readonly bits: number;

  constructor(bits = 17) {
    if (bits < BLOCK_BITS || bits > 30) throw new RangeError(`an item index takes ${BLOCK_BITS} to 30 bits of slots`);
    const blocks = Math.max(1, (1 << bits) >>> BLOCK_BITS);
    this.held = new Uint32Array(blocks);
    this.start = new Int32Array(blocks);
    this.room = new Uint8Array(blocks);
    this.highs = 32 - bits <= 16 ? new Uint16Array(1024) : new Uint32Array(1024);
    this.tags = new Uint8Array(1024);
    this.askers = new Uint16Array(2 * 1024);
    this.mask = (1 << bits) - 1;
    this.bits = bits;
  }

  /** Records that `owner` asked the item under `hash`; returns how many other accounts asked it before. */
  ask(hash: number, owner: number): number {
    if (owner >= NARROW && this.askers instanceof Uint16Array) this.askers = Int32Array.from(this.askers);
    const key = hash >>> 0 || 1;
    const home = key & this.mask;
    const high = key >>> this.bits;
    for (let probe = 0; probe < PROBES; probe++) {
      const slot = (home + probe) & this.mask;
      const at = this.entry(slot);
      if (at < 0) return this.claim(this.insert(slot), high, probe, owner);
      const tag = this.tags[at]!;
      // The same key: the same high bits, at the same distance from the same home.
      if (this.highs[at] !== high || tag >>> COUNT_BITS !== probe) continue;
      const count = tag & MAX_COUNT;
      if (this.askers[2 * at] === owner || this.askers[2 * at + 1] === owner) return count - 1;
      if (count < MAX_COUNT) this.tags[at] = tag + 1;
      this.askers[2 * at + 1] = owner;
      return count;
    }
    return this.claim(this.entry(home), high, 0, owner);
  }

  /** Records every key of one item; the most other askers under any of them. */
  askAny(keys: readonly number[], owner: number): number {
    let others = 0;
    for (const key of keys) others = Math.max(others, this.ask(key, owner));
    return others;
  }

  private claim(at: number, high: number, probe: number, owner: number): number {
    this.highs[at] = high;
    this.tags[at] = (probe << COUNT_BITS) | 1;
    this.askers[2 * at] = owner;
    this.askers[2 * at + 1] = owner;
    return 0;
  }

  /** Where a held slot's entry is in the store, or -1 for a free slot. */
  private entry(slot: number): number {
    const block = slot >>> BLOCK_BITS;
    const bit = 1 << (slot & 31);
    const held = this.held[block]!;
    return (held & bit) === 0 ? -1 : this.start[block]! + popcount(held & (bit - 1));
  }

  /** Makes a free slot held, its entry placed among its block's in slot order; where it is. */
  private insert(slot: number): number {
    const block = slot >>> BLOCK_BITS;
    const bit = 1 << (slot & 31);
    const count = popcount(this.held[block]!);
    if (count === this.room[block]) {
      if (this.end + count + SPARE <= this.tags.length) this.move(block, count);
      else this.compact();
    }
    const from = this.start[block]!;
    const at = from + popcount(this.held[block]! & (bit - 1));
    this.highs.copyWithin(at + 1, at, from + count);
    this.tags.copyWithin(at + 1, at, from + count);
    this.askers.copyWithin(2 * at + 2, 2 * at, 2 * (from + count));
    this.held[block] = this.held[block]! | bit;
    return at;
  }

  /** Moves a full block to the store's end, with more room. */
  private move(block: number, count: number): void {
    const from = this.start[block]!;
    this.highs.copyWithin(this.end, from, from + count);
    this.tags.copyWithin(this.end, from, from + count);
    this.askers.copyWithin(2 * this.end, 2 * from, 2 * (from + count));
    this.start[block] = this.end;
    this.room[block] = count + SPARE;
    this.end += count + SPARE;
  }

  /** Copies every block to a new store, each with a slot to spare, and room at the end for blocks that fill. */
  private compact(): void {
    let needed = 0;
    for (let block = 0; block < this.held.length; block++) needed += popcount(this.held[block]!) + COMPACT_SPARE;
    const size = Math.ceil((1 + HEADROOM) * needed) + 64;
    const highs = this.highs instanceof Uint16Array ? new Uint16Array(size) : new Uint32Array(size);
    const tags = new Uint8Array(size);
    const askers = this.askers instanceof Uint16Array ? new Uint16Array(2 * size) : new Int32Array(2 * size);
    let end = 0;
    for (let block = 0; block < this.held.length; block++) {
      const count = popcount(this.held[block]!);
      const from = this.start[block]!;
      highs.set(this.highs.subarray(from, from + count), end);
      tags.set(this.tags.subarray(from, from + count), end);
      askers.set(this.askers.subarray(2 * from, 2 * (from + count)), 2 * end);
      this.start[block] = end;
      this.room[block] = count + COMPACT_SPARE;
      end += count + COMPACT_SPARE;
    }
    this.highs = highs;
    this.tags = tags;
    this.askers = askers;
    this.end = end;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
