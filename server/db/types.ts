/** The one database interface the rest of the server sees. No route knows which backend runs behind it. */

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** A SQL text with its parameters, as every query builder in `server/db/queries/` returns. */
export interface Sql {
  text: string;
  values: unknown[];
}

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<T>>;
}

export type Backend = 'embedded' | 'postgis';

/**
 * Column types `Transaction.loadTemp` and `copyRows` accept (a JSON column takes JSON text, a geometry column
 * EWKT such as `SRID=4326;POINT(112.1 29.6)`).
 */
export type TempColumnType = 'int' | 'bigint' | 'float8' | 'boolean' | 'text' | 'uuid' | 'date' | 'json' | 'geometry';

export interface TempColumn {
  name: string;
  type: TempColumnType;
}

/** A value of a `loadTemp` row: JSON text for a json column. */
export type TempValue = string | number | boolean | null;

/** The queries of one transaction, plus a bulk load each backend does its own way. */
export interface Transaction extends Queryable {
  /**
   * Creates the temporary table `table` (dropped at the end of the transaction, also on rollback) and fills it
   * with `rows`, each holding one value per column: `COPY … FROM STDIN` on the PostGIS server; JSON chunks on the
   * embedded database, whose COPY FROM STDIN breaks the instance. A failure (a bad value, or `rows` throwing
   * half-way) rejects, and the transaction then rolls back as a whole.
   */
  loadTemp(table: string, columns: readonly TempColumn[], rows: Iterable<readonly TempValue[]>): Promise<void>;
  /**
   * Appends `rows` to the existing table `table` (its other columns take their defaults): `COPY … FROM STDIN`
   * on the PostGIS server, JSON chunks on the embedded database. Any failure (a constraint, a bad value) fails
   * the statement, and with it the transaction unless the caller wrapped it in a savepoint.
   */
  copyRows(table: string, columns: readonly TempColumn[], rows: Iterable<readonly TempValue[]>): Promise<void>;
  /**
   * Runs `fn` in a savepoint `name` (letters, digits, underscores): released when it resolves, rolled back to when
   * it throws, the error passed on and the transaction still usable (e.g. a chunk that hit a unique violation).
   */
  savepoint<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * A query that can be read in key order, in pages: what `Db.stream` needs so that each backend can stream it
 * its own way (a server-side cursor on PostGIS; keyset pages on the one-connection embedded database).
 */
export interface KeysetQuery {
  /**
   * The SQL for the rows whose key is greater than `after` (all rows when `after` is null), ordered by the key
   * ascending, at most `limit` rows (no LIMIT when null).
   */
  page(after: unknown, limit: number | null): Sql;
  /** The result column holding the key (unique, non-null). */
  key: string;
}

export type { VectorTileRequest } from './tiles.js';

import type { VectorTileRequest } from './tiles.js';

export interface Db extends Queryable {
  readonly backend: Backend;
  /**
   * A statement on its own, outside any transaction the calling flow has open (`query` refuses that: pass the
   * `tx` down instead). Only for writes that must not wait for, or roll back with, the flow's transaction, such
   * as upload progress another instance polls; on the embedded database it runs after that transaction ends, so
   * it is fired and forgotten, never awaited inside one.
   */
  readonly detached: Queryable;
  /** Runs a multi-statement script without parameters (migrations, seeds). Atomic: one implicit transaction. */
  exec(sql: string): Promise<void>;
  /** Encodes a Mapbox Vector Tile: ST_AsMVT on the server, JavaScript where the backend lacks it. */
  vectorTile(req: VectorTileRequest): Promise<Uint8Array>;
  /**
   * Reads a large result in batches of about `batchSize` rows without holding it in memory: a cursor on the
   * PostGIS server (one pooled connection for the duration); keyset pages on the embedded database, which is
   * one connection and must not be held by one export (other requests run between the pages). Breaking out of
   * the loop releases everything.
   */
  stream<T = Record<string, unknown>>(query: KeysetQuery, batchSize: number): AsyncIterable<T[]>;
  /**
   * Streams one text column of a keyset query as UTF-8, each row's text followed by '\n', in key order, without
   * making a JavaScript string of each row: `COPY … TO STDOUT` on the PostGIS server (as fast as psql's COPY);
   * keyset pages on the embedded database. The text must not contain newlines (JSON text never does).
   */
  streamLines(query: KeysetQuery, column: string, batchSize: number): AsyncIterable<Uint8Array>;
  /**
   * Runs `fn` in a transaction; it commits when `fn` resolves and rolls back when it throws. Inside `fn`, every
   * statement goes through `tx`: `db.query`, `db.transaction`, `db.stream` and `db.exec` throw at once there.
   * `yieldToReads`: on the embedded database the transaction waits behind the requests already queued for its one
   * connection (one piece of long work among many, as a page of a stream does); the PostGIS server ignores it.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: { yieldToReads?: boolean }): Promise<T>;
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel` (sent by any connection to this database, once
   * its transaction commits). The PostGIS server: one dedicated connection outside the pool, so every app instance
   * on the database hears every NOTIFY; it reconnects by itself and then calls `onReconnect` (what was sent while it
   * was away is lost, and the listener catches up from its tables). Embedded: PGlite's own LISTEN on its one
   * connection (one process). Resolves to a function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
