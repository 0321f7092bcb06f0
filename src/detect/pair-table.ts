/**
 * The pairs of linked accounts, column by column in typed arrays, each pair named by its row. A
 * regrouping reads every strong pair of its region each time: as objects they lay scattered over
 * the heap, so each read missed the cache, and each pair cost some 300 bytes (the object, two
 * arrays, boxed numbers). Each account's pairs are a list threaded through the rows (the row's
 * next pair for its `a` and for its `b`), not an array per account: a JavaScript array holds each
 * pair id in 8 bytes plus its growth slack, and every pair is in two lists. A pair's shared values
 * lie side by side in one store, not in a list threaded through it: a pointer per value cost as
 * much as the value itself. A row costs 12 bytes, each value it rests on 4 more and its room's
 * rounding (while ids, rows and the store fit 16 bits), each account 12.
 */

import { grown } from './columns.js';

/** Ends an account's list of pairs. */
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
   * Where the pair's shared values start in the store, in the order they joined, and how many
   * there are: the start in 16 bits until the store passes them, the count in a byte until a
   * pair shares more values than that (two accounts rotating through one pool of addresses).
   */
  private head: Uint16Array | Int32Array = new Uint16Array(0);
  private count: Uint8Array | Int32Array = new Uint8Array(0);
  /**
   * The next pair in the list of the row's `a`, and in that of its `b`, kept plus one (0 for
   * none), in 16 bits until a row passes them, as the ids are.
   */
  private nextOfA: Uint16Array | Int32Array = new Uint16Array(0);
  private nextOfB: Uint16Array | Int32Array = new Uint16Array(0);
  /** Per shared value of a pair: its id, and where the pair's `a` and `b` sit in its holders (under the share cap, so a byte). */
  valueOf: Uint16Array | Int32Array = new Uint16Array(0);
  seatA = new Uint8Array(0);
  seatB = new Uint8Array(0);
  /** Per account: its first and last pair (in link order) and how many it is in. */
  private firstPair = new Int32Array(0);
  private lastPair = new Int32Array(0);
  private pairCount = new Int32Array(0);
  private rows = 0;
  /** The store's end; rooms given up are kept by size for the next list that needs one so big. */
  private used = 0;
  private readonly freeRows: number[] = [];
  private readonly freeRooms: number[][] = [];

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
    this.head[row] = 0;
    this.count[row] = 0;
    this.nextOfA[row] = END + 1;
    this.nextOfB[row] = END + 1;
    this.append(a, row);
    this.append(b, row);
    return row;
  }

  /** Forgets a pair, taking it out of both accounts' lists; its row and its values' room are reused. */
  remove(row: number): void {
    this.unlink(this.a[row]!, row);
    this.unlink(this.b[row]!, row);
    const count = this.count[row]!;
    if (count > 0) this.giveUp(this.head[row]!, roomFor(count));
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

  /** Where the pair's shared values start in `valueOf`, `seatA` and `seatB` (they end at `end`). */
  first(row: number): number {
    return this.head[row]!;
  }

  end(row: number): number {
    return this.head[row]! + this.count[row]!;
  }

  has(row: number, valueId: number): boolean {
    for (let e = this.head[row]!, end = e + this.count[row]!; e < end; e++) if (this.valueOf[e] === valueId) return true;
    return false;
  }

  /** Adds a shared value last, with where the pair's `a` and `b` sit among its holders. */
  add(row: number, valueId: number, seatA: number, seatB: number): void {
    if (valueId >= NARROW && this.valueOf instanceof Uint16Array) this.valueOf = Int32Array.from(this.valueOf);
    const count = this.count[row]!;
    if (count + 1 > 0xff && this.count instanceof Uint8Array) this.count = Int32Array.from(this.count);
    let at = this.head[row]!;
    const room = roomFor(count);
    const needed = roomFor(count + 1);
    if (needed !== room) {
      if (count > 0 && at + room === this.used) {
        // Last in the store: it grows where it is.
        this.reserve(at + needed);
        this.used = at + needed;
      } else {
        const moved = this.take(needed);
        this.valueOf.copyWithin(moved, at, at + count);
        this.seatA.copyWithin(moved, at, at + count);
        this.seatB.copyWithin(moved, at, at + count);
        if (count > 0) this.giveUp(at, room);
        at = moved;
        if (at >= NARROW && this.head instanceof Uint16Array) this.head = Int32Array.from(this.head);
        this.head[row] = at;
      }
    }
    this.valueOf[at + count] = valueId;
    this.seatA[at + count] = seatA;
    this.seatB[at + count] = seatB;
    this.count[row] = count + 1;
  }

  /** Room for `size` values: one given up of that size, or more at the store's end. */
  private take(size: number): number {
    const reused = this.freeRooms[size]?.pop();
    if (reused !== undefined) return reused;
    const at = this.used;
    this.reserve(at + size);
    this.used = at + size;
    return at;
  }

  private giveUp(at: number, size: number): void {
    (this.freeRooms[size] ??= []).push(at);
  }

  private reserve(size: number): void {
    if (size <= this.valueOf.length) return;
    const capacity = Math.max(1024, size, Math.ceil(GROWTH * this.valueOf.length));
    this.valueOf = grown(this.valueOf, capacity);
    this.seatA = grown(this.seatA, capacity);
    this.seatB = grown(this.seatB, capacity);
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
    this.firstPair = grown(this.firstPair, capacity).fill(END, old);
    this.lastPair = grown(this.lastPair, capacity).fill(END, old);
    this.pairCount = grown(this.pairCount, capacity);
  }

  private newRow(): number {
    if (this.rows === this.a.length) {
      const size = Math.max(1024, Math.ceil(GROWTH * this.rows));
      this.a = grown(this.a, size);
      this.b = grown(this.b, size);
      this.reachable = grown(this.reachable, size);
      this.head = grown(this.head, size);
      this.count = grown(this.count, size);
      this.nextOfA = grown(this.nextOfA, size);
      this.nextOfB = grown(this.nextOfB, size);
    }
    if (this.rows + 1 > NARROW && this.nextOfA instanceof Uint16Array) {
      this.nextOfA = Int32Array.from(this.nextOfA);
      this.nextOfB = Int32Array.from(this.nextOfB);
    }
    return this.rows++;
  }
}

/**
 * The room a list of `n` values takes: n itself up to 3, then the next of 4, 6, 8, 12, 16, ...
 * A list grows one value at a time, so an exact fit moved it on every value and left a room of
 * every size behind; powers of two alone wasted up to half of a long list.
 */
function roomFor(n: number): number {
  if (n <= 3) return n;
  const half = 1 << (31 - Math.clz32(n - 1));
  return n <= half + (half >>> 1) ? half + (half >>> 1) : 2 * half;
}
