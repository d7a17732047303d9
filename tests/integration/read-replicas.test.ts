import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { backends, openTestApp, openWritableApp, type TestContext } from './harness.js';

/**
 * Read replicas (issue 19) against a real streaming replica of the test server: `.ci/postgis.sh replica` makes
 * it (pg_basebackup -R, a hot standby on another port) and `.ci/run` passes TEST_DATABASE_READ_URL (its URL) and
 * TEST_DATABASE_SERVER_DIR (the server's directory, for `replica-stop` / `replica`). Which server answered a
 * request comes from the database itself: the test-mode header reports `pg_is_in_recovery()` and
 * `inet_server_port()` of the handle the request read from. The embedded database has no replicas and ignores
 * DATABASE_READ_URL.
 */
const readUrl = process.env.TEST_DATABASE_READ_URL;
const serverDir = process.env.TEST_DATABASE_SERVER_DIR;
const run = promisify(execFile);

/** The z12 tile over the demo county seat. */
function seatTile(): string {
  const [lon, lat, z] = [111.758, 29.633, 12];
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return `/tiles/disputes/${z}/${x}/${y}.mvt`;
}

const dashboardReads = [
  '/api/summary',
  seatTile(),
  '/api/analytics/categories',
  '/api/analytics/units?level=town',
  '/api/export/disputes.csv?town=430723108',
  '/ogc/collections/disputes/items?limit=5',
];

async function until(what: string, ok: () => Promise<boolean>, seconds = 90): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`not within ${seconds} s: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.each(backends)('read replicas on the %s database', (backend) => {
  if (backend === 'embedded') embeddedIgnoresReplicas();
  else if (!readUrl || !serverDir) replicaMissing();
  else againstTheReplica(readUrl, serverDir);
});

function embeddedIgnoresReplicas() {
  const backend = 'embedded' as const;
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => ctx?.close());

  it('ignores DATABASE_READ_URL: reads stay in-process, and /api/health says the replica is ignored', async () => {
    const config = loadConfig({
      DATA_DIR: '.data/test',
      LOG_LEVEL: 'silent',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      DATABASE_READ_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
    });
    const app = await buildApp({ db: ctx.db, config });
    try {
      const cookie = await ctx.cookieFor('admin');
      const summary = await app.inject({ method: 'GET', url: '/api/summary', headers: { cookie } });
      expect(summary.statusCode, summary.body).toBe(200);
      expect(summary.json().total.found).toBeGreaterThan(27_000);
      const health = (await app.inject({ method: 'GET', url: '/api/health' })).json();
      expect(health.backend).toBe('embedded');
      expect(health.reads.replicas).toEqual([
        { id: 'replica-1', inUse: false, reason: expect.stringContaining('embedded'), lagS: null },
      ]);
    } finally {
      await app.close();
    }
  });
}

function replicaMissing() {
  it('has a streaming replica of the test server to read from', () => {
    throw new Error(
      'TEST_DATABASE_READ_URL and TEST_DATABASE_SERVER_DIR are not set: start a replica with ' +
        '`bash .ci/postgis.sh replica <the server DIR>` and pass its URL and the DIR (as .ci/run does)',
    );
  });
}

function againstTheReplica(readUrl: string, serverDir: string) {
  const backend = 'server' as const;
  let ctx: TestContext;
  let replicaUrl: string;
  let primaryPort: string;
  let replicaPort: string;
  let cookie: string;
  let village: string;
  const apps: FastifyInstance[] = [];
  const postgis = (command: 'replica' | 'replica-stop') =>
    run('bash', ['.ci/postgis.sh', command, serverDir], { env: { ...process.env } });

  /** A superuser statement on the replica itself (pause or resume its WAL replay). */
  async function onReplica<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
    const c = new pg.Client({ connectionString: replicaUrl });
    await c.connect();
    try {
      return (await c.query<T>(sql)).rows;
    } finally {
      await c.end();
    }
  }

  /** The app on this file's database, reading from the replica with these settings. */
  async function appWith(reads: { maxLagS: number; checkMs: number }): Promise<FastifyInstance> {
    const config = loadConfig({
      DATA_DIR: '.data/test',
      LOG_LEVEL: 'silent',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      NODE_ENV: 'test',
      DATABASE_READ_URL: replicaUrl,
      DATABASE_READ_MAX_LAG_S: String(reads.maxLagS),
      DATABASE_READ_CHECK_MS: String(reads.checkMs),
    });
    const app = await buildApp({ db: ctx.db, config });
    await app.ready();
    apps.push(app);
    return app;
  }

  const get = (app: FastifyInstance, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie } } satisfies InjectOptions);
  const send = async (app: FastifyInstance, method: 'POST' | 'PATCH', url: string, payload: object) => {
    const res = await app.inject({ method, url, payload, headers: { cookie } });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as { id: number; version: number; status: string };
  };
  const servedBy = (res: { headers: Record<string, unknown> }) => String(res.headers['x-read-server']);
  const onTheReplica = () => `in-recovery=true; port=${replicaPort}`;
  const onThePrimary = () => `in-recovery=false; port=${primaryPort}`;
  const found = async (app: FastifyInstance) => {
    const res = await get(app, '/api/summary');
    expect(res.statusCode, res.body).toBe(200);
    return { found: res.json().total.found as number, server: servedBy(res) };
  };
  const replicaReport = async (app: FastifyInstance) =>
    (await app.inject({ method: 'GET', url: '/api/health' })).json().reads.replicas[0] as {
      inUse: boolean;
      reason: string | null;
    };

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    const { rows } = await ctx.db.query<{ name: string; port: number; n: number }>(
      'SELECT current_database() AS name, inet_server_port() AS port, (SELECT count(*) FROM disputes) AS n',
    );
    const own = rows[0] as { name: string; port: number; n: number };
    const u = new URL(readUrl);
    u.pathname = `/${own.name}`;
    replicaUrl = u.toString();
    replicaPort = u.port;
    primaryPort = String(own.port);
    cookie = await ctx.cookieFor('admin');
    const v = await ctx.db.query<{ code: string }>(
      `SELECT code FROM admin_units WHERE level = 'village' AND parent_code = '430723108' ORDER BY code LIMIT 1`,
    );
    village = v.rows[0]?.code as string;
    // This file's database was created, migrated and seeded on the primary: wait until the replica has it all.
    await until('the replica has replayed this file’s database', async () => {
      try {
        const r = await onReplica<{ n: number }>('SELECT count(*)::int AS n FROM disputes');
        return r[0]?.n === Number(own.n);
      } catch {
        return false;
      }
    });
  });
  afterAll(async () => {
    // Whatever failed, the replica is left streaming for the rest of the run.
    await onReplica('SELECT pg_wal_replay_resume()').catch(() => {});
    await postgis('replica').catch(() => {});
    for (const app of apps) await app.close();
    await ctx?.close();
  });

  it("serves the dashboard's reads from the replica, and the register, sign-in and health from the primary", async () => {
    const app = await appWith({ maxLagS: 3600, checkMs: 0 });
    expect(await replicaReport(app)).toMatchObject({ inUse: true, reason: null });
    for (const url of dashboardReads) {
      const res = await get(app, url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
      expect(servedBy(res), url).toBe(onTheReplica());
    }
    for (const url of ['/api/disputes?limit=5', '/api/auth/me', '/api/health']) {
      const res = await get(app, url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
      expect(servedBy(res), url).toBe(onThePrimary());
    }
  });

  it('a case written while the replica lags is in the register at once; the dashboard has it once replayed', async () => {
    const app = await appWith({ maxLagS: 3600, checkMs: 0 });
    const strict = await appWith({ maxLagS: 0, checkMs: 0 });
    const before = await found(app);
    expect(before.server).toBe(onTheReplica());

    await onReplica('SELECT pg_wal_replay_pause()');
    try {
      await until('replay paused', async () => {
        const r = await onReplica<{ s: string }>('SELECT pg_get_wal_replay_pause_state() AS s');
        return r[0]?.s === 'paused';
      });
      let c = await send(app, 'POST', '/api/disputes', {
        villageCode: village,
        category: 'neighbour',
        riskLevel: 'blue',
        summary: '副本测试：写后即读',
      });
      c = await send(app, 'POST', `/api/disputes/${c.id}/transitions`, { version: c.version, to: 'accepted' });

      // The register reads the primary: the new case and its new status at once.
      const one = await get(app, `/api/disputes/${c.id}`);
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json()).toMatchObject({ id: c.id, status: 'accepted' });
      expect(servedBy(one)).toBe(onThePrimary());
      const list = await get(app, `/api/disputes?village=${village}&limit=200`);
      expect(list.statusCode, list.body).toBe(200);
      expect(JSON.stringify(list.json())).toContain(`"id":${c.id}`);
      const history = await get(app, `/api/analytics/cases/${c.id}/history`);
      expect(history.statusCode, history.body).toBe(200);

      // The summary reads the paused replica (within the hour allowed): not yet the new case.
      const stale = await found(app);
      expect(stale).toEqual({ found: before.found, server: onTheReplica() });
      // With no lag allowed, the replica behind is skipped and the summary reads the primary.
      const skipped = await replicaReport(strict);
      expect(skipped.inUse).toBe(false);
      expect(skipped.reason).toMatch(/^lag /);
      expect(await found(strict)).toEqual({ found: before.found + 1, server: onThePrimary() });
    } finally {
      await onReplica('SELECT pg_wal_replay_resume()');
    }
    await until('the replica replays the new case', async () => (await found(app)).found === before.found + 1);
    expect(await found(app)).toEqual({ found: before.found + 1, server: onTheReplica() });
    expect(await replicaReport(app)).toMatchObject({ inUse: true, reason: null });
  });

  it('falls back to the primary when the replica stops, and reads from it again once it is back', async () => {
    const everyRequest = await appWith({ maxLagS: 3600, checkMs: 0 });
    // Checked every ten minutes: it still takes the replica for in use when it stops, so its reads fail over
    // mid-request.
    const cached = await appWith({ maxLagS: 3600, checkMs: 600_000 });
    expect((await found(everyRequest)).server).toBe(onTheReplica());
    expect((await found(cached)).server).toBe(onTheReplica());
    const expected = (await found(everyRequest)).found;

    await postgis('replica-stop');
    for (const app of [everyRequest, cached]) {
      expect(await found(app)).toEqual({ found: expected, server: onThePrimary() });
      const tile = await get(app, seatTile());
      expect(tile.statusCode).toBe(200);
      expect(servedBy(tile)).toBe(onThePrimary());
      const report = await replicaReport(app);
      expect(report.inUse).toBe(false);
      expect(report.reason).toMatch(/^unreachable/);
    }

    await postgis('replica');
    await until('the replica is in use again', async () => (await replicaReport(everyRequest)).inUse);
    expect(await found(everyRequest)).toEqual({ found: expected, server: onTheReplica() });
  });
}
