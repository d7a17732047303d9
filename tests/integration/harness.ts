import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { type EmbeddedDb, openEmbedded } from '../../server/db/embedded.js';
import type { Db } from '../../server/db/index.js';
import { openPostgres } from '../../server/db/postgres.js';
import { selectedBackends, type TestBackend } from './selection.js';

export const backends: TestBackend[] = selectedBackends(process.env);

export interface TestContext {
  app: FastifyInstance;
  db: Db;
  close(): Promise<void>;
}

/** The real app on a real database: a private copy of the prepared embedded one, or the PostGIS server. */
export async function openTestApp(backend: TestBackend): Promise<TestContext> {
  let db: Db | EmbeddedDb;
  if (backend === 'embedded') {
    const snapshot = inject('embeddedSnapshot');
    if (!snapshot) throw new Error('the embedded snapshot was not prepared by global setup');
    db = await openEmbedded({ loadDataDir: new Blob([await readFile(snapshot)]) });
  } else {
    const url = inject('serverUrl');
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    db = openPostgres({ connectionString: url, poolSize: 5, statementTimeoutMs: 60_000 });
  }
  const config = loadConfig({ DATA_DIR: '.data/test', LOG_LEVEL: 'silent' });
  const app = await buildApp({ db, config });
  await app.ready();
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** GET a path and parse the JSON body. */
export async function getJson<T = unknown>(app: FastifyInstance, url: string): Promise<{ status: number; body: T }> {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() as T };
}
