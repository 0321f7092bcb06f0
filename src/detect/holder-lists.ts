/**
 * The holders of shared link values, and when each last showed its value, as lists in two shared
 * typed arrays. Two JavaScript arrays per value cost some 250 bytes once a third holder joined
 * (headers, 8 bytes an element and the growth slack of a push); here a list of n holders takes
 * room for the power of two at or above n (at least 2), 12 bytes each, and a list that outgrows
 * its room moves to one twice as big, its old room kept for the next list of that size.
 */
export class HolderLists {
  /** Holders' account ids, and when each last showed the value, list by list. */
  ids = new Int32Array(1024);
  seen = new Float64Array(1024);
  private end = 0;
  /** Freed rooms by size, a list per power of two. */
  private readonly free: number[][] = [];

  /** A new list of two holders; where it starts. */
  pair(a: number, aSeen: number, b: number, bSeen: number): number {
    const at = this.take(2);
    this.ids[at] = a;
    this.seen[at] = aSeen;
    this.ids[at + 1] = b;
    this.seen[at + 1] = bSeen;
    return at;
  }

  /** Adds a holder to the list at `at` of `held` holders; where the list now starts (moved when it was full). */
  push(at: number, held: number, id: number, ms: number): number {
    if (held === roomFor(held)) {
      const moved = this.take(2 * held);
      this.ids.copyWithin(moved, at, at + held);
      this.seen.copyWithin(moved, at, at + held);
      this.release(at, held);
      at = moved;
    }
    this.ids[at + held] = id;
    this.seen[at + held] = ms;
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

  private take(room: number): number {
    const reused = this.free[room]?.pop();
    if (reused !== undefined) return reused;
    if (this.end + room > this.ids.length) {
      const size = Math.ceil(1.5 * (this.end + room));
      const ids = new Int32Array(size);
      ids.set(this.ids);
      const seen = new Float64Array(size);
      seen.set(this.seen);
      this.ids = ids;
      this.seen = seen;
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
