/**
 * Per account, the pairs (in link order) whose bound may still reach EDGE_MIN, or none until
 * rebuilt after the account's pairs changed: a regrouping reads them instead of walking past
 * every pair that rests on a common NAT or a popular user agent (most of them). The lists are
 * slices of one shared column, each in room for the power of two at or above its length, reused
 * once given up: an array per account cost its header and 8 bytes an element.
 */
export class CandidateLists {
  /** The lists' pairs. */
  pairs = new Int32Array(1024);
  private end = 0;
  /** Freed rooms by size. */
  private readonly free: number[][] = [];
  /** Per account, where its list starts, its length (-1: none kept) and its room (an account has at most MAX_NEIGHBOURS pairs, so bytes). */
  private starts = new Int32Array(0);
  private lengths = new Int8Array(0);
  private rooms = new Uint8Array(0);

  /** Where `id`'s list starts, or -1 when none is kept. */
  startOf(id: number): number {
    return id < this.lengths.length && this.lengths[id]! >= 0 ? this.starts[id]! : -1;
  }

  lengthOf(id: number): number {
    return this.lengths[id]!;
  }

  /** Keeps `list` as `id`'s (it had none); where it starts. */
  keep(id: number, list: readonly number[]): number {
    if (id >= this.lengths.length) this.grow(id + 1);
    const room = list.length <= 1 ? 1 : 1 << (32 - Math.clz32(list.length - 1));
    const at = this.take(room);
    this.pairs.set(list, at);
    this.starts[id] = at;
    this.lengths[id] = list.length;
    this.rooms[id] = room;
    return at;
  }

  /** Shortens `id`'s list to its first `length` pairs. */
  shorten(id: number, length: number): void {
    this.lengths[id] = length;
  }

  /** Gives up `id`'s list, so it is rebuilt when next read. */
  drop(id: number): void {
    if (this.startOf(id) < 0) return;
    (this.free[this.rooms[id]!] ??= []).push(this.starts[id]!);
    this.lengths[id] = -1;
  }

  private take(room: number): number {
    const reused = this.free[room]?.pop();
    if (reused !== undefined) return reused;
    if (this.end + room > this.pairs.length) {
      const bigger = new Int32Array(Math.ceil(1.25 * (this.end + room)));
      bigger.set(this.pairs);
      this.pairs = bigger;
    }
    const at = this.end;
    this.end += room;
    return at;
  }

  private grow(size: number): void {
    const capacity = Math.max(size, Math.ceil(1.25 * this.lengths.length), 1024);
    const starts = new Int32Array(capacity);
    starts.set(this.starts);
    const lengths = new Int8Array(capacity).fill(-1);
    lengths.set(this.lengths);
    const rooms = new Uint8Array(capacity);
    rooms.set(this.rooms);
    this.starts = starts;
    this.lengths = lengths;
    this.rooms = rooms;
  }
}
