import { prepareDatabase } from '../bootstrap.js';
import { openPostgres } from '../db/postgres.js';
import type { DisputeFilter } from '../db/queries/filters.js';
import { disputeTile, tileFromRollup } from '../db/queries/tiles.js';
import { mvtSql } from '../db/tiles.js';
import { type BenchContext, type BenchModule, type BenchTable, fmt, percentile, startApp } from './harness.js';
import { syntheticDisputes } from './synthetic.js';

/**
 * Dispute tiles with the dashboard's filters (issue 19), z5–z16 at three points of the county, on the PostGIS
 * server: the API's uncached tile (no If-None-Match, first request of that tile and filter in the round) against
 * the target (p95 ≤ 30 ms at 1M), and, side by side in the same round, the same tile's SQL aggregating the
 * disputes alone (what every tile cost before the rollup of migration 170). Also one revalidation (304) per tile.
 */
const TARGET_1M_MS = 30;
const PREFIX = 'BENCHT';

const filters: { name: string; query: string; filter: DisputeFilter }[] = [
  { name: 'none', query: '', filter: {} },
  { name: 'open', query: 'status=open', filter: { statuses: ['reported', 'accepted', 'mediating'] } },
  {
    name: 'two categories',
    query: 'category=neighbour,medical',
    filter: { categories: ['neighbour', 'medical'] },
  },
  { name: 'whole months', query: 'from=2019-03-01&to=2021-08-31', filter: { from: '2019-03-01', to: '2021-08-31' } },
  {
    name: 'days, closed',
    query: 'from=2019-03-15&to=2021-08-10&status=closed',
    filter: { from: '2019-03-15', to: '2021-08-10', statuses: ['resolved', 'failed', 'referred'] },
  },
];

function tileSet() {
  const points = [
    [111.758, 29.633],
    [111.48, 29.78],
    [111.9, 29.55],
  ];
  const tiles: { z: number; x: number; y: number }[] = [];
  for (let z = 5; z <= 16; z++) {
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
  name: 'tiles',
  description: 'dispute tiles with filters z5–z16: API (rollup) p95 vs target, and the disputes-only SQL',
  async run(ctx: BenchContext) {
    const n = ctx.quick ? 100_000 : 1_000_000;
    const db = openPostgres({ connectionString: ctx.databaseUrl, poolSize: 2, statementTimeoutMs: 3_600_000 });
    const perZoom = new Map<number, { api: number[]; raw: number[]; rollup: number }>();
    const api: number[] = [];
    const raw: number[] = [];
    const revalidate: number[] = [];
    const perFilter = new Map<string, number[]>();
    try {
      await prepareDatabase(db, 'auto', ctx.log);
      const { rows } = await db.query<{ n: number; max: number }>(
        'SELECT count(*)::int AS n, coalesce(max(id), 0)::bigint AS max FROM disputes',
      );
      const have = rows[0]?.n ?? 0;
      if (have < n) {
        const t0 = performance.now();
        const q = syntheticDisputes(Number(rows[0]?.max ?? 0), n - have, PREFIX);
        await db.query(q.text, q.values);
        await db.exec(`SELECT setval(pg_get_serial_sequence('disputes', 'id'), (SELECT max(id) FROM disputes));`);
        ctx.log(
          `disputes: ${fmt(have)} → ${fmt(n)} in ${((performance.now() - t0) / 1000).toFixed(1)} s (rollup included)`,
        );
      }
      await db.query('VACUUM ANALYZE disputes');
      await db.query('VACUUM ANALYZE dispute_tile_counts');
      const count = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM disputes')).rows[0]?.n ?? 0;
      const app = await startApp(ctx.databaseUrl, ctx.log);
      try {
        const set = tileSet();
        for (let round = 0; round < (ctx.quick ? 1 : 2); round++) {
          for (const f of filters) {
            for (const t of set) {
              const url = `/tiles/disputes/${t.z}/${t.x}/${t.y}.mvt${f.query ? `?${f.query}` : ''}`;
              const t0 = performance.now();
              const res = await app.fetch(url);
              await res.arrayBuffer();
              const at = performance.now() - t0;
              if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
              const tag = res.headers.get('etag') ?? '';
              const t1 = performance.now();
              const again = await app.fetch(url, { headers: { 'if-none-match': tag } });
              await again.arrayBuffer();
              revalidate.push(performance.now() - t1);
              if (again.status !== 304) throw new Error(`${url}: revalidation gave ${again.status}`);
              const zs = perZoom.get(t.z) ?? { api: [], raw: [], rollup: 0 };
              // The disputes-only SQL once per tile and filter (seconds each at low zoom: the API is the subject).
              if (round === 0) {
                const q = mvtSql(disputeTile(f.filter, t.z, t.x, t.y, undefined, { source: 'disputes' }));
                const t2 = performance.now();
                await db.query(q.text, q.values);
                const rt = performance.now() - t2;
                raw.push(rt);
                zs.raw.push(rt);
              }
              api.push(at);
              zs.api.push(at);
              if (tileFromRollup(f.filter, t.z)) zs.rollup += 1;
              perZoom.set(t.z, zs);
              const fs = perFilter.get(f.name) ?? [];
              fs.push(at);
              perFilter.set(f.name, fs);
            }
          }
        }
      } finally {
        await app.stop();
      }
      const rowsOut: BenchTable['rows'] = [...perZoom.entries()].map(([z, v]) => [
        `z${z}`,
        `${v.rollup} / ${v.api.length}`,
        fmt(percentile(v.api, 50), 1),
        fmt(percentile(v.api, 95), 1),
        fmt(percentile(v.raw, 50), 1),
        fmt(percentile(v.raw, 95), 1),
      ]);
      const p95 = percentile(api, 95);
      rowsOut.push([
        'all',
        '',
        fmt(percentile(api, 50), 1),
        fmt(p95, 1),
        fmt(percentile(raw, 50), 1),
        fmt(percentile(raw, 95), 1),
      ]);
      const table: BenchTable = {
        title: `Dispute tiles z5–z16 × ${filters.length} filters at ${fmt(count)} disputes: API (uncached) vs the disputes-only SQL (ms)`,
        columns: ['zoom', 'from rollup', 'API p50', 'API p95', 'disputes SQL p50', 'disputes SQL p95'],
        rows: rowsOut,
        notes: [
          `target API p95 ≤ ${TARGET_1M_MS} ms at 1M (≤ 50 ms at 10M): measured ${p95.toFixed(1)} ms at ${fmt(count)}`,
          `per filter API p95: ${[...perFilter.entries()].map(([k, v]) => `${k} ${percentile(v, 95).toFixed(1)}`).join('; ')}`,
          `revalidation (If-None-Match → 304) p95 ${percentile(revalidate, 95).toFixed(1)} ms`,
        ],
      };
      return {
        tables: [table],
        data: {
          n: count,
          api,
          raw,
          revalidate,
          perZoom: Object.fromEntries(perZoom),
          perFilter: Object.fromEntries(perFilter),
        },
      };
    } finally {
      await db.close();
    }
  },
};

export default bench;
