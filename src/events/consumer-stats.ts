/** What a consumer role reports to metrics and readiness: lag, redeliveries, throughput. */
export class ConsumerStats {
  redeliveries = 0;
  handled = 0;
  private readonly lag = new Map<number, number>();

  delivered(redeliveryCount: number): void {
    if (redeliveryCount > 1) this.redeliveries++;
  }

  processed(count: number): void {
    this.handled += count;
  }

  /** Records still waiting in the stream for this consumer, as JetStream last said. */
  pending(key: number, pending: number | undefined): void {
    if (pending !== undefined) this.lag.set(key, pending);
  }

  get totalLag(): number {
    let total = 0;
    for (const value of this.lag.values()) total += value;
    return total;
  }
}
