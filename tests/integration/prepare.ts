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

/**
 * A database of a test tier's own on the PostGIS server of the test database (`name` next to it), made afresh:
 * migrated and seeded the way production is. Tiers then never read or write each other's data, whatever order
 * vitest runs their global setups in (it globs the projects concurrently: the order is not fixed). Returns its URL.
 */
export async function freshServerDatabase(testUrl: string, name: string, log: (m: string) => void): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = openPostgres({ connectionString: testUrl, poolSize: 1, statementTimeoutMs: 120_000 });
  try {
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const url = new URL(testUrl);
  url.pathname = `/${name}`;
  const db = openPostgres({ connectionString: url.toString(), poolSize: 2, statementTimeoutMs: 120_000 });
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    log(`preparing the PostGIS database "${name}" (migrate + demo seed)`);
    await prepareDatabase(db, 'always', log);
  } finally {
    await db.close();
  }
  return url.toString();
}

/** Drops a tier's own database made by freshServerDatabase. */
export async function dropServerDatabase(testUrl: string, name: string): Promise<void> {
  const admin = openPostgres({ connectionString: testUrl, poolSize: 1, statementTimeoutMs: 120_000 });
  try {
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.close();
  }
}
