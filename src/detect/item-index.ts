/**
 * How many accounts asked a given item: a fixed-size open-addressed table of item keys with the
 * first asker, the latest other asker and a count of distinct askers (approximate: an account
 * asking again after others did counts again). When the table fills, new items overwrite old
 * ones, so memory stays constant and the index forgets the distant past rather than growing.
 */
export class ItemIndex {
  /** Per slot, four words side by side (one cache line a probe): key, first asker, latest other asker, askers. */
  private readonly table: Int32Array;
  private readonly mask: number;

  constructor(bits = 17) {
    this.table = new Int32Array(4 << bits);
    for (let slot = 0; slot < 1 << bits; slot++) this.table[4 * slot + 1] = -1;
    this.mask = (1 << bits) - 1;
  }

  /** Records that `owner` asked the item under `hash`; returns how many other accounts asked it before. */
  ask(hash: number, owner: number): number {
    const key = (hash >>> 0 || 1) | 0;
    const t = this.table;
    const home = key & this.mask;
    for (let probe = 0; probe < 4; probe++) {
      const at = 4 * ((home + probe) & this.mask);
      if (t[at + 1] === -1) return this.claim(at, key, owner);
      if (t[at] !== key) continue;
      const count = t[at + 3]!;
      if (t[at + 1] === owner || t[at + 2] === owner) return count - 1;
      if (count < 255) t[at + 3] = count + 1;
      t[at + 2] = owner;
      return count;
    }
    return this.claim(4 * home, key, owner);
  }

  /** Records every key of one item; the most other askers under any of them. */
  askAny(keys: readonly number[], owner: number): number {
    let others = 0;
    for (const key of keys) others = Math.max(others, this.ask(key, owner));
    return others;
  }

  private claim(at: number, key: number, owner: number): number {
    const t = this.table;
    t[at] = key;
    t[at + 1] = owner;
    t[at + 2] = owner;
    t[at + 3] = 1;
    return 0;
  }
}
