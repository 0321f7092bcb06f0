/**
 * Who first asked a given item, and how often others asked it since: a fixed-size
 * open-addressed table of content hashes. When it fills, new items overwrite old ones, so
 * memory stays constant and the index forgets the distant past rather than growing with the log.
 */
export class ItemIndex {
  private readonly keys: Uint32Array;
  private readonly owners: Int32Array;
  private readonly others: Uint8Array;
  private readonly mask: number;

  constructor(bits = 17) {
    this.keys = new Uint32Array(1 << bits);
    this.owners = new Int32Array(1 << bits).fill(-1);
    this.others = new Uint8Array(1 << bits);
    this.mask = (1 << bits) - 1;
  }

  /** Records that `owner` asked `hash`: whether another account asked it first, and how many asks by others preceded. */
  ask(hash: number, owner: number): { shared: boolean; byOthers: number } {
    const key = hash >>> 0 || 1;
    const home = key & this.mask;
    for (let probe = 0; probe < 4; probe++) {
      const slot = (home + probe) & this.mask;
      if (this.owners[slot] === -1) return this.claim(slot, key, owner);
      if (this.keys[slot] === key) {
        const first = this.owners[slot]!;
        const byOthers = this.others[slot]!;
        if (first !== owner && byOthers < 255) this.others[slot] = byOthers + 1;
        return { shared: first !== owner, byOthers };
      }
    }
    return this.claim(home, key, owner);
  }

  private claim(slot: number, key: number, owner: number): { shared: boolean; byOthers: number } {
    this.keys[slot] = key;
    this.owners[slot] = owner;
    this.others[slot] = 0;
    return { shared: false, byOthers: 0 };
  }
}
