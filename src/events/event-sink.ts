/**
 * Where the request path hands each finished request's record. The gateway knows only this
 * interface: the embedded implementation feeds a local worker thread (ledger writes, detection);
 * the scale-out implementation publishes to NATS JetStream. Either way the request path never
 * waits on bookkeeping, and an event once published is never lost (written, spooled, or reported
 * as lost by `close`).
 */
export interface EventSink<E> {
  /** Takes one record; never blocks on I/O and never throws for a well-formed record. */
  publish(event: E): void;
  /** Resolves once every record published so far is durable (written or spooled); false if some are neither. */
  flush(): Promise<boolean>;
  /** Flushes, then releases the sink's resources; false if some records could be neither written nor spooled. */
  close(): Promise<boolean>;
}
