/**
 * Prepares the databases the reliability suite starts real server processes on, once per run:
 * - embedded: a PGlite data directory made from the integration snapshot (migrated + seeded), which each test
 *   copies before starting a process on it (a PGlite directory is one process's at a time);
 * - PostGIS server (TEST_DATABASE_URL): a database of its own, `reliability`, next to the test database, so the
 *   suite's writes and restarts never touch what the integration and e2e tiers read. Dropped at the end.
 * Both get a service token (county administrator) for the processes' API calls.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { prepareDatabase } from '../../server/bootstrap.js';
import { openEmbedded } from '../../server/db/embedded.js';
import { openPostgres } from '../../server/db/postgres.js';
import { dropServerDatabase, freshServerDatabase, prepareEmbeddedSnapshot } from '../integration/prepare.js';
import { selectedBackends } from '../integration/selection.js';
import { serviceToken } from './auth.js';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedSnapshot: string | null;
    serverUrl: string | null;
    /** A prepared PGlite directory to copy (embedded backend), or null. */
    reliabilityDataDir: string | null;
    /** The suite's own database on the PostGIS server, or null. */
    reliabilityServerUrl: string | null;
    /** Bearer tokens by backend ('' where accounts are not in the schema yet). */
    reliabilityTokens: { embedded: string; server: string };
  }
}

const root = resolve(import.meta.dirname, '../..');

export default async function setup(project: TestProject) {
  const log = (m: string) => console.log(`[reliability] ${m}`);
  const backends = selectedBackends(process.env);
  const tokens = { embedded: '', server: '' };
  let dataDir: string | null = null;
  let serverUrl: string | null = null;

  if (backends.includes('embedded')) {
    const snapshot = await prepareEmbeddedSnapshot(log);
    project.provide('embeddedSnapshot', snapshot);
    dataDir = join(root, '.data', 'reliability', basename(snapshot, '.tar'), 'pglite');
    if (!existsSync(dataDir)) {
      log(`making the embedded data directory ${dataDir} from the snapshot`);
      await rm(join(root, '.data', 'reliability'), { recursive: true, force: true });
      const tmp = `${dataDir}.${process.pid}.tmp`;
      await mkdir(tmp, { recursive: true });
      const db = await openEmbedded({ dataDir: tmp, loadDataDir: new Blob([await readFile(snapshot)]) });
      await db.close();
      await rename(tmp, dataDir);
    }
    const db = await openEmbedded({ dataDir });
    try {
      await prepareDatabase(db, 'auto', log);
      tokens.embedded = await serviceToken(db);
    } finally {
      await db.close();
    }
  } else {
    project.provide('embeddedSnapshot', null);
  }

  const testUrl = process.env.TEST_DATABASE_URL;
  if (backends.includes('server') && testUrl) {
    serverUrl = await freshServerDatabase(testUrl, 'reliability', log);
    const db = openPostgres({ connectionString: serverUrl, poolSize: 2, statementTimeoutMs: 120_000 });
    try {
      tokens.server = await serviceToken(db);
    } finally {
      await db.close();
    }
  }
  project.provide('serverUrl', serverUrl);
  project.provide('reliabilityDataDir', dataDir);
  project.provide('reliabilityServerUrl', serverUrl);
  project.provide('reliabilityTokens', tokens);

  return async () => {
    if (serverUrl && testUrl) await dropServerDatabase(testUrl, 'reliability');
  };
}
