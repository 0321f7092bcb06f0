/**
 * Fixed-size sketches so an account's state never grows with its traffic.
 */

/**
 * Sketches live in a slice of a store shared by many accounts (a typed array costs ~100 bytes of
 * header, more than the data it holds here), so they take the store and an offset, and keep all
 * their state in it: a sketch object is a view, made when needed and holding nothing of its own.
 */

/**
 * Space-saving top-k: the heavy hitters among hashed keys (prompt wrappers). Each slot keeps the
 * count it inherited when it took over another key's slot, so `count` is a lower bound: keys that
 * merely passed through never look frequent. The keys are 32-bit hashes; the counts (each slot's,
 * then each one's inherited) may sit in a narrower store of their own: each add raises one count
 * by one, so no count passes the number of adds.
 */
export class TopK {
  /** 32-bit words of keys, and of counts, a top-k of `size` takes. */
  static keyWords(size: number): number {
    return size;
  }

  static countWords(size: number): number {
    return 2 * size;
  }

  constructor(
    private readonly keys: Uint32Array,
    private readonly keyAt: number,
    private readonly store: Uint16Array | Uint32Array,
    private readonly offset: number,
    private readonly size: number,
  ) {}

  add(key: number): void {
    if (key === 0) return;
    const { keys, keyAt, store, offset: counts, size } = this;
    let min = 0;
    for (let i = 0; i < size; i++) {
      if (keys[keyAt + i] === key) {
        store[counts + i]!++;
        return;
      }
      if (store[counts + i]! < store[counts + min]!) min = i;
    }
    // Replacing the smallest and inheriting its count is what bounds space-saving's error.
    keys[keyAt + min] = key;
    store[counts + size + min] = store[counts + min]!;
    store[counts + min]!++;
  }

  /** How often `key` was certainly added (0 when it is not held). */
  count(key: number): number {
    const { keys, keyAt, store, offset, size } = this;
    for (let i = 0; i < size; i++) if (keys[keyAt + i] === key) return store[offset + i]! - store[offset + size + i]!;
    return 0;
  }

  /** The key with the highest certain count. */
  top(): { key: number; count: number } {
    const { keys, keyAt, store, offset, size } = this;
    let best = 0;
    let bestCount = -1;
    for (let i = 0; i < size; i++) {
      const certain = store[offset + i]! - store[offset + size + i]!;
      if (certain > bestCount) {
        best = i;
        bestCount = certain;
      }
    }
    return { key: keys[keyAt + best]!, count: Math.max(0, bestCount) };
  }
}

/**
 * K-minimum-values distinct counter: exact below k, then an unbiased estimate. The slice's first
 * word says how many values it holds; the values follow, ascending.
 */
export class DistinctCounter {
  static words(size: number): number {
    return size + 1;
  }

  /** The first of the values; the word before it counts them. */
  private readonly offset: number;

  constructor(
    private readonly store: Uint32Array,
    at: number,
    private readonly size: number,
  ) {
    this.offset = at + 1;
  }

  private get filled(): number {
    return this.store[this.offset - 1]!;
  }

  add(hash: number): void {
    const h = hash >>> 0;
    const { store, offset, size: k } = this;
    const filled = this.filled;
    if (filled === k && h >= store[offset + k - 1]!) return;
    let i = 0;
    while (i < filled && store[offset + i]! < h) i++;
    if (i < filled && store[offset + i] === h) return;
    const end = Math.min(filled, k - 1);
    for (let j = end; j > i; j--) store[offset + j] = store[offset + j - 1]!;
    store[offset + i] = h;
    if (filled < k) store[offset - 1] = filled + 1;
  }

  estimate(): number {
    const k = this.size;
    const filled = this.filled;
    if (filled < k) return filled;
    return ((k - 1) * 0x100000000) / (this.store[this.offset + k - 1]! + 1);
  }

  /**
   * For sketches of several sets, the share of each set's values that at least `quorum` of the
   * sets hold: near 1 when they are one set asked by all, near 0 when each value is one set's
   * or a couple's. A value is only counted where it is decided: seen in the quorum, or below the
   * largest value of every other full sketch (so it would be there if that set held it).
   */
  static commonShare(sketches: readonly DistinctCounter[], quorum: number): number {
    let values = 0;
    for (const sketch of sketches) values += sketch.filled;
    const holders = HOLDERS.clear(values);
    for (const { store, offset, filled } of sketches) {
      for (let k = offset; k < offset + filled; k++) holders.add(store[k]!);
    }
    // The lowest ceiling among the others decides whether an unseen value is truly absent: the
    // lowest of all, or for the one sketch holding it alone, the second lowest.
    let lowest = Infinity;
    let lowestCount = 0;
    let second = Infinity;
    for (const sketch of sketches) {
      const ceiling = sketch.ceiling();
      if (ceiling < lowest) {
        second = lowest;
        lowest = ceiling;
        lowestCount = 1;
      } else if (ceiling === lowest) lowestCount++;
      else if (ceiling < second) second = ceiling;
    }
    let common = 0;
    let decided = 0;
    for (const sketch of sketches) {
      const { store, offset, filled } = sketch;
      const others = sketch.ceiling() === lowest && lowestCount === 1 ? second : lowest;
      for (let k = offset; k < offset + filled; k++) {
        const v = store[k]!;
        if (holders.count(v) >= quorum) {
          common++;
          decided++;
        } else if (v <= others) decided++;
      }
    }
    return decided === 0 ? 0 : common / decided;
  }

  /** The largest value a full sketch holds (a value above it would not be kept); none for one not full. */
  private ceiling(): number {
    return this.filled === this.size ? this.store[this.offset + this.size - 1]! : Infinity;
  }
}

/**
 * How many sketches hold each value, for `commonShare`: an open-addressed table of the values
 * (uniform hashes, so their low bits place them), emptied by a new stamp, where a Map of number
 * keys was most of the share's time.
 */
class HolderCounts {
  private keys = new Uint32Array(1024);
  private counts = new Int32Array(1024);
  private stamps = new Uint32Array(1024);
  private stamp = 0;

  /** Empties the table, with room for `values` keys at most half full. */
  clear(values: number): this {
    if (2 * values > this.keys.length) {
      let size = this.keys.length;
      while (2 * values > size) size *= 2;
      this.keys = new Uint32Array(size);
      this.counts = new Int32Array(size);
      this.stamps = new Uint32Array(size);
      this.stamp = 0;
    }
    if (this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
    return this;
  }

  add(key: number): void {
    const mask = this.keys.length - 1;
    let i = key & mask;
    for (; this.stamps[i] === this.stamp; i = (i + 1) & mask) {
      if (this.keys[i] === key) {
        this.counts[i]!++;
        return;
      }
    }
    this.stamps[i] = this.stamp;
    this.keys[i] = key;
    this.counts[i] = 1;
  }

  count(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = key & mask; this.stamps[i] === this.stamp; i = (i + 1) & mask) if (this.keys[i] === key) return this.counts[i]!;
    return 0;
  }
}

const HOLDERS = new HolderCounts();

/**
 * A counter that decays exponentially with a fixed half-life: a trailing-window rate in O(1). Its
 * value and when it was last added to are two float64s of a shared store.
 */
export class DecayedCounter {
  static readonly words = 2;

  constructor(
    private readonly store: Float64Array,
    private readonly offset: number,
    private readonly halfLifeMs: number,
  ) {}

  add(ms: number, amount: number): void {
    this.store[this.offset] = this.valueAt(ms) + amount;
    this.store[this.offset + 1] = ms;
  }

  valueAt(ms: number): number {
    const value = this.store[this.offset]!;
    if (value === 0) return 0;
    return value * Math.pow(0.5, Math.max(0, ms - this.store[this.offset + 1]!) / this.halfLifeMs);
  }
}
