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

export type { VectorTileRequest } from './tiles.js';

import type { VectorTileRequest } from './tiles.js';

export interface Db extends Queryable {
  readonly backend: Backend;
  /** What the backend can do natively; gaps are filled behind this interface (e.g. MVT in JavaScript). */
  readonly capabilities: { readonly mvt: boolean };
  /** Runs a multi-statement script without parameters (migrations, seeds). Atomic: one implicit transaction. */
  exec(sql: string): Promise<void>;
  /** Encodes a Mapbox Vector Tile: ST_AsMVT on the server, JavaScript where the backend lacks it. */
  vectorTile(req: VectorTileRequest): Promise<Uint8Array>;
  /** Runs `fn` in a transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
