import { readFile } from 'node:fs/promises';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createSession } from '../../server/auth/accounts.js';
import { prepareDatabase } from '../../server/bootstrap.js';
import { loadConfig } from '../../server/config.js';
import { type EmbeddedDb, openEmbedded } from '../../server/db/embedded.js';
import type { Db } from '../../server/db/index.js';
import { openPostgres } from '../../server/db/postgres.js';
import { selectedBackends, type TestBackend } from './selection.js';

export const backends: TestBackend[] = selectedBackends(process.env);

export interface TestContext {
  /** The app; its `inject` signs in as the demo county administrator unless the request sets its own cookie or
   * authorization header (or `headers: { cookie: '' }` to call anonymously). */
  app: FastifyInstance;
  db: Db;
  /** A session cookie header for a demo account (admin, leader, town.wjc, station.ln, screener.wjc). */
  cookieFor(username: string): Promise<string>;
  close(): Promise<void>;
}

/** Demo usernames by role (server/auth/accounts.ts createDemoAccounts). */
export const demoUsers = {
  admin: 'admin',
  leader: 'leader',
  town_officer: 'town.wjc',
  station_staff: 'station.ln',
  screener: 'screener.wjc',
} as const;

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
  return openAppOn(db);
}

/**
 * For files that write: on the embedded backend the file's own copy (as openTestApp); on the PostGIS server a
 * database of the file's own on the same server, migrated and seeded the way production is, dropped on close —
 * the shared test database is read by other files that assert the demo's totals.
 */
export async function openWritableApp(backend: TestBackend): Promise<TestContext> {
  if (backend === 'embedded') return openTestApp(backend);
  const url = inject('serverUrl');
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const name = `test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const privateUrl = new URL(url);
  privateUrl.pathname = `/${name}`;
  const db = openPostgres({ connectionString: privateUrl.toString(), poolSize: 5, statementTimeoutMs: 60_000 });
  await prepareDatabase(db, 'always', () => {});
  const ctx = await openAppOn(db);
  return {
    ...ctx,
    async close() {
      await ctx.close();
      await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** The app built on `db`, its `inject` signed in as the county administrator by default. */
export async function openAppOn(db: Db): Promise<TestContext> {
  // No overload shedding here: a loaded test machine must not turn answers into 503s (tests/reliability covers it).
  const config = loadConfig({ DATA_DIR: '.data/test', LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0' });
  const app = await buildApp({ db, config });
  await app.ready();
  const cookies = new Map<string, string>();
  const cookieFor = async (username: string) => {
    let c = cookies.get(username);
    if (!c) {
      const { rows } = await db.query<{ id: number }>('SELECT id FROM accounts WHERE username = $1', [username]);
      if (!rows[0]) throw new Error(`no demo account ${username}`);
      c = `ljm_session=${await createSession(db, Number(rows[0].id), config.auth, { ip: 'test' })}`;
      cookies.set(username, c);
    }
    return c;
  };
  const adminCookie = await cookieFor(demoUsers.admin);
  const rawInject = app.inject.bind(app);
  // Every existing test reads as the administrator by default; role tests pass their own cookie.
  app.inject = ((opts: InjectOptions | string) => {
    const o: InjectOptions = typeof opts === 'string' ? { url: opts } : { ...opts };
    const headers = { ...(o.headers ?? {}) } as Record<string, string>;
    if (headers.cookie === undefined && headers.authorization === undefined) headers.cookie = adminCookie;
    if (headers.cookie === '') delete headers.cookie;
    return rawInject({ ...o, headers });
  }) as FastifyInstance['inject'];
  return {
    app,
    db,
    cookieFor,
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
