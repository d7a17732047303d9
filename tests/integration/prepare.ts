import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDatabase } from '../../server/bootstrap.js';
import { openEmbedded } from '../../server/db/embedded.js';
import { openPostgres } from '../../server/db/postgres.js';
import { fingerprint } from './fingerprint.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Migrates and seeds an in-memory PGlite once and keeps a tarball of it under .data/test/; each test file
 * then loads its own copy in a few seconds instead of paying initdb + PostGIS + seed (~30 s) again.
 */
export async function prepareEmbeddedSnapshot(log: (m: string) => void): Promise<string> {
  const dir = join(root, '.data', 'test');
  const file = join(dir, `embedded-${await fingerprint()}.tar`);
  if (existsSync(file)) return file;
  log('preparing the embedded test database (migrate + demo seed), once per schema/seed change…');
  await mkdir(dir, { recursive: true });
  const db = await openEmbedded();
  try {
    await prepareDatabase(db, 'always', log);
    const blob = await db.dump();
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
    await rename(tmp, file);
  } finally {
    await db.close();
  }
  return file;
}

/** Empties the PostGIS test database and prepares it the way production does (migrations, then seed). */
export async function prepareServerDatabase(url: string, log: (m: string) => void): Promise<void> {
  const db = openPostgres({ connectionString: url, poolSize: 2, statementTimeoutMs: 120_000 });
  try {
    await db.exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    await prepareDatabase(db, 'always', log);
  } finally {
    await db.close();
  }
}
