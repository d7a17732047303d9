import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import { CopyTextDecoder, inlineParams } from './copy-lines.js';
import { TransactionFlow } from './flow.js';
import { withSavepoint } from './savepoint.js';
import { copyFromStdin, copyText, createTempTable } from './temp-load.js';
import { mvtInDatabase } from './tiles.js';
import type { Db, KeysetQuery, QueryResult, Transaction } from './types.js';

// Both backends return int8 (count(*)) and numeric as JS numbers: PGlite does so natively, and values here
// stay far below 2^53 (row counts, rates). Without this, pg would hand back strings and routes would differ.
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * pg reports a lost or refused connection without a SQLSTATE ("Connection terminated unexpectedly", a pool
 * connect timeout while the server is down, ECONNREFUSED from the socket). Those get class 08's code, so that
 * translateDbError (db/errors.ts) answers 503 + Retry-After rather than 500; the pool opens fresh connections
 * when the server is back, so the API recovers by itself.
 */
const CONNECTION_LOST =
  /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|EPIPE|the database system is (starting up|shutting down|in recovery mode)/i;

function markUnavailable(err: unknown): unknown {
  if (typeof err !== 'object' || err === null) return err;
  const e = err as { code?: unknown; message?: unknown };
  const known = typeof e.code === 'string' && /^(08|57P)/.test(e.code);
  if (!known && typeof e.message === 'string' && CONNECTION_LOST.test(e.message)) e.code = '08006';
  // Every connection exception (class 08) and shutdown/crash (57P01–57P04) is "unavailable".
  if (typeof e.code === 'string' && /^08/.test(e.code)) e.code = '08006';
  if (typeof e.code === 'string' && /^57P0[1-4]$/.test(e.code)) e.code = '57P01';
  return err;
}

/** Rejects with a marked error (see markUnavailable). */
async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw markUnavailable(err);
  }
}

export interface PostgresOptions {
  connectionString: string;
  poolSize: number;
  statementTimeoutMs: number;
  /** How long to wait for a new connection (default 10 s); read replicas wait less, the primary is there. */
  connectTimeoutMs?: number;
  /** The application_name the server shows (pg_stat_activity). */
  applicationName?: string;
  onPoolError?: (err: Error) => void;
}

export function openPostgres(options: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    types: typeParsers,
    application_name: options.applicationName ?? 'joint-mediation-map',
    // No JIT: PostGIS functions carry large planner costs, so tile and export queries cross jit_above_cost and
    // spend 0.3–1 s compiling a plan that then runs for a fraction of that (measured by `npm run bench`).
    options: '-c jit=off',
  });
  // An idle client losing its connection (server restart, network) must not crash the process: the pool
  // drops that client and the next query opens a new connection.
  pool.on('error', (err) => options.onPoolError?.(err));
  // The pool listens for errors only on idle clients. A client checked out (a transaction between statements, a
  // cursor between batches) that loses its connection (server restart: "terminating connection due to
  // administrator command") would emit an 'error' nobody listens to, and that ends the process. Every client
  // gets a listener of its own; its next query then fails (→ 503) and it is released as broken.
  pool.on('connect', (client) => {
    client.on('error', (err) => options.onPoolError?.(err));
  });

  const toResult = <T>(r: pg.QueryResult): QueryResult<T> => ({ rows: r.rows as T[], rowCount: r.rowCount ?? 0 });

  const flow = new TransactionFlow();
  const run = async <T>(text: string, values?: readonly unknown[]) =>
    toResult<T>(await guard(pool.query(text, values as unknown[] | undefined)));

  const db: Db = {
    backend: 'postgis',
    async query<T>(text: string, values?: readonly unknown[]) {
      flow.assertOutside('db.query');
      return run<T>(text, values);
    },
    detached: { query: (text, values) => flow.outside(() => run(text, values)) },
    vectorTile: (req) => mvtInDatabase(db, req),
    async *stream<T>(query: KeysetQuery, batchSize: number): AsyncIterable<T[]> {
      flow.assertOutside('db.stream');
      const q = query.page(null, null);
      const client = await guard(pool.connect());
      const cursor = client.query(new Cursor(q.text, q.values as unknown[]));
      let broken: Error | undefined;
      // One batch is always being read ahead: the database produces the next rows while the consumer encodes
      // and sends these, as COPY would (at most two batches in memory).
      let ahead: Promise<T[]> | undefined = cursor.read(batchSize) as Promise<T[]>;
      try {
        for (;;) {
          const rows: T[] = await ahead;
          ahead = undefined;
          if (rows.length === 0) break;
          ahead = cursor.read(batchSize) as Promise<T[]>;
          yield rows;
        }
      } catch (err) {
        broken = err as Error;
        throw err;
      } finally {
        await ahead?.catch(() => {});
        // Closing the cursor (also when the consumer stopped early) ends the portal; a failed connection is
        // destroyed rather than returned to the pool.
        await cursor.close().catch(() => {});
        client.release(broken);
      }
    },
    async *streamLines(query: KeysetQuery, column: string, _batchSize: number): AsyncIterable<Uint8Array> {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(column)) throw new Error(`invalid column name ${column}`);
      flow.assertOutside('db.streamLines');
      const text = `COPY (SELECT q."${column}" FROM (${inlineParams(query.page(null, null))}) q) TO STDOUT`;
      const client = await guard(pool.connect());
      let finished = false;
      try {
        const decoder = new CopyTextDecoder();
        const copy = client.query(copyTo(text));
        for await (const chunk of copy as AsyncIterable<Buffer>) yield decoder.push(chunk);
        finished = true;
      } finally {
        // A COPY abandoned half-way leaves the connection mid-protocol: it is destroyed, not pooled.
        client.release(finished ? undefined : new Error('COPY abandoned'));
      }
    },
    async exec(sql: string) {
      flow.assertOutside('db.exec');
      await guard(pool.query(sql));
    },
    async transaction<T>(fn: (tx: Transaction) => Promise<T>) {
      flow.assertOutside('db.transaction');
      const client = await guard(pool.connect());
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const tx: Transaction = {
          async query<R>(text: string, values?: readonly unknown[]) {
            return toResult<R>(await client.query(text, values as unknown[] | undefined));
          },
          async loadTemp(table, columns, rows) {
            await client.query(createTempTable(table, columns));
            // COPY FROM STDIN: as fast as psql's own COPY. If `rows` throws half-way, the pipeline destroys the
            // COPY stream, which sends CopyFail: the statement fails and the transaction rolls back.
            await pipeline(
              Readable.from(copyText(rows, columns.length)),
              client.query(copyFrom(copyFromStdin(table, columns))),
            );
          },
          async copyRows(table, columns, rows) {
            await pipeline(
              Readable.from(copyText(rows, columns.length)),
              client.query(copyFrom(copyFromStdin(table, columns))),
            );
          },
          savepoint(name, body) {
            return withSavepoint(tx, name, body);
          },
        };
        const result = await flow.inside(() => fn(tx));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: Error) => {
          // A connection that cannot even roll back is not returned to the pool.
          broken = e;
        });
        throw markUnavailable(err);
      } finally {
        client.release(broken);
      }
    },
    listen: (channel, onMessage, onReconnect) =>
      listenOn(options.connectionString, channel, onMessage, onReconnect, options.onPoolError),
    async close() {
      for (const stop of [...listeners]) await stop();
      await pool.end();
    },
  };
  const listeners = new Set<() => Promise<void>>();
  const listenOn = async (...args: Parameters<typeof listenWith>) => {
    const stop = await listenWith(...args);
    const wrapped = async () => {
      listeners.delete(wrapped);
      await stop();
    };
    listeners.add(wrapped);
    return wrapped;
  };
  return db;
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries). A lost connection (server
 * restart) is reopened with a growing pause up to 10 s, and `onReconnect` tells the listener to catch up.
 */
async function listenWith(
  connectionString: string,
  channel: string,
  onMessage: (payload: string) => void,
  onReconnect: (() => void) | undefined,
  onError: ((err: Error) => void) | undefined,
): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString, application_name: 'joint-mediation-map listen' });
    c.on('notification', (m) => {
      if (m.channel === channel) onMessage(m.payload ?? '');
    });
    c.on('error', (err) => {
      onError?.(err);
      if (client === c) {
        client = null;
        c.end().catch(() => {});
        schedule(500);
      }
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    if (stopped) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
  };
  const schedule = (ms: number) => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().then(
        () => onReconnect?.(),
        (err: Error) => {
          onError?.(err);
          schedule(Math.min(ms * 2, 10_000));
        },
      );
    }, ms);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };
}
