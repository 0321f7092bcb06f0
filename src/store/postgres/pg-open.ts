import pg from 'pg';
import type { PgConnection, PgListenClient, PgPool } from './pg-driver.js';

const INT8 = 20;
const NUMERIC = 1700;

// count(*) is int8 and sum(int8) numeric, which pg hands back as strings (they can exceed 2^53);
// the counts here are request and token totals, far below that.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export function openPool(connection: PgConnection, max: number): PgPool {
  return new pg.Pool({ connectionString: connection.connectionString, password: connection.password, max, types });
}

export function openListenClient(connection: PgConnection): PgListenClient {
  return new pg.Client({ connectionString: connection.connectionString, password: connection.password, types });
}
