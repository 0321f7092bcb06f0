/**
 * The pairs of linked accounts, column by column in typed arrays, each pair named by its row. A
 * regrouping reads every strong pair of its region each time: as objects they lay scattered over
 * the heap, so each read missed the cache, and each pair cost some 300 bytes (the object, two
 * arrays, boxed numbers); a row here costs 44 bytes and each value it rests on 16 more.
 */

/** Ends a pair's list of shared values. */
export const END = -1;

export class PairTable {
  /** The two accounts of each pair. */
  a = new Int32Array(0);
  b = new Int32Array(0);
  /** The weight as last computed, and for which instant (weights change only with time and holders). */
  weight = new Float64Array(0);
  weighedAt = new Float64Array(0);
  /**
   * The weight without decay as last computed: it only falls as the shared values turn out to be
   * common, until another value joins the pair (1 when not known).
   */
  bound = new Float64Array(0);
  /** First and last of the pair's shared values, a list through `next` in the order they joined. */
  private head = new Int32Array(0);
  private tail = new Int32Array(0);
  /** Per shared value of a pair: its id, where the pair's `a` and `b` sit in its holders, and the pair's next. */
  valueOf = new Int32Array(0);
  seatA = new Int32Array(0);
  seatB = new Int32Array(0);
  next = new Int32Array(0);
  private rows = 0;
  private entries = 0;
  private readonly freeRows: number[] = [];
  private readonly freeEntries: number[] = [];

  /** A new pair of `a` and `b` sharing nothing yet. */
  create(a: number, b: number): number {
    const row = this.freeRows.pop() ?? this.newRow();
    this.a[row] = a;
    this.b[row] = b;
    this.weight[row] = 0;
    this.weighedAt[row] = -Infinity;
    this.bound[row] = 1;
    this.head[row] = END;
    this.tail[row] = END;
    return row;
  }

  /** Forgets a pair; its row and entries are reused. */
  remove(row: number): void {
    for (let e = this.head[row]!; e !== END; e = this.next[e]!) this.freeEntries.push(e);
    this.freeRows.push(row);
  }

  other(row: number, id: number): number {
    return this.a[row] === id ? this.b[row]! : this.a[row]!;
  }

  /** The pair's first shared value's entry (walk on with `next`; END ends). */
  first(row: number): number {
    return this.head[row]!;
  }

  has(row: number, valueId: number): boolean {
    for (let e = this.head[row]!; e !== END; e = this.next[e]!) if (this.valueOf[e] === valueId) return true;
    return false;
  }

  /** Adds a shared value, with where the pair's `a` and `b` sit among its holders. */
  add(row: number, valueId: number, seatA: number, seatB: number): void {
    const e = this.freeEntries.pop() ?? this.newEntry();
    this.valueOf[e] = valueId;
    this.seatA[e] = seatA;
    this.seatB[e] = seatB;
    this.next[e] = END;
    if (this.tail[row] === END) this.head[row] = e;
    else this.next[this.tail[row]!] = e;
    this.tail[row] = e;
  }

  private newRow(): number {
    if (this.rows === this.a.length) {
      const size = Math.max(1024, 2 * this.rows);
      this.a = grow(this.a, size);
      this.b = grow(this.b, size);
      this.weight = grow(this.weight, size);
      this.weighedAt = grow(this.weighedAt, size);
      this.bound = grow(this.bound, size);
      this.head = grow(this.head, size);
      this.tail = grow(this.tail, size);
    }
    return this.rows++;
  }

  private newEntry(): number {
    if (this.entries === this.valueOf.length) {
      const size = Math.max(1024, 2 * this.entries);
      this.valueOf = grow(this.valueOf, size);
      this.seatA = grow(this.seatA, size);
      this.seatB = grow(this.seatB, size);
      this.next = grow(this.next, size);
    }
    return this.entries++;
  }
}

function grow<T extends Int32Array | Float64Array>(column: T, size: number): T {
  const bigger = new (column.constructor as new (n: number) => T)(size);
  bigger.set(column);
  return bigger;
}
