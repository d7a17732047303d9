import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import type { Db } from './types.js';

const migrationsGlob = fileURLToPath(new URL('../../migrations/*.sql', import.meta.url));

/**
 * Forward-only migrations from `migrations/NNN.do.<concern>.sql`, run by postgrator on both backends (it
 * only needs a query function). Each file runs as one multi-statement script, i.e. one implicit transaction:
 * a failing migration leaves nothing half-applied.
 */
export async function migrate(db: Db): Promise<{ from: number; to: number; applied: string[] }> {
  const postgrator = new Postgrator({
    migrationPattern: migrationsGlob,
    driver: 'pg',
    schemaTable: 'schema_version',
    validateChecksums: true,
    execQuery: async (query) => ({ rows: (await db.query(query)).rows }),
    execSqlScript: (sql) => db.exec(sql),
  });
  const from = Number(await postgrator.getDatabaseVersion());
  const applied = await postgrator.migrate();
  const to = Number(await postgrator.getDatabaseVersion());
  return { from, to, applied: applied.map((m) => basename(m.filename)) };
}
