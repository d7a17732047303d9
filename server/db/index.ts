import { join } from 'node:path';
import type { Config } from '../config.js';
import { type EmbeddedDb, openEmbedded } from './embedded.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export type { Backend, Db, Queryable, QueryResult, Sql } from './types.js';

/** `DATABASE_URL` set → the PostGIS server; unset → embedded PGlite persisted under `DATA_DIR/pglite`. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'poolSize' | 'statementTimeoutMs'>,
  onPoolError?: (err: Error) => void,
): Promise<Db> {
  if (config.databaseUrl) {
    return openPostgres({
      connectionString: config.databaseUrl,
      poolSize: config.poolSize,
      statementTimeoutMs: config.statementTimeoutMs,
      ...(onPoolError ? { onPoolError } : {}),
    });
  }
  return openEmbedded({ dataDir: join(config.dataDir, 'pglite') });
}

/**
 * What the notification hub reads deliveries through when it has no pool of its own: on the embedded database
 * the same connection with its statements ahead of every waiting one; on the PostGIS server `db` itself.
 */
export function deliveryOf(db: Db): Db {
  return db.backend === 'embedded' && 'delivery' in db ? (db as EmbeddedDb).delivery : db;
}
