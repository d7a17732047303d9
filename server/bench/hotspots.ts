import { prepareDatabase } from '../bootstrap.js';
import { openPostgres } from '../db/postgres.js';
import { disputeHexCounts } from '../db/queries/analytics.js';
import type { DisputeFilter } from '../db/queries/filters.js';
import { snapCellSize } from '../domain/stats/hexgrid.js';
import { type BenchContext, type BenchModule, type BenchTable, fmt, percentile, startApp } from './harness.js';

/**
 * The hot spot endpoint (binning + study area + Gi* + FDR + GeoJSON) against the bare GROUP BY binning SQL it
 * runs — the GROUP BY over the stored cell ids (migration 120) of the same ladder size with the same filter, the
 * query the endpoint sends — on the PostGIS server, for a few cell sizes and filters. Target: API p50 ÷ SQL
 * p50 ≤ 1.5. Beside it, the GROUP BY over the disputes themselves (what the filters the hexagon rollup of
 * migration 171 holds cost before it), and issue 19's absolute targets: the county's hot spots at 400 m ≤ 150 ms
 * and the heat layer (the dashboard's /api/analytics/density?cellSize=400) ≤ 100 ms at 1M.
 */
const TARGET = 1.5;
const HOTSPOTS_400_MS = 150;
const DENSITY_MS = 100;

interface Case {
  label: string;
  cellSize: number;
  filter: DisputeFilter;
}

const CASES: Case[] = [
  { label: 'county, 1650 m', cellSize: 1650, filter: {} },
  { label: 'county, 400 m', cellSize: 400, filter: {} },
  { label: 'county, medical, 1000 m', cellSize: 1000, filter: { categories: ['medical'] } },
  { label: 'town 430723108, 600 m', cellSize: 600, filter: { town: '430723108' } },
  {
    label: 'county, 2021, open',
    cellSize: 1000,
    filter: { from: '2021-01-01', to: '2021-12-31', statuses: ['reported', 'accepted', 'mediating'] },
  },
];

function query(c: Case): string {
  const f = c.filter;
  const params = new URLSearchParams({ cellSize: String(c.cellSize) });
  if (f.town) params.set('town', f.town);
  if (f.categories) params.set('category', f.categories.join(','));
  if (f.statuses) params.set('status', f.statuses.join(','));
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  return `/api/analytics/hotspots?${params}`;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const hotspotsBench: BenchModule = {
  name: 'hotspots',
  description: 'Gi* hot spot endpoint vs the bare GROUP BY hexagon binning SQL',
  async run(ctx: BenchContext) {
    const runs = ctx.quick ? 5 : 15;
    const db = openPostgres({ connectionString: ctx.databaseUrl, poolSize: 2, statementTimeoutMs: 3_600_000 });
    const rows: BenchTable['rows'] = [];
    const density: BenchTable['rows'] = [];
    const data: unknown[] = [];
    let hotspots400 = Number.NaN;
    try {
      await prepareDatabase(db, 'auto', ctx.log);
      const { rows: count } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM disputes');
      const app = await startApp(ctx.databaseUrl, ctx.log);
      try {
        for (const c of CASES) {
          const sql = disputeHexCounts(c.filter, snapCellSize(c.cellSize));
          const path = query(c);
          // Warm both (the app caches the study area per cell size and town, as it does in service).
          await db.query(sql.text, sql.values);
          const warm = await app.fetch(path);
          if (!warm.ok) throw new Error(`${path}: HTTP ${warm.status}`);
          await warm.arrayBuffer();
          const direct: number[] = [];
          const api: number[] = [];
          for (let i = 0; i < runs; i++) {
            direct.push(await time(() => db.query(sql.text, sql.values)));
            api.push(
              await time(async () => {
                const res = await app.fetch(path);
                await res.arrayBuffer();
              }),
            );
          }
          const rawSql = disputeHexCounts(c.filter, snapCellSize(c.cellSize), { source: 'disputes' });
          const raw: number[] = [];
          for (let i = 0; i < Math.min(runs, 5); i++) raw.push(await time(() => db.query(rawSql.text, rawSql.values)));
          const d50 = percentile(direct, 50);
          const a50 = percentile(api, 50);
          if (c.label === 'county, 400 m') hotspots400 = a50;
          ctx.log(`${c.label}: SQL p50 ${d50.toFixed(1)} ms, API p50 ${a50.toFixed(1)} ms`);
          rows.push([
            c.label,
            d50.toFixed(1),
            percentile(direct, 95).toFixed(1),
            a50.toFixed(1),
            percentile(api, 95).toFixed(1),
            (a50 / d50).toFixed(2),
            percentile(raw, 50).toFixed(1),
          ]);
          data.push({ ...c, direct, api, raw, ratio: a50 / d50 });
        }
        for (const path of ['/api/analytics/density?cellSize=400', '/api/analytics/density?cellSize=400&status=open']) {
          await (await app.fetch(path)).arrayBuffer();
          const api: number[] = [];
          for (let i = 0; i < runs; i++) {
            api.push(
              await time(async () => {
                const res = await app.fetch(path);
                if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
                await res.arrayBuffer();
              }),
            );
          }
          density.push([path, percentile(api, 50).toFixed(1), percentile(api, 95).toFixed(1)]);
          data.push({ path, api });
        }
      } finally {
        await app.stop();
      }
      const table: BenchTable = {
        title: `Hot spots over ${fmt(count[0]?.n ?? 0)} disputes: API vs the binning SQL alone (ms, ${runs} runs)`,
        columns: ['case', 'SQL p50', 'SQL p95', 'API p50', 'API p95', 'API ÷ SQL', 'disputes GROUP BY p50'],
        rows,
        notes: [
          `target API p50 ÷ SQL p50 ≤ ${TARGET}; SQL: the binning query the endpoint runs (the rollup where the filter allows); the API adds the study area (cached), Gi*, FDR and GeoJSON`,
          `target county 400 m API ≤ ${HOTSPOTS_400_MS} ms at 1M: measured p50 ${hotspots400.toFixed(1)} ms at ${fmt(count[0]?.n ?? 0)}`,
        ],
      };
      const densityTable: BenchTable = {
        title: `Heat layer over ${fmt(count[0]?.n ?? 0)} disputes (ms, ${runs} runs)`,
        columns: ['request', 'API p50', 'API p95'],
        rows: density,
        notes: [`target ≤ ${DENSITY_MS} ms at 1M`],
      };
      return { tables: [table, densityTable], data };
    } finally {
      await db.close();
    }
  },
};

export default hotspotsBench;
