import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { prepareDatabase } from '../bootstrap.js';
import { openEmbedded } from '../db/embedded.js';
import type { Db } from '../db/index.js';
import { openPostgres } from '../db/postgres.js';
import {
  type AppProcess,
  type BenchContext,
  type BenchModule,
  type BenchTable,
  fmt,
  percentile,
  serviceHeaders,
  startApp,
} from './harness.js';
import { time } from './scale.js';
import { syntheticDisputes } from './synthetic.js';

/**
 * The same dashboard endpoints on the embedded database (PGlite + PostGIS in the app's process) and on the
 * PostGIS server, each holding the demo county grown to the same N disputes with the same synthetic rows.
 * Reported, not a target: the issue expects embedded ≈ 2–3 × the server.
 */
const PATHS: { label: string; path: string }[] = [
  { label: 'summary', path: '/api/summary' },
  { label: 'summary, dates + category', path: '/api/summary?from=2021-03-15&to=2022-08-10&category=medical' },
  { label: 'units (towns)', path: '/api/analytics/units?level=town' },
  { label: 'categories', path: '/api/analytics/categories' },
  { label: 'monthly', path: '/api/analytics/monthly' },
  { label: 'hot spots 1000 m', path: '/api/analytics/hotspots?cellSize=1000' },
  { label: 'open cases, 200', path: '/api/disputes?status=open&limit=200' },
  { label: 'tile z10', path: '/tiles/disputes/10/829/423.mvt' },
  { label: 'tile z13', path: '/tiles/disputes/13/6639/3389.mvt' },
];

async function grow(db: Db, n: number, log: (m: string) => void) {
  await prepareDatabase(db, 'auto', log);
  const { rows } = await db.query<{ n: number; max: number }>(
    'SELECT count(*)::int AS n, coalesce(max(id), 0)::int AS max FROM disputes',
  );
  const have = rows[0]?.n ?? 0;
  if (have < n) {
    const q = syntheticDisputes(rows[0]?.max ?? 0, n - have, 'EMB');
    await db.query(q.text, q.values);
    await db.query(`SELECT setval(pg_get_serial_sequence('disputes', 'id'), (SELECT max(id) FROM disputes))`);
  }
  await db.query('VACUUM ANALYZE');
  return Math.max(have, n);
}

async function measure(app: AppProcess, runs: number) {
  const out = new Map<string, number[]>();
  for (const { path } of PATHS) {
    const warm = await app.fetch(path);
    if (!warm.ok) throw new Error(`${path}: HTTP ${warm.status}`);
    await warm.arrayBuffer();
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      ms.push(
        await time(async () => {
          const res = await app.fetch(path);
          await res.arrayBuffer();
        }),
      );
    }
    out.set(path, ms);
  }
  return out;
}

const embeddedBench: BenchModule = {
  name: 'embedded',
  description: 'the same endpoints on embedded PGlite vs the PostGIS server, same data',
  async run(ctx: BenchContext) {
    const n = ctx.quick ? 40_000 : 100_000;
    const runs = ctx.quick ? 5 : 15;
    // The server side: its own database next to the bench database.
    const name = `${new URL(ctx.databaseUrl).pathname.slice(1) || 'bench'}_embedded_cmp_${n}`;
    const admin = new URL(ctx.databaseUrl);
    admin.pathname = '/postgres';
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      await c.query(`CREATE DATABASE "${name}"`);
    } finally {
      await c.end();
    }
    const serverUrl = new URL(ctx.databaseUrl);
    serverUrl.pathname = `/${name}`;
    const server = openPostgres({ connectionString: serverUrl.toString(), poolSize: 2, statementTimeoutMs: 3_600_000 });
    try {
      await grow(server, n, ctx.log);
    } finally {
      await server.close();
    }
    const dir = await mkdtemp(join(tmpdir(), 'bench-embedded-'));
    try {
      const t0 = performance.now();
      const emb = await openEmbedded({ dataDir: join(dir, 'pglite') });
      let headers: Record<string, string>;
      try {
        await grow(emb, n, ctx.log);
        headers = await serviceHeaders(emb);
      } finally {
        await emb.close();
      }
      ctx.log(`embedded database with ${fmt(n)} disputes made in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      const results: Record<string, Map<string, number[]>> = {};
      const serverApp = await startApp(serverUrl.toString(), ctx.log);
      try {
        results.server = await measure(serverApp, runs);
      } finally {
        await serverApp.stop();
      }
      const embApp = await startApp(ctx.databaseUrl, ctx.log, { embeddedDataDir: dir, headers });
      try {
        results.embedded = await measure(embApp, runs);
      } finally {
        await embApp.stop();
      }
      const rows: BenchTable['rows'] = [];
      const ratios: number[] = [];
      const data: unknown[] = [];
      for (const { label, path } of PATHS) {
        const s = percentile(results.server?.get(path) ?? [], 50);
        const e = percentile(results.embedded?.get(path) ?? [], 50);
        ratios.push(e / s);
        rows.push([label, fmt(s, 1), fmt(e, 1), (e / s).toFixed(2)]);
        data.push({ path, server: results.server?.get(path), embedded: results.embedded?.get(path), ratio: e / s });
      }
      const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
      rows.push(['geometric mean', '', '', geo.toFixed(2)]);
      const table: BenchTable = {
        title: `Embedded PGlite vs PostGIS server, ${fmt(n)} disputes, same endpoints (p50 ms, ${runs} runs)`,
        columns: ['endpoint', 'server p50', 'embedded p50', 'embedded ÷ server'],
        rows,
        notes: ['reported, no target (expected 2–3 ×): the embedded database is one connection in the app process'],
      };
      return { tables: [table], data: { n, endpoints: data, geometricMean: geo } };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default embeddedBench;
