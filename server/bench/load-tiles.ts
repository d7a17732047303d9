import pg from 'pg';
import {
  type AppProcess,
  type BenchContext,
  type BenchModule,
  type BenchTable,
  fmt,
  percentile,
  startApp,
} from './harness.js';
import { scaleDatabase, time } from './scale.js';

/**
 * Dispute tile latency while the database is busy: tile p95 with the app otherwise idle, then tile p95 while a
 * full GeoJSON export of every dispute (1M) and a 1M-row screening CSV upload run at the same time, on the
 * generated 1M database. Target: p95 under load ÷ p95 idle ≤ 2.5.
 */
export const LOAD_TILES_TARGET = 2.5;

/** Tiles z8–z14 around points of the demo county and of two synthetic copies (0.9° east, 0.55° south). */
function tiles(): string[] {
  const points: [number, number][] = [
    [111.758, 29.633],
    [111.48, 29.78],
    [111.758 + 0.9, 29.633],
    [111.9 + 1.8, 29.55 - 0.55],
  ];
  const out = new Set<string>();
  for (let z = 8; z <= 14; z++) {
    for (const [lon, lat] of points) {
      const n = 2 ** z;
      const x = Math.floor(((lon + 180) / 360) * n);
      const r = (lat * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
      out.add(`/tiles/disputes/${z}/${x}/${y}.mvt`);
    }
  }
  return [...out];
}

async function tile(app: AppProcess, path: string): Promise<number> {
  return time(async () => {
    const res = await app.fetch(path);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  });
}

async function screeningCsv(url: string, n: number): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c
    .query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units
       WHERE level = 'village' AND code LIKE '430723%' ORDER BY code`,
    )
    .finally(() => c.end());
  const run = Date.now().toString(36);
  const lines = ['村代码,排查日期,排查人,经度,纬度,零报告,隐患类别,风险等级,情况说明'];
  for (let i = 0; i < n; i++) {
    const v = rows[i % rows.length] as { code: string; lon: number; lat: number };
    lines.push(`${v.code},2023-06-${String((i % 28) + 1).padStart(2, '0')},load-${run},${v.lon},${v.lat},是,,,`);
  }
  return `${lines.join('\n')}\n`;
}

const loadTilesBench: BenchModule = {
  name: 'load-tiles',
  description: 'dispute tile p95 while a full export and a bulk upload run ÷ tile p95 idle',
  async run(ctx: BenchContext) {
    const n = ctx.quick ? 100_000 : 1_000_000;
    const url = await scaleDatabase(ctx, n);
    const set = tiles();
    const csv = await screeningCsv(url, n);
    ctx.log(
      `load-tiles: ${set.length} tiles; upload of ${fmt(n)} screening rows (${(csv.length / 1e6).toFixed(0)} MB)`,
    );
    const app = await startApp(url, ctx.log);
    try {
      for (const p of set) await tile(app, p); // warm-up
      const idle: number[] = [];
      for (let r = 0; r < (ctx.quick ? 3 : 6); r++) for (const p of set) idle.push(await tile(app, p));

      let exported = 0;
      let accepted = 0;
      const t0 = performance.now();
      const exportDone = (async () => {
        const res = await app.fetch('/api/export/disputes.geojson');
        if (!res.ok || !res.body) throw new Error(`export: HTTP ${res.status}`);
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) exported += 1;
        }
        return (performance.now() - t0) / 1000;
      })();
      const uploadDone = (async () => {
        const form = new FormData();
        form.append('file', new Blob([csv], { type: 'text/csv' }), 'load.csv');
        const res = await app.fetch('/api/uploads?crs=wgs84', { method: 'POST', body: form });
        const body = (await res.json()) as { rowsAccepted?: number; message?: string };
        if (!res.ok) throw new Error(`upload: HTTP ${res.status} ${body.message}`);
        accepted = body.rowsAccepted ?? 0;
        return (performance.now() - t0) / 1000;
      })();
      let running = 2;
      const settled = Promise.allSettled([exportDone, uploadDone]);
      for (const p of [exportDone, uploadDone]) p.finally(() => (running -= 1)).catch(() => {});
      const busy: number[] = [];
      while (running > 0) for (const p of set) if (running > 0) busy.push(await tile(app, p));
      const [e, u] = await settled;
      if (e.status === 'rejected') throw e.reason;
      if (u.status === 'rejected') throw u.reason;
      ctx.log(
        `export ${fmt(exported - 2)} features in ${e.value.toFixed(1)} s; upload ${fmt(accepted)} rows in ${u.value.toFixed(1)} s`,
      );
      const p95Idle = percentile(idle, 95);
      const p95Busy = percentile(busy, 95);
      const ratio = p95Busy / p95Idle;
      const table: BenchTable = {
        title: `Dispute tiles under load, N=${fmt(n)}: idle vs during a full export + a ${fmt(n)}-row upload (ms)`,
        columns: ['phase', 'tiles', 'p50', 'p95', 'max', 'ratio'],
        rows: [
          ['idle', idle.length, fmt(percentile(idle, 50), 1), fmt(p95Idle, 1), fmt(Math.max(...idle), 1), ''],
          [
            'export + upload',
            busy.length,
            fmt(percentile(busy, 50), 1),
            fmt(p95Busy, 1),
            fmt(Math.max(...busy), 1),
            `${ratio.toFixed(2)} ${ratio <= LOAD_TILES_TARGET ? 'ok' : 'MISSED'}`,
          ],
        ],
        notes: [
          `target p95 under load ÷ p95 idle ≤ ${LOAD_TILES_TARGET}; export ${e.value.toFixed(0)} s, upload ${u.value.toFixed(0)} s (${fmt(accepted)} rows)`,
        ],
      };
      return {
        tables: [table],
        data: { n, tiles: set, idle, busy, ratio, exportSeconds: e.value, uploadSeconds: u.value, accepted },
      };
    } finally {
      await app.stop();
    }
  },
};

export default loadTilesBench;
