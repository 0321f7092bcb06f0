/**
 * How many accounts asked a given item: a fixed-size open-addressed table of item keys with the
 * first asker, the latest other asker and a count of distinct askers (approximate: an account
 * asking again after others did counts again). When the table fills, new items overwrite old
 * ones, so memory stays constant and the index forgets the distant past rather than growing.
 */
export class ItemIndex {
  private readonly keys: Uint32Array;
  private readonly first: Int32Array;
  private readonly latest: Int32Array;
  private readonly askers: Uint8Array;
  private readonly mask: number;

  constructor(bits = 17) {
    this.keys = new Uint32Array(1 << bits);
    this.first = new Int32Array(1 << bits).fill(-1);
    this.latest = new Int32Array(1 << bits).fill(-1);
    this.askers = new Uint8Array(1 << bits);
    this.mask = (1 << bits) - 1;
  }

  /** Records that `owner` asked the item under `hash`; returns how many other accounts asked it before. */
  ask(hash: number, owner: number): number {
    const key = hash >>> 0 || 1;
    const home = key & this.mask;
    for (let probe = 0; probe < 4; probe++) {
      const slot = (home + probe) & this.mask;
      if (this.first[slot] === -1) return this.claim(slot, key, owner);
      if (this.keys[slot] !== key) continue;
      const count = this.askers[slot]!;
      if (this.first[slot] === owner || this.latest[slot] === owner) return count - 1;
      if (count < 255) this.askers[slot] = count + 1;
      this.latest[slot] = owner;
      return count;
    }
    return this.claim(home, key, owner);
  }

  /** Records every key of one item; the most other askers under any of them. */
  askAny(keys: readonly number[], owner: number): number {
    let others = 0;
    for (const key of keys) others = Math.max(others, this.ask(key, owner));
    return others;
  }

  private claim(slot: number, key: number, owner: number): number {
    this.keys[slot] = key;
    this.first[slot] = owner;
    this.latest[slot] = owner;
    this.askers[slot] = 1;
    return 0;
  }
}
