import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { prepareDatabase } from '../bootstrap.js';
import { openPostgres } from '../db/postgres.js';
import { fromWgs84 } from '../domain/ingest/coordinates.js';
import { type BenchContext, type BenchModule, type BenchTable, fmt, startApp } from './harness.js';

/**
 * Screening upload throughput: a generated CSV (GCJ-02 coordinates, village codes, Chinese dates and labels)
 * POSTed to /api/uploads, against `psql COPY … FROM STDIN` of the same rows, already converted and resolved,
 * into the same table in the same run. The API also validates, converts coordinates, checks every point against
 * the village polygons, writes the risk items and the batch report; COPY writes the screenings rows only.
 * Target: API rows/s ÷ COPY rows/s ≥ 0.5. The rows stay (the bench database is throwaway and grows run by run).
 *
 * COPY runs once before the upload and once after it (fresh client ids each time), and the API is compared with
 * the mean of the two: on a shared machine the load drifts over the minutes of a run, and the table grows under
 * each step, so a single COPY measured first would flatter or penalise the API depending on which way the drift
 * went. Both COPY times are printed.
 */
export const INGEST_TARGET = 0.5;

const categories = ['邻里纠纷', '婚姻家庭', '山林土地', '劳资纠纷', '合同债务', '其他'];
const levels = ['红', '橙', '黄', '蓝'];

interface Village {
  code: string;
  town_code: string;
  lon: number;
  lat: number;
}

function psqlCopyIn(url: string, sql: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`psql exited ${code}`)),
    );
    child.stdin.end(body);
  });
}

const ingestBench: BenchModule = {
  name: 'ingest',
  description: 'screening CSV upload through the API vs psql COPY of the same rows',
  async run(ctx: BenchContext) {
    const n = ctx.quick ? 100_000 : 1_000_000;
    const db = openPostgres({ connectionString: ctx.databaseUrl, poolSize: 2, statementTimeoutMs: 3_600_000 });
    try {
      await prepareDatabase(db, 'auto', ctx.log);
      const villages = (
        await db.query<Village>(
          `SELECT code, parent_code AS town_code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat
           FROM admin_units WHERE level = 'village' ORDER BY code`,
        )
      ).rows;
      const run = randomUUID().slice(0, 8);
      const csv: string[] = ['村代码,排查日期,排查人,经度,纬度,零报告,隐患类别,风险等级,情况说明'];
      const copy: string[] = [];
      const copyAfter: string[] = [];
      for (let i = 0; i < n; i++) {
        const v = villages[i % villages.length] as Village;
        const [x, y] = fromWgs84(v.lon, v.lat, 'gcj02');
        const day = (i % 28) + 1;
        csv.push(
          `${v.code},2023年5月${day}日,bench-api-${run},${x.toFixed(7)},${y.toFixed(7)},否,${categories[i % 6]},${levels[i % 4]},第${i}条`,
        );
        const rest = `${v.code},${v.town_code},2023-05-${String(day).padStart(2, '0')},bench-copy-${run},SRID=4326;POINT(${v.lon} ${v.lat}),f`;
        copy.push(`${randomUUID()},${rest}`);
        copyAfter.push(`${randomUUID()},${rest}`);
      }
      const csvText = `${csv.join('\n')}\n`;
      ctx.log(`generated ${fmt(n)} rows (${(csvText.length / 1e6).toFixed(0)} MB of CSV)`);

      const copySql =
        'COPY screenings (client_id, village_code, town_code, screened_on, screener, geom, zero_report) FROM STDIN WITH (FORMAT csv)';
      const copyBefore = await psqlCopyIn(ctx.databaseUrl, copySql, `${copy.join('\n')}\n`);
      ctx.log(`COPY before the upload: ${fmt(n)} rows in ${copyBefore.toFixed(2)} s`);

      const app = await startApp(ctx.databaseUrl, ctx.log);
      let apiSeconds = 0;
      let accepted = 0;
      try {
        const form = new FormData();
        form.append('file', new Blob([csvText], { type: 'text/csv' }), 'bench.csv');
        const t0 = performance.now();
        const res = await app.fetch('/api/uploads?crs=gcj02', { method: 'POST', body: form });
        const body = (await res.json()) as { rowsAccepted?: number; message?: string };
        apiSeconds = (performance.now() - t0) / 1000;
        if (!res.ok) throw new Error(`upload failed: ${res.status} ${body.message}`);
        accepted = body.rowsAccepted ?? 0;
        ctx.log(`API: ${fmt(accepted)} rows in ${apiSeconds.toFixed(2)} s`);
      } finally {
        await app.stop();
      }
      const copyAfterSeconds = await psqlCopyIn(ctx.databaseUrl, copySql, `${copyAfter.join('\n')}\n`);
      ctx.log(`COPY after the upload: ${fmt(n)} rows in ${copyAfterSeconds.toFixed(2)} s`);
      const copySeconds = (copyBefore + copyAfterSeconds) / 2;
      const copyRate = n / copySeconds;
      const apiRate = accepted / apiSeconds;
      const table: BenchTable = {
        title: 'Screening upload: API (multipart CSV, GCJ-02, validation, village check, items) vs psql COPY',
        columns: ['rows', 'COPY rows/s', 'API rows/s', 'API ÷ COPY'],
        rows: [[fmt(n), fmt(Math.round(copyRate)), fmt(Math.round(apiRate)), (apiRate / copyRate).toFixed(2)]],
        notes: [
          `target API ÷ COPY ≥ ${INGEST_TARGET}; COPY = mean of ${copyBefore.toFixed(1)} s before and ${copyAfterSeconds.toFixed(1)} s after the upload's ${apiSeconds.toFixed(1)} s`,
        ],
      };
      return {
        tables: [table],
        data: {
          n,
          copyBefore,
          copyAfter: copyAfterSeconds,
          copySeconds,
          apiSeconds,
          accepted,
          ratio: apiRate / copyRate,
        },
      };
    } finally {
      await db.close();
    }
  },
};

export default ingestBench;
