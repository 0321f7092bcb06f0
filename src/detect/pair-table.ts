/**
 * The pairs of linked accounts, column by column in typed arrays, each pair named by its row. A
 * regrouping reads every strong pair of its region each time: as objects they lay scattered over
 * the heap, so each read missed the cache, and each pair cost some 300 bytes (the object, two
 * arrays, boxed numbers). Each account's pairs are a list threaded through the rows (the row's
 * next pair for its `a` and for its `b`), not an array per account: a JavaScript array holds each
 * pair id in 8 bytes plus its growth slack, and every pair is in two lists. A row costs 11 bytes,
 * each value it rests on 8 more (while ids, rows and entries fit 16 bits), each account 12.
 */

/** Ends a pair's list of shared values, and an account's list of pairs. */
export const END = -1;

/** Columns grow by a quarter when full: doubling left up to half of the largest columns unused, growing by half a third. */
const GROWTH = 1.25;
/**
 * Account and value ids below this fit 16-bit columns; the first one beyond widens its columns to
 * 32 bits (a gateway of tens of thousands of accounts keeps 2 bytes a row and an entry fewer per id).
 */
const NARROW = 0xffff;

export class PairTable {
  /** The two accounts of each pair. */
  a: Uint16Array | Int32Array = new Uint16Array(0);
  b: Uint16Array | Int32Array = new Uint16Array(0);
  /**
   * 0 once the weight without decay fell below EDGE_MIN, 1 while it may still reach it: that
   * bound only falls as the shared values turn out to be common, until another value joins the
   * pair, and it is only ever compared with EDGE_MIN, so a byte holds what a float64 did.
   */
  reachable = new Uint8Array(0);
  /**
   * First of the pair's shared values, a list through `next` in the order they joined; and the
   * next pair in the list of the row's `a`, and in that of its `b`. Each is kept plus one (0 for
   * none), in 16 bits until an entry or a row passes them, as the ids are.
   */
  private head: Uint16Array | Int32Array = new Uint16Array(0);
  private nextOfA: Uint16Array | Int32Array = new Uint16Array(0);
  private nextOfB: Uint16Array | Int32Array = new Uint16Array(0);
  /** Per shared value of a pair: its id, where the pair's `a` and `b` sit in its holders (under the share cap, so a byte), and the pair's next. */
  valueOf: Uint16Array | Int32Array = new Uint16Array(0);
  seatA = new Uint8Array(0);
  seatB = new Uint8Array(0);
  next = new Int32Array(0);
  /** Per account: its first and last pair (in link order) and how many it is in. */
  private firstPair = new Int32Array(0);
  private lastPair = new Int32Array(0);
  private pairCount = new Int32Array(0);
  private rows = 0;
  private entries = 0;
  private readonly freeRows: number[] = [];
  private readonly freeEntries: number[] = [];

  /** A new pair of `a` and `b` sharing nothing yet, last in both accounts' lists. */
  create(a: number, b: number): number {
    if ((a >= NARROW || b >= NARROW) && this.a instanceof Uint16Array) {
      this.a = Int32Array.from(this.a);
      this.b = Int32Array.from(this.b);
    }
    const row = this.freeRows.pop() ?? this.newRow();
    this.a[row] = a;
    this.b[row] = b;
    this.reachable[row] = 1;
    this.head[row] = END + 1;
    this.nextOfA[row] = END + 1;
    this.nextOfB[row] = END + 1;
    this.append(a, row);
    this.append(b, row);
    return row;
  }

  /** Forgets a pair, taking it out of both accounts' lists; its row and entries are reused. */
  remove(row: number): void {
    this.unlink(this.a[row]!, row);
    this.unlink(this.b[row]!, row);
    for (let e = this.head[row]! - 1; e !== END; e = this.next[e]!) this.freeEntries.push(e);
    this.freeRows.push(row);
  }

  other(row: number, id: number): number {
    return this.a[row] === id ? this.b[row]! : this.a[row]!;
  }

  /** How many pairs `id` is in. */
  countOf(id: number): number {
    return id < this.pairCount.length ? this.pairCount[id]! : 0;
  }

  /** The first pair of `id` in link order (walk on with `nextOf`; END ends). */
  firstOf(id: number): number {
    return id < this.firstPair.length ? this.firstPair[id]! : END;
  }

  /** The pair after `row` in the list of `id`, one of its two accounts. */
  nextOf(row: number, id: number): number {
    return (this.a[row] === id ? this.nextOfA[row]! : this.nextOfB[row]!) - 1;
  }

  /** The pair's first shared value's entry (walk on with `next`; END ends). */
  first(row: number): number {
    return this.head[row]! - 1;
  }

  has(row: number, valueId: number): boolean {
    for (let e = this.head[row]! - 1; e !== END; e = this.next[e]!) if (this.valueOf[e] === valueId) return true;
    return false;
  }

  /** Adds a shared value last, with where the pair's `a` and `b` sit among its holders. */
  add(row: number, valueId: number, seatA: number, seatB: number): void {
    if (valueId >= NARROW && this.valueOf instanceof Uint16Array) this.valueOf = Int32Array.from(this.valueOf);
    const e = this.freeEntries.pop() ?? this.newEntry();
    this.valueOf[e] = valueId;
    this.seatA[e] = seatA;
    this.seatB[e] = seatB;
    this.next[e] = END;
    // A pair rests on a handful of values at most: walking to the last costs less than a column of tails.
    let last = this.head[row]! - 1;
    if (last === END) {
      this.head[row] = e + 1;
      return;
    }
    while (this.next[last] !== END) last = this.next[last]!;
    this.next[last] = e;
  }

  private setNext(row: number, id: number, next: number): void {
    if (this.a[row] === id) this.nextOfA[row] = next + 1;
    else this.nextOfB[row] = next + 1;
  }

  private append(id: number, row: number): void {
    if (id >= this.firstPair.length) this.growAccounts(id + 1);
    const last = this.lastPair[id]!;
    if (last === END) this.firstPair[id] = row;
    else this.setNext(last, id, row);
    this.lastPair[id] = row;
    this.pairCount[id]!++;
  }

  private unlink(id: number, row: number): void {
    const after = this.nextOf(row, id);
    let before = END;
    for (let p = this.firstPair[id]!; p !== row; p = this.nextOf(p, id)) before = p;
    if (before === END) this.firstPair[id] = after;
    else this.setNext(before, id, after);
    if (this.lastPair[id] === row) this.lastPair[id] = before;
    this.pairCount[id]!--;
  }

  private growAccounts(size: number): void {
    const capacity = Math.max(size, Math.ceil(GROWTH * this.firstPair.length), 1024);
    const old = this.firstPair.length;
    this.firstPair = grow(this.firstPair, capacity).fill(END, old);
    this.lastPair = grow(this.lastPair, capacity).fill(END, old);
    this.pairCount = grow(this.pairCount, capacity);
  }

  private newRow(): number {
    if (this.rows === this.a.length) {
      const size = Math.max(1024, Math.ceil(GROWTH * this.rows));
      this.a = grow(this.a, size);
      this.b = grow(this.b, size);
      this.reachable = grow(this.reachable, size);
      this.head = grow(this.head, size);
      this.nextOfA = grow(this.nextOfA, size);
      this.nextOfB = grow(this.nextOfB, size);
    }
    if (this.rows + 1 > NARROW && this.nextOfA instanceof Uint16Array) {
      this.nextOfA = Int32Array.from(this.nextOfA);
      this.nextOfB = Int32Array.from(this.nextOfB);
    }
    return this.rows++;
  }

  private newEntry(): number {
    if (this.entries === this.valueOf.length) {
      const size = Math.max(1024, Math.ceil(GROWTH * this.entries));
      this.valueOf = grow(this.valueOf, size);
      this.seatA = grow(this.seatA, size);
      this.seatB = grow(this.seatB, size);
      this.next = grow(this.next, size);
    }
    if (this.entries + 1 > NARROW && this.head instanceof Uint16Array) this.head = Int32Array.from(this.head);
    return this.entries++;
  }
}

function grow<T extends Int32Array | Uint16Array | Uint8Array | Float64Array>(column: T, size: number): T {
  const bigger = new (column.constructor as new (n: number) => T)(size);
  bigger.set(column);
  return bigger;
}
