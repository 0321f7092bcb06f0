import { grown } from './columns.js';
import { MsColumn } from './ms-column.js';

/** Ids this big or less fit the 16-bit column. */
const NARROW = 0xffff;

/**
 * The holders of shared link values, and when each last showed its value, as lists in two shared
 * typed arrays. Two JavaScript arrays per value cost some 250 bytes once a third holder joined
 * (headers, 8 bytes an element and the growth slack of a push); here a list of n holders takes
 * room for the power of two at or above n (at least 2), 6 bytes each (a 16-bit id while ids fit
 * them, 32 bits from the first that does not, and a time as a 32-bit offset: see MsColumn), and a
 * list that outgrows its room moves to one twice as big, its old room kept for the next list of
 * that size.
 */
export class HolderLists {
  /** Holders' account ids, and when each last showed the value, list by list. */
  ids: Uint16Array | Int32Array = new Uint16Array(1024);
  readonly seen = new MsColumn(1024);
  private end = 0;
  /** Freed rooms by size, a list per power of two. */
  private readonly free: number[][] = [];

  /** A new list of two holders; where it starts. Untimed, the times are never read (see MsColumn.unread). */
  pair(a: number, aSeen: number, b: number, bSeen: number, timed: boolean): number {
    this.fit(Math.max(a, b));
    const at = this.take(2);
    this.ids[at] = a;
    this.ids[at + 1] = b;
    this.see(at, aSeen, timed);
    this.see(at + 1, bSeen, timed);
    return at;
  }

  /** Records when the holder at `i` last showed the value. */
  see(i: number, ms: number, timed: boolean): void {
    if (timed) this.seen.put(i, ms);
    else this.seen.unread(i);
  }

  /** Adds a holder to the list at `at` of `held` holders; where the list now starts (moved when it was full). */
  push(at: number, held: number, id: number, ms: number, timed: boolean): number {
    this.fit(id);
    if (held === roomFor(held)) {
      const moved = this.take(2 * held);
      this.ids.copyWithin(moved, at, at + held);
      this.seen.offsets.copyWithin(moved, at, at + held);
      this.release(at, held);
      at = moved;
    }
    this.ids[at + held] = id;
    this.see(at + held, ms, timed);
    return at;
  }

  /** Where `id` sits in the list, or -1. */
  seatOf(at: number, held: number, id: number): number {
    for (let i = 0; i < held; i++) if (this.ids[at + i] === id) return i;
    return -1;
  }

  /** Gives up the list's room. */
  release(at: number, held: number): void {
    const room = roomFor(held);
    (this.free[room] ??= []).push(at);
  }

  /** Widens the ids for one past 16 bits. */
  private fit(id: number): void {
    if (id > NARROW && this.ids instanceof Uint16Array) this.ids = Int32Array.from(this.ids);
  }

  private take(room: number): number {
    const reused = this.free[room]?.pop();
    if (reused !== undefined) return reused;
    if (this.end + room > this.ids.length) {
      const size = Math.ceil(1.5 * (this.end + room));
      this.ids = grown(this.ids, size);
      this.seen.grow(size);
    }
    const at = this.end;
    this.end += room;
    return at;
  }
}

/** The room a list of `held` holders takes: the power of two at or above it, at least 2. */
function roomFor(held: number): number {
  return held <= 2 ? 2 : 1 << (32 - Math.clz32(held - 1));
}
