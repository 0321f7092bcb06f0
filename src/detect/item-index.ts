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

export class ItemIndex {
  /**
   * Per slot, three words side by side: the key's high bits with its distance from home and the
   * askers' count packed into one, the first asker (-1 for a free slot), the latest other asker.
   * Twelve bytes a slot rather than sixteen: the table is the engine's largest fixed cost.
   */
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly bits: number;

  constructor(bits = 17) {
    if (32 - bits + PROBE_BITS + COUNT_BITS > 31) throw new RangeError(`an item index needs at least ${PROBE_BITS + COUNT_BITS + 1} bits of slots`);
    this.table = new Int32Array(3 << bits).fill(-1);
    this.mask = (1 << bits) - 1;
    this.bits = bits;
  }

  /** Records that `owner` asked the item under `hash`; returns how many other accounts asked it before. */
  ask(hash: number, owner: number): number {
    const key = hash >>> 0 || 1;
    const t = this.table;
    const home = key & this.mask;
    const high = key >>> this.bits;
    for (let probe = 0; probe < PROBES; probe++) {
      const at = 3 * ((home + probe) & this.mask);
      if (t[at + 1] === -1) return this.claim(at, high, probe, owner);
      const tag = t[at]!;
      // The same key: the same high bits, at the same distance from the same home.
      if (tag >>> COUNT_BITS !== ((high << PROBE_BITS) | probe)) continue;
      const count = tag & MAX_COUNT;
      if (t[at + 1] === owner || t[at + 2] === owner) return count - 1;
      if (count < MAX_COUNT) t[at] = tag + 1;
      t[at + 2] = owner;
      return count;
    }
    return this.claim(3 * home, high, 0, owner);
  }

  /** Records every key of one item; the most other askers under any of them. */
  askAny(keys: readonly number[], owner: number): number {
    let others = 0;
    for (const key of keys) others = Math.max(others, this.ask(key, owner));
    return others;
  }

  private claim(at: number, high: number, probe: number, owner: number): number {
    const t = this.table;
    t[at] = (((high << PROBE_BITS) | probe) << COUNT_BITS) | 1;
    t[at + 1] = owner;
    t[at + 2] = owner;
    return 0;
  }
}
