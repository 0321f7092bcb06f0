/**
 * How many accounts asked a given item: a fixed-size open-addressed table of item keys with the
 * first asker, the latest other asker and a count of distinct askers (approximate: an account
 * asking again after others did counts again). When the table fills, new items overwrite old
 * ones, so memory stays constant and the index forgets the distant past rather than growing.
 */

/** A key's home slot is its low bits, so a slot need only hold its high bits and how far it sits from home. */
const PROBES = 4;
const COUNT_BITS = 8;
const PROBE_BITS = 2;
const MAX_COUNT = (1 << COUNT_BITS) - 1;
/** Account ids below this fit the askers' 16-bit columns; the first one beyond widens them to 32 bits. */
const NARROW = 0xffff;

export class ItemIndex {
  /**
   * Per slot, the key's high bits with its distance from home and the askers' count packed into
   * one word (0 for a free slot: a held key's count is at least 1); and side by side in `askers`,
   * the first asker and the latest other. The table is the engine's largest fixed cost, so the
   * askers take 16 bits each while account ids fit them: 8 bytes a slot rather than 12.
   */
  private readonly tags: Int32Array;
  private askers: Uint16Array | Int32Array;
  private readonly mask: number;
  private readonly bits: number;

  constructor(bits = 17) {
    if (32 - bits + PROBE_BITS + COUNT_BITS > 31) throw new RangeError(`an item index needs at least ${PROBE_BITS + COUNT_BITS + 1} bits of slots`);
    this.tags = new Int32Array(1 << bits);
    this.askers = new Uint16Array(2 << bits);
    this.mask = (1 << bits) - 1;
    this.bits = bits;
  }

  /** Records that `owner` asked the item under `hash`; returns how many other accounts asked it before. */
  ask(hash: number, owner: number): number {
    if (owner >= NARROW && this.askers instanceof Uint16Array) this.askers = Int32Array.from(this.askers);
    const key = hash >>> 0 || 1;
    const tags = this.tags;
    const askers = this.askers;
    const home = key & this.mask;
    const high = key >>> this.bits;
    for (let probe = 0; probe < PROBES; probe++) {
      const slot = (home + probe) & this.mask;
      const tag = tags[slot]!;
      if (tag === 0) return this.claim(slot, high, probe, owner);
      // The same key: the same high bits, at the same distance from the same home.
      if (tag >>> COUNT_BITS !== ((high << PROBE_BITS) | probe)) continue;
      const count = tag & MAX_COUNT;
      if (askers[2 * slot] === owner || askers[2 * slot + 1] === owner) return count - 1;
      if (count < MAX_COUNT) tags[slot] = tag + 1;
      askers[2 * slot + 1] = owner;
      return count;
    }
    return this.claim(home, high, 0, owner);
  }

  /** Records every key of one item; the most other askers under any of them. */
  askAny(keys: readonly number[], owner: number): number {
    let others = 0;
    for (const key of keys) others = Math.max(others, this.ask(key, owner));
    return others;
  }

  private claim(slot: number, high: number, probe: number, owner: number): number {
    this.tags[slot] = (((high << PROBE_BITS) | probe) << COUNT_BITS) | 1;
    this.askers[2 * slot] = owner;
    this.askers[2 * slot + 1] = owner;
    return 0;
  }
}
