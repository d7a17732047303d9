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
 * generated 1M database. Target: p95 under load ÷ p95 idle ≤ 2.5. Then the same with the app reading from a
 * streaming replica (DATABASE_READ_URL; issue 19): the export and the tiles read the replica, the upload writes
 * the primary. Target with the replica: p95 under load ÷ p95 idle (the first, primary-only idle) ≤ 1.3.
 * BENCH_LOAD_TILES_N sets another size (a small trial run).
 */
export const LOAD_TILES_TARGET = 2.5;
export const LOAD_TILES_REPLICA_TARGET = 1.3;

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

interface UnderLoad {
  busy: number[];
  exportSeconds: number;
  uploadSeconds: number;
  exported: number;
  accepted: number;
  /** /api/health samples taken between passes over the tiles: how often the replica was in use. */
  replicaInUse: number;
  samples: number;
}

/** Tile times while a full export and the upload of `csv` run through `app`, until both are done. */
async function underLoad(app: AppProcess, csv: string, sampleReplica: boolean): Promise<UnderLoad> {
  const set = tiles();
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
  let replicaInUse = 0;
  let samples = 0;
  while (running > 0) {
    for (const p of set) if (running > 0) busy.push(await tile(app, p));
    if (sampleReplica) {
      const health = (await (await app.fetch('/api/health')).json()) as { reads: { replicas: { inUse: boolean }[] } };
      samples += 1;
      if (health.reads.replicas[0]?.inUse) replicaInUse += 1;
    }
  }
  const [e, u] = await settled;
  if (e.status === 'rejected') throw e.reason;
  if (u.status === 'rejected') throw u.reason;
  return {
    busy,
    exportSeconds: e.value,
    uploadSeconds: u.value,
    exported: exported - 2,
    accepted,
    replicaInUse,
    samples,
  };
}

async function idleTiles(app: AppProcess, rounds: number): Promise<number[]> {
  const set = tiles();
  for (const p of set) await tile(app, p); // warm-up
  const idle: number[] = [];
  for (let r = 0; r < rounds; r++) for (const p of set) idle.push(await tile(app, p));
  return idle;
}

/** Waits until the replica has replayed everything the primary had written when asked (the scaled data). */
async function caughtUp(primaryUrl: string, replicaUrl: string, log: (m: string) => void): Promise<void> {
  const query = async (url: string, sql: string, values: unknown[] = []) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql, values)).rows[0] as Record<string, unknown>;
    } finally {
      await c.end();
    }
  };
  const { lsn } = await query(primaryUrl, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
  const t0 = performance.now();
  for (;;) {
    const r = await query(replicaUrl, 'SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn AS done', [lsn]);
    if (r.done) break;
    if (performance.now() - t0 > 600_000) throw new Error('the replica did not catch up within 10 minutes');
    await new Promise((res) => setTimeout(res, 500));
  }
  log(`replica caught up with the primary (${lsn}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const loadTilesBench: BenchModule = {
  name: 'load-tiles',
  description: 'dispute tile p95 while a full export and a bulk upload run ÷ tile p95 idle, without and with a replica',
  async run(ctx: BenchContext) {
    const n = Number(process.env.BENCH_LOAD_TILES_N) || (ctx.quick ? 100_000 : 1_000_000);
    const url = await scaleDatabase(ctx, n);
    const set = tiles();
    const rounds = ctx.quick ? 3 : 6;
    const csv = await screeningCsv(url, n);
    ctx.log(
      `load-tiles: ${set.length} tiles; upload of ${fmt(n)} screening rows (${(csv.length / 1e6).toFixed(0)} MB)`,
    );
    let idle: number[];
    let alone: UnderLoad;
    const app = await startApp(url, ctx.log);
    try {
      idle = await idleTiles(app, rounds);
      alone = await underLoad(app, csv, false);
    } finally {
      await app.stop();
    }
    ctx.log(
      `primary only: export ${fmt(alone.exported)} features in ${alone.exportSeconds.toFixed(1)} s; upload ` +
        `${fmt(alone.accepted)} rows in ${alone.uploadSeconds.toFixed(1)} s`,
    );

    const replicaUrl = (await ctx.replica?.(url)) ?? null;
    let idleReplica: number[] | null = null;
    let withReplica: UnderLoad | null = null;
    if (replicaUrl) {
      await caughtUp(url, replicaUrl, ctx.log);
      // A lag limit above what a 1M-row upload makes the replica fall behind by, so that the comparison measures
      // reads from the replica (how often it was in use is reported).
      const app2 = await startApp(url, ctx.log, {
        env: { DATABASE_READ_URL: replicaUrl, DATABASE_READ_MAX_LAG_S: '60', DATABASE_READ_CHECK_MS: '1000' },
      });
      try {
        const health = (await (await app2.fetch('/api/health')).json()) as {
          reads: { replicas: { inUse: boolean; reason: string | null }[] };
        };
        ctx.log(`replica: ${JSON.stringify(health.reads.replicas)}`);
        idleReplica = await idleTiles(app2, rounds);
        withReplica = await underLoad(app2, await screeningCsv(url, n), true);
      } finally {
        await app2.stop();
      }
      ctx.log(
        `reads on the replica: export ${fmt(withReplica.exported)} features in ${withReplica.exportSeconds.toFixed(1)} s; ` +
          `upload ${fmt(withReplica.accepted)} rows in ${withReplica.uploadSeconds.toFixed(1)} s; replica in use in ` +
          `${withReplica.replicaInUse} of ${withReplica.samples} health samples`,
      );
    } else {
      ctx.log('no replica (BENCH_DATABASE_URL without BENCH_DATABASE_READ_URL): primary only');
    }

    const p95Idle = percentile(idle, 95);
    const row = (phase: string, xs: number[], target: number | null) => {
      const ratio = percentile(xs, 95) / p95Idle;
      return [
        phase,
        xs.length,
        fmt(percentile(xs, 50), 1),
        fmt(percentile(xs, 95), 1),
        fmt(Math.max(...xs), 1),
        target === null ? ratio.toFixed(2) : `${ratio.toFixed(2)} ${ratio <= target ? 'ok' : 'MISSED'} (≤ ${target})`,
      ];
    };
    const rows: (string | number)[][] = [
      row('idle, primary only', idle, null),
      row('export + upload, primary only', alone.busy, LOAD_TILES_TARGET),
    ];
    const notes = [
      `ratio: p95 ÷ the idle primary-only p95; export ${alone.exportSeconds.toFixed(0)} s, upload ${alone.uploadSeconds.toFixed(0)} s (${fmt(alone.accepted)} rows)`,
    ];
    if (idleReplica && withReplica) {
      rows.push(row('idle, reads on the replica', idleReplica, null));
      rows.push(row('export + upload, reads on the replica', withReplica.busy, LOAD_TILES_REPLICA_TARGET));
      notes.push(
        `with the replica: export ${withReplica.exportSeconds.toFixed(0)} s, upload ${withReplica.uploadSeconds.toFixed(0)} s; ` +
          `replica in use in ${withReplica.replicaInUse} of ${withReplica.samples} /api/health samples; the replica runs ` +
          'on the same machine as the primary (same cores), so it adds no CPU',
      );
    } else {
      notes.push('no replica: the with-replica rows were not measured');
    }
    const table: BenchTable = {
      title: `Dispute tiles under load, N=${fmt(n)}: idle vs during a full export + a ${fmt(n)}-row upload (ms)`,
      columns: ['phase', 'tiles', 'p50', 'p95', 'max', 'ratio'],
      rows,
      notes,
    };
    return {
      tables: [table],
      data: { n, tiles: set, idle, alone, idleReplica, withReplica, replica: replicaUrl !== null },
    };
  },
};

export default loadTilesBench;
