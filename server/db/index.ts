import { join } from 'node:path';
import type { Config } from '../config.js';
import { openEmbedded } from './embedded.js';
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
