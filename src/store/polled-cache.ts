/**
 * An in-memory copy of store rows that each replica re-reads on a timer, so changes made by
 * another process (the CLI, another replica) arrive without a restart.
 */
export abstract class PolledCache {
  private timer: NodeJS.Timeout | undefined;

  abstract refresh(): Promise<void>;

  startRefreshing(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
