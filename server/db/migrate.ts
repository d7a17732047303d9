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
  // postgrator only moves forward from the highest version: a file numbered below it (added on another branch)
  // would be skipped silently and leave the schema short. Say so instead.
  const known = new Set(
    (await db.query<{ version: string }>('SELECT version::text FROM schema_version')).rows.map((r) =>
      Number(r.version),
    ),
  );
  const skipped = (await postgrator.getMigrations())
    .filter((m) => m.action === 'do' && m.version <= to && !known.has(Number(m.version)))
    .map((m) => basename(m.filename));
  if (skipped.length > 0) {
    throw new Error(
      `the database is at migration ${to} but never ran ${skipped.join(', ')} (numbered below it); ` +
        'rebuild this database (or run those files by hand), and number new migrations above the highest',
    );
  }
  return { from, to, applied: applied.map((m) => basename(m.filename)) };
}
