import { prepareDatabase } from '../bootstrap.js';
import { openPostgres } from '../db/postgres.js';
import { datasets, exportFeatures } from '../db/queries/export.js';
import { disputeTile } from '../db/queries/tiles.js';
import { mvtSql } from '../db/tiles.js';
import {
  type AppProcess,
  type BenchContext,
  type BenchModule,
  type BenchTable,
  fmt,
  mib,
  percentile,
  psqlCopy,
  startApp,
} from './harness.js';
import { syntheticDisputes } from './synthetic.js';

/**
 * Export and tile throughput against the database doing the same work alone, on the PostGIS server:
 * - GeoJSON export features/s via the API ÷ `psql -c "COPY (<the export's own SELECT>) TO STDOUT"` (target ≥ 0.8),
 *   with the app's peak RSS for two sizes of the table (it must not grow with N);
 * - uncached dispute tile p95 via the API ÷ the same ST_AsMVT SQL run directly (target ≤ 1.25), z6–z16.
 */

const PREFIX = 'BENCH';
const EXPORT_TARGET = 0.8;
const TILE_TARGET = 1.25;

/** Grows the disputes table to `n` rows with synthetic cases (never shrinks the demo seed). */
async function growTo(db: ReturnType<typeof openPostgres>, n: number, log: (m: string) => void) {
  const { rows } = await db.query<{ n: number; max: number }>(
    'SELECT count(*)::int AS n, coalesce(max(id), 0)::bigint AS max FROM disputes',
  );
  const have = rows[0]?.n ?? 0;
  if (have >= n) return have;
  const t0 = performance.now();
  const q = syntheticDisputes(rows[0]?.max ?? 0, n - have, PREFIX);
  await db.query(q.text, q.values);
  await db.exec(`SELECT setval(pg_get_serial_sequence('disputes', 'id'), (SELECT max(id) FROM disputes));`);
  await db.query('VACUUM ANALYZE disputes');
  log(`disputes: ${fmt(have)} → ${fmt(n)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return n;
}

/** Streams the API's GeoJSON export, counting features (one per line) without keeping them. */
async function apiExport(app: AppProcess, path: string) {
  const t0 = performance.now();
  const res = await app.fetch(path);
  if (!res.ok || !res.body) throw new Error(`${path}: HTTP ${res.status}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  // The body is '{…[' + '\n' + features joined by ',\n' + '\n]}\n': features = newlines − 2.
  return { seconds: (performance.now() - t0) / 1000, bytes, features: lines - 2 };
}

/** Tiles from z6 to z16 over the county: at the county seat and at two other points. */
function tileSet() {
  const points = [
    [111.758, 29.633],
    [111.48, 29.78],
    [111.9, 29.55],
  ];
  const tiles: { z: number; x: number; y: number }[] = [];
  for (let z = 6; z <= 16; z++) {
    const seen = new Set<string>();
    for (const [lon, lat] of points as [number, number][]) {
      const n = 2 ** z;
      const x = Math.floor(((lon + 180) / 360) * n);
      const r = (lat * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
      if (!seen.has(`${x}/${y}`)) tiles.push({ z, x, y });
      seen.add(`${x}/${y}`);
    }
  }
  return tiles;
}

const bench: BenchModule = {
  name: 'export',
  description: 'GeoJSON export vs psql COPY; dispute tiles vs ST_AsMVT run directly',
  async run(ctx: BenchContext) {
    const sizes = ctx.quick ? [40_000, 120_000] : [250_000, 1_000_000];
    const rounds = ctx.quick ? 1 : 2;
    const db = openPostgres({ connectionString: ctx.databaseUrl, poolSize: 2, statementTimeoutMs: 3_600_000 });
    const exportRows: BenchTable['rows'] = [];
    const exportData: unknown[] = [];
    let tileTable: BenchTable | undefined;
    let tileData: unknown;
    try {
      await prepareDatabase(db, 'auto', ctx.log);
      // The export's own SELECT, unfiltered (no parameters), is what psql copies.
      const select = exportFeatures(datasets.disputes, {}).page(null, null);
      if (select.values.length > 0) throw new Error('the unfiltered export should have no parameters');

      for (const [i, size] of sizes.entries()) {
        const n = await growTo(db, size, ctx.log);
        const copyRuns = [];
        const apiRuns = [];
        const app = await startApp(ctx.databaseUrl, ctx.log);
        const before = await app.memory();
        try {
          for (let r = 0; r < rounds; r++) {
            const c = await psqlCopy(ctx.databaseUrl, select.text);
            ctx.log(`N=${fmt(n)} COPY: ${fmt(c.lines)} rows in ${c.seconds.toFixed(2)} s`);
            copyRuns.push(c);
            const a = await apiExport(app, '/api/export/disputes.geojson');
            ctx.log(`N=${fmt(n)} API:  ${fmt(a.features)} features in ${a.seconds.toFixed(2)} s`);
            if (a.features !== n || c.lines !== n)
              throw new Error(`expected ${n} rows, got ${a.features} / ${c.lines}`);
            apiRuns.push(a);
          }
          const mem = await app.memory();
          const copyRate = n / Math.min(...copyRuns.map((c) => c.seconds));
          const apiRate = n / Math.min(...apiRuns.map((a) => a.seconds));
          exportRows.push([
            fmt(n),
            fmt(copyRate),
            fmt(apiRate),
            (apiRate / copyRate).toFixed(2),
            mib(before.rss),
            mib(mem.peak),
            mib(Math.max(...apiRuns.map((a) => a.bytes))),
          ]);
          exportData.push({
            n,
            copyRuns,
            apiRuns,
            copyRate,
            apiRate,
            ratio: apiRate / copyRate,
            memory: { before, after: mem },
          });

          if (i === sizes.length - 1) ({ table: tileTable, data: tileData } = await tiles(ctx, db, app, n));
        } finally {
          await app.stop();
        }
      }
    } finally {
      await db.close();
    }
    const exportTable: BenchTable = {
      title: 'GeoJSON export of all disputes: API vs psql COPY of the same SELECT (best of runs)',
      columns: ['N', 'COPY features/s', 'API features/s', 'API ÷ COPY', 'app RSS idle', 'app peak RSS', 'body size'],
      rows: exportRows,
      notes: [
        `target API ÷ COPY ≥ ${EXPORT_TARGET}; peak RSS (VmHWM of a fresh app process per N) must not grow with N`,
      ],
    };
    return {
      tables: tileTable ? [exportTable, tileTable] : [exportTable],
      data: { export: exportData, tiles: tileData },
    };
  },
};

async function tiles(ctx: BenchContext, db: ReturnType<typeof openPostgres>, app: AppProcess, n: number) {
  const set = tileSet();
  const repeats = ctx.quick ? 2 : 3;
  const direct: number[] = [];
  const api: number[] = [];
  const perZoom = new Map<number, { direct: number[]; api: number[]; bytes: number }>();
  for (let r = 0; r < repeats; r++) {
    for (const t of set) {
      const q = mvtSql(disputeTile({}, t.z, t.x, t.y));
      const t0 = performance.now();
      const { rows } = await db.query<{ tile: Uint8Array | null }>(q.text, q.values);
      const dt = performance.now() - t0;
      const t1 = performance.now();
      const res = await app.fetch(`/tiles/disputes/${t.z}/${t.x}/${t.y}.mvt`);
      const body = new Uint8Array(await res.arrayBuffer());
      const at = performance.now() - t1;
      if (!res.ok) throw new Error(`tile ${t.z}/${t.x}/${t.y}: HTTP ${res.status}`);
      if (body.length !== (rows[0]?.tile?.length ?? 0)) throw new Error(`tile ${t.z}/${t.x}/${t.y} differs`);
      direct.push(dt);
      api.push(at);
      const z = perZoom.get(t.z) ?? { direct: [], api: [], bytes: 0 };
      z.direct.push(dt);
      z.api.push(at);
      z.bytes = Math.max(z.bytes, body.length);
      perZoom.set(t.z, z);
    }
  }
  const rows: BenchTable['rows'] = [...perZoom.entries()].map(([z, v]) => [
    `z${z}`,
    fmt(percentile(v.direct, 50), 1),
    fmt(percentile(v.api, 50), 1),
    fmt(Math.max(...v.direct), 1),
    fmt(Math.max(...v.api), 1),
    `${fmt(v.bytes / 1024, 1)} KiB`,
  ]);
  const p95d = percentile(direct, 95);
  const p95a = percentile(api, 95);
  rows.push(['all p95', fmt(p95d, 1), fmt(p95a, 1), '', '', `API ÷ SQL = ${(p95a / p95d).toFixed(2)}`]);
  ctx.log(`tiles: p95 direct ${p95d.toFixed(1)} ms, API ${p95a.toFixed(1)} ms`);
  const table: BenchTable = {
    title: `Dispute tiles (grid-aggregated), N=${fmt(n)}, ${set.length} tiles × ${repeats}: API vs the same ST_AsMVT SQL (ms)`,
    columns: ['zoom', 'SQL p50', 'API p50', 'SQL max', 'API max', 'largest tile'],
    rows,
    notes: [`target API p95 ÷ SQL p95 ≤ ${TILE_TARGET} (no tile cache in the app: every request runs the SQL)`],
  };
  return { table, data: { n, tiles: set, direct, api, p95: { direct: p95d, api: p95a, ratio: p95a / p95d } } };
}

export default bench;
