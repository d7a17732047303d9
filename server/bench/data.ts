import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { prepareDatabase } from '../bootstrap.js';
import { openPostgres } from '../db/postgres.js';
import { mulberry32 } from '../domain/demo/rng.js';
import { disputeCategories } from '../domain/vocabulary.js';

/**
 * Province-sized synthetic data for the scale benchmarks (`npm run bench:data`): the demo county (Lixian, 430723)
 * plus `counties − 1` synthetic copies of it laid out on a grid east and south of it (codes 439001…, names marked
 * 合成 / synthetic), then exactly `disputes` synthetic disputes and `screenings` synthetic screenings spread over
 * all their villages, loaded with COPY FROM STDIN (pg-copy-streams). Deterministic: a seeded generator, so the
 * same arguments make the same rows. The demo's own cases and screenings are removed first (TRUNCATE … CASCADE):
 * point it only at a throwaway bench database.
 */
export interface BenchDataOptions {
  disputes: number;
  screenings?: number;
  counties?: number;
  log?: (m: string) => void;
}

export interface BenchDataResult {
  disputes: { rows: number; seconds: number; rowsPerSecond: number };
  screenings: { rows: number; seconds: number; rowsPerSecond: number };
  counties: number;
  towns: number;
  villages: number;
}

const DEMO = '430723';
/** Grid step between county copies, a little more than the demo county's bounding box (0.8° × 0.46°). */
const STEP_LON = 0.9;
const STEP_LAT = 0.55;

/** mulberry32 (server/domain/demo/rng.ts), seeded: the same stream every run. */
const rng = mulberry32;

export const syntheticCountyCode = (k: number) => (k === 0 ? DEMO : String(439000 + k));

/** Adds the synthetic counties 1…k−1 (idempotent): every demo admin unit translated, its code re-prefixed. */
async function ensureCounties(client: pg.Client, counties: number) {
  const cols = Math.ceil(Math.sqrt(counties));
  for (let k = 1; k < counties; k++) {
    const code = syntheticCountyCode(k);
    const dx = (k % cols) * STEP_LON;
    const dy = -Math.floor(k / cols) * STEP_LAT;
    // Parents first (county, town, village: the code lengths order them).
    await client.query(
      `INSERT INTO admin_units (code, name, level, parent_code, geom, label_point)
       SELECT $1 || substr(code, 7), left('合成' || $2 || '·' || name || ' (synthetic)', 100), level,
              CASE WHEN parent_code IS NULL THEN NULL ELSE $1 || substr(parent_code, 7) END,
              ST_Translate(geom, $3, $4), ST_Translate(label_point, $3, $4)
       FROM admin_units WHERE code LIKE '${DEMO}%'
       ORDER BY length(code), code
       ON CONFLICT (code) DO NOTHING`,
      [code, String(k), dx, dy],
    );
  }
}

interface Village {
  code: string;
  town: string;
  lon: number;
  lat: number;
}

const OPEN = ['reported', 'accepted', 'mediating'] as const;
const LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
const T0 = Date.parse('2019-01-01T00:00:00+08:00');
const SPAN = Date.parse('2023-05-17T00:00:00+08:00') - T0;

function* disputeLines(n: number, villages: Village[], seed: number): Generator<string> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  let chunk: string[] = [];
  for (let i = 1; i <= n; i++) {
    const v = villages[Math.floor(r() * villages.length)] as Village;
    const reported = T0 + Math.floor(r() * SPAN);
    const u = r();
    // ≈ 86 % resolved, 4 % failed, 3 % referred, 7 % open, as the demo's statistics.
    const status = u < 0.86 ? 'resolved' : u < 0.9 ? 'failed' : u < 0.93 ? 'referred' : pick(OPEN);
    const w = r();
    const level = status === 'resolved' ? (w < 0.7 ? 'village' : w < 0.93 ? 'town' : 'county') : '\\N';
    const referral = status === 'referred' ? pick(['litigation', 'arbitration', 'public_security_case']) : '\\N';
    const accepted = status === 'reported' ? '\\N' : new Date(reported + 3_600_000 * (1 + r() * 24)).toISOString();
    const closed = status === 'resolved' ? new Date(reported + 86_400_000 * (1 + r() * 40)).toISOString() : '\\N';
    const lon = v.lon + (r() - 0.5) * 0.012;
    const lat = v.lat + (r() - 0.5) * 0.01;
    chunk.push(
      `${i}\tSCALE-${i}\t${pick(disputeCategories)}\t${pick(LEVELS)}\t${status}\tjoint\t${level}\t${referral}\t` +
        `${new Date(reported).toISOString()}\t${accepted}\t${closed}\tSRID=4326;POINT(${lon.toFixed(6)} ${lat.toFixed(6)})\t` +
        `${v.code}\t${v.town}\t\n`,
    );
    if (chunk.length === 5000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

function* screeningLines(n: number, villages: Village[], seed: number): Generator<string> {
  const r = rng(seed);
  let chunk: string[] = [];
  const hex = () =>
    Math.floor(r() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  for (let i = 1; i <= n; i++) {
    const v = villages[Math.floor(r() * villages.length)] as Village;
    const day = new Date(T0 + Math.floor(r() * SPAN) + 8 * 3_600_000).toISOString().slice(0, 10);
    const id = `${hex()}-${hex().slice(0, 4)}-4${hex().slice(0, 3)}-8${hex().slice(0, 3)}-${hex()}${hex().slice(0, 4)}`;
    const lon = v.lon + (r() - 0.5) * 0.004;
    const lat = v.lat + (r() - 0.5) * 0.004;
    chunk.push(
      `${id}\t${v.code}\t${v.town}\t${day}\tscale-${i % 500}\tSRID=4326;POINT(${lon.toFixed(6)} ${lat.toFixed(6)})\t${r() < 0.6 ? 't' : 'f'}\n`,
    );
    if (chunk.length === 5000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

async function copyIn(client: pg.Client, sql: string, lines: Iterable<string>): Promise<number> {
  const t0 = performance.now();
  await pipeline(lines, client.query(copyFrom(sql)));
  return (performance.now() - t0) / 1000;
}

export async function loadBenchData(url: string, o: BenchDataOptions): Promise<BenchDataResult> {
  const log = o.log ?? (() => {});
  const counties = Math.max(1, Math.floor(o.counties ?? 1));
  const screenings = Math.max(0, Math.floor(o.screenings ?? 0));
  // Migrations and the demo county (its admin units are the template of the synthetic ones).
  const db = openPostgres({ connectionString: url, poolSize: 1, statementTimeoutMs: 3_600_000 });
  try {
    await prepareDatabase(db, 'auto', log);
  } finally {
    await db.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET statement_timeout = 0');
    await ensureCounties(client, counties);
    const prefixes = Array.from({ length: counties }, (_, k) => syntheticCountyCode(k));
    const villages = (
      await client.query<Village>(
        `SELECT code, parent_code AS town, ST_X(label_point) AS lon, ST_Y(label_point) AS lat
         FROM admin_units WHERE level = 'village' AND left(code, 6) = ANY($1::text[]) ORDER BY code`,
        [prefixes],
      )
    ).rows;
    const towns = new Set(villages.map((v) => v.town)).size;
    log(`${counties} counties, ${towns} towns, ${villages.length} villages`);

    await client.query('TRUNCATE disputes, screenings RESTART IDENTITY CASCADE');
    const dSeconds = await copyIn(
      client,
      `COPY disputes (id, case_no, category, risk_level, status, mediation_channel, resolution_level, referral_kind,
                      reported_at, accepted_at, resolved_at, geom, village_code, town_code, summary) FROM STDIN`,
      disputeLines(o.disputes, villages, 9),
    );
    log(`disputes: ${o.disputes} rows in ${dSeconds.toFixed(1)} s (${Math.round(o.disputes / dSeconds)} rows/s)`);
    let sSeconds = 0;
    if (screenings > 0) {
      sSeconds = await copyIn(
        client,
        'COPY screenings (client_id, village_code, town_code, screened_on, screener, geom, zero_report) FROM STDIN',
        screeningLines(screenings, villages, 11),
      );
      log(`screenings: ${screenings} rows in ${sSeconds.toFixed(1)} s (${Math.round(screenings / sSeconds)} rows/s)`);
    }
    await client.query(`SELECT setval(pg_get_serial_sequence('disputes', 'id'), greatest(1, $1::bigint))`, [
      o.disputes,
    ]);
    await client.query('VACUUM ANALYZE disputes');
    await client.query('VACUUM ANALYZE dispute_counts');
    await client.query('VACUUM ANALYZE screenings');
    return {
      disputes: { rows: o.disputes, seconds: dSeconds, rowsPerSecond: o.disputes / dSeconds },
      screenings: { rows: screenings, seconds: sSeconds, rowsPerSecond: sSeconds > 0 ? screenings / sSeconds : 0 },
      counties,
      towns,
      villages: villages.length,
    };
  } finally {
    await client.end();
  }
}
