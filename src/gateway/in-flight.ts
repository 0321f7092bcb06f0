/**
 * Arrival times of the requests still being served. Records finish out of order (a long
 * stream ends after later short calls), and detection must see them in arrival order:
 * everything that arrived before the oldest unfinished request can be released.
 */
export class InFlight {
  private readonly arrivals = new Map<number, number>();

  begin(arrivedAt: number): void {
    this.arrivals.set(arrivedAt, (this.arrivals.get(arrivedAt) ?? 0) + 1);
  }

  end(arrivedAt: number): void {
    const count = this.arrivals.get(arrivedAt) ?? 0;
    if (count <= 1) this.arrivals.delete(arrivedAt);
    else this.arrivals.set(arrivedAt, count - 1);
  }

  /** The oldest arrival still in flight; Infinity when idle. Linear, but the map holds at most the concurrency. */
  oldest(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const arrivedAt of this.arrivals.keys()) if (arrivedAt < oldest) oldest = arrivedAt;
    return oldest;
  }
}
