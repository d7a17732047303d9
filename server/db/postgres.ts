import pg from 'pg';
import Cursor from 'pg-cursor';
import { mvtInDatabase } from './tiles.js';
import type { Db, KeysetQuery, Queryable, QueryResult } from './types.js';

// Both backends return int8 (count(*)) and numeric as JS numbers: PGlite does so natively, and values here
// stay far below 2^53 (row counts, rates). Without this, pg would hand back strings and routes would differ.
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PostgresOptions {
  connectionString: string;
  poolSize: number;
  statementTimeoutMs: number;
  onPoolError?: (err: Error) => void;
}

export function openPostgres(options: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types: typeParsers,
    application_name: 'joint-mediation-map',
  });
  // An idle client losing its connection (server restart, network) must not crash the process: the pool
  // drops that client and the next query opens a new connection.
  pool.on('error', (err) => options.onPoolError?.(err));

  const toResult = <T>(r: pg.QueryResult): QueryResult<T> => ({ rows: r.rows as T[], rowCount: r.rowCount ?? 0 });

  const db: Db = {
    backend: 'postgis',
    capabilities: { mvt: true },
    async query<T>(text: string, values?: readonly unknown[]) {
      return toResult<T>(await pool.query(text, values as unknown[] | undefined));
    },
    vectorTile: (req) => mvtInDatabase(db, req),
    async *stream<T>(query: KeysetQuery, batchSize: number): AsyncIterable<T[]> {
      const q = query.page(null, null);
      const client = await pool.connect();
      const cursor = client.query(new Cursor(q.text, q.values as unknown[]));
      let broken: Error | undefined;
      try {
        for (;;) {
          const rows = (await cursor.read(batchSize)) as T[];
          if (rows.length === 0) break;
          yield rows;
        }
      } catch (err) {
        broken = err as Error;
        throw err;
      } finally {
        // Closing the cursor (also when the consumer stopped early) ends the portal; a failed connection is
        // destroyed rather than returned to the pool.
        await cursor.close().catch(() => {});
        client.release(broken);
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<R>(text: string, values?: readonly unknown[]) {
            return toResult<R>(await client.query(text, values as unknown[] | undefined));
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
  return db;
}
