import pg from 'pg';
import { type BenchDataResult, loadBenchData } from './data.js';
import type { BenchContext } from './harness.js';

/**
 * Databases of the scale benchmarks, one per size, next to the bench database on the same server
 * (`<bench db>_scale_<n>`), made with `loadBenchData` (20 counties) and kept for the rest of the run (and the
 * next run on the same server): a database that already holds exactly n generated disputes is reused.
 */
export const SCALE_COUNTIES = 20;

const made = new Map<string, Promise<string>>();

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function ensure(ctx: BenchContext, n: number): Promise<string> {
  const base = new URL(ctx.databaseUrl).pathname.slice(1) || 'bench';
  const name = `${base}_scale_${n}`;
  const url = withDatabase(ctx.databaseUrl, name);
  const admin = new pg.Client({ connectionString: withDatabase(ctx.databaseUrl, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let have = -1;
  try {
    const { rows } = await c.query<{ n: number; scale: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE case_no LIKE 'SCALE-%')::int AS scale FROM disputes`,
    );
    if (rows[0] && rows[0].n === rows[0].scale) have = rows[0].n;
  } catch {
    // not migrated yet
  } finally {
    await c.end();
  }
  if (have === n) {
    ctx.log(`${name}: reusing ${n.toLocaleString('en-US')} generated disputes`);
    return url;
  }
  ctx.log(`${name}: generating ${n.toLocaleString('en-US')} disputes over ${SCALE_COUNTIES} counties…`);
  const r: BenchDataResult = await loadBenchData(url, { disputes: n, counties: SCALE_COUNTIES, log: ctx.log });
  ctx.log(`${name}: ${r.towns} towns, COPY ${Math.round(r.disputes.rowsPerSecond).toLocaleString('en-US')} rows/s`);
  return url;
}

/** The URL of a database holding exactly `n` generated disputes (made once per run and server). */
export function scaleDatabase(ctx: BenchContext, n: number): Promise<string> {
  const key = `${ctx.databaseUrl}#${n}`;
  let p = made.get(key);
  if (!p) {
    p = ensure(ctx, n);
    made.set(key, p);
  }
  return p;
}

export async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
