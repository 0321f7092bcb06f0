/**
 * The slice of `pg` this store uses, typed here (as Kysely's PostgreSQL dialect does) so the
 * store's code depends on these few calls and nothing else of the driver's surface.
 */
export interface PgResult<R> {
  rows: R[];
  rowCount: number | null;
}

export interface PgQueryable {
  query<R>(sql: string, parameters?: readonly unknown[]): Promise<PgResult<R>>;
}

export interface PgPoolClient extends PgQueryable {
  /** With an error, the connection is discarded rather than reused. */
  release(error?: Error): void;
}

export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PgNotification {
  channel: string;
  payload?: string | undefined;
}

/** One connection of its own, for LISTEN: a pooled one would be handed to other queries. */
export interface PgListenClient extends PgQueryable {
  connect(): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

export interface PgConnection {
  connectionString: string;
  password?: string | undefined;
}
