import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../server/db/index.js';
import { disputeHexCounts, hexCountsFromRollup } from '../../server/db/queries/analytics.js';
import type { DisputeFilter } from '../../server/db/queries/filters.js';
import { disputeTile, tileFromRollup } from '../../server/db/queries/tiles.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

/** The XYZ tile containing a lon/lat at zoom z (Web Mercator). */
function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { z, x, y };
}

/** A tile's features by cell: count, open, risk level and (for a single case) its id. */
async function cells(db: Queryable, filter: DisputeFilter, t: { z: number; x: number; y: number }, raw: boolean) {
  const q = disputeTile(filter, t.z, t.x, t.y, undefined, { source: raw ? 'disputes' : 'auto' }).features;
  const rollup = q.text.includes('dispute_tile_counts');
  expect(rollup && (raw || !tileFromRollup(filter, t.z))).toBe(false);
  const { rows } = await db.query<Record<string, unknown>>(q.text, q.values);
  const byCell = Object.fromEntries(
    rows
      .map((r) => [`${r.cx},${r.cy}`, `${r.count} ${r.open} ${r.riskLevel} ${r.id ?? '-'} ${r.status ?? '-'}`])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
  return { rollup, byCell };
}

/** Rows of `dispute_tile_counts` at a level that differ from the same counts made from scratch from the disputes. */
async function rollupDrift(db: Queryable, level: number) {
  const key = (t: string) =>
    `${t}.grain || ' ' || ${t}.period::text || ' ' || ${t}.category || ' ' || ${t}.cx || ' ' || ${t}.cy || ' ' || ${t}.open`;
  const vals = (t: string) =>
    `${t}.n || ' ' || ${t}.red || ' ' || ${t}.orange || ' ' || ${t}.yellow || ' ' || ${t}.sid::text`;
  const { rows } = await db.query<{ k: string; a: string | null; b: string | null; dx: number | null }>(
    `WITH d AS (
       SELECT tile_cell_x(ST_X(geom), $1) AS cx, tile_cell_y(ST_Y(geom), $1) AS cy,
              (reported_at AT TIME ZONE 'Asia/Shanghai') AS local, category, risk_level, id,
              status IN ('reported', 'accepted', 'mediating') AS open, radians(ST_X(geom)) * 6378137 AS mx
       FROM disputes
     ), fresh AS (
       SELECT g.grain, CASE g.grain WHEN 'a' THEN date '0001-01-01' WHEN 'y' THEN date_trunc('year', d.local)::date
                                    ELSE date_trunc('month', d.local)::date END AS period,
              CASE WHEN k.every THEN '' ELSE d.category END AS category, d.cx, d.cy, d.open,
              count(*)::int AS n, count(*) FILTER (WHERE d.risk_level = 'red')::int AS red,
              count(*) FILTER (WHERE d.risk_level = 'orange')::int AS orange,
              count(*) FILTER (WHERE d.risk_level = 'yellow')::int AS yellow, sum(d.id)::bigint AS sid,
              sum(d.mx) AS sx
       FROM d CROSS JOIN (VALUES ('a'), ('y'), ('m')) g (grain) CROSS JOIN (VALUES (true), (false)) k (every)
       -- The finer levels hold all time and every category only (migration 170).
       WHERE $1 <= 16 OR (g.grain = 'a' AND k.every)
       GROUP BY 1, 2, 3, 4, 5, 6
     ), kept AS (
       SELECT * FROM dispute_tile_counts WHERE lvl = $1 AND (n <> 0 OR red <> 0 OR orange <> 0 OR yellow <> 0 OR sid <> 0)
     )
     SELECT coalesce(${key('f')}, ${key('k')}) AS k, ${vals('f')} AS a, ${vals('k')} AS b, abs(f.sx - k.sx) AS dx
     FROM fresh f FULL JOIN kept k USING (grain, period, category, cx, cy, open)
     WHERE f.n IS DISTINCT FROM k.n OR f.red IS DISTINCT FROM k.red OR f.orange IS DISTINCT FROM k.orange
        OR f.yellow IS DISTINCT FROM k.yellow OR f.sid IS DISTINCT FROM k.sid OR abs(f.sx - k.sx) > 0.01
     LIMIT 5`,
    [level],
  );
  return rows;
}

/** Hexagon counts of a filter from the rollup and from the disputes, sorted, for the undated dashboard filters. */
async function expectHexEqual(db: Queryable) {
  let cellsSeen = 0;
  for (const size of [250, 400, 1650, 7500] as const) {
    for (const f of filters.filter((x) => !x.from && !x.to)) {
      const a = disputeHexCounts(f, size);
      const b = disputeHexCounts(f, size, { source: 'disputes' });
      expect(hexCountsFromRollup(f)).toBe(true);
      expect(a.text).toContain('dispute_hex_counts');
      expect(b.text).not.toContain('dispute_hex_counts');
      const sort = (rows: Record<string, unknown>[]) =>
        rows.map((r) => `${r.q} ${r.r} ${r.count}`).sort((x, y) => x.localeCompare(y));
      const rollup = sort((await db.query(a.text, a.values)).rows);
      expect(rollup, `${size} ${JSON.stringify(f)}`).toEqual(sort((await db.query(b.text, b.values)).rows));
      cellsSeen += rollup.length;
    }
  }
  expect(cellsSeen).toBeGreaterThan(100);
}

const seat = { lon: 111.758, lat: 29.633 };

const filters: DisputeFilter[] = [
  {},
  { statuses: ['reported', 'accepted', 'mediating'] },
  { statuses: ['resolved', 'failed', 'referred'], categories: ['neighbour', 'land_forest'] },
  { categories: ['marriage_family'] },
  { from: '2021-01-01', to: '2022-12-31' },
  { from: '2021-03-01', to: '2021-08-31', statuses: ['resolved', 'failed', 'referred'] },
  { from: '2021-03-15', to: '2022-08-10' },
  { from: '2022-02-27', to: '2022-03-02', categories: ['neighbour'], statuses: ['reported', 'accepted', 'mediating'] },
  { from: '2022-06-01' },
];

describe.each(backends)('dispute tile rollup (%s)', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
  });
  afterAll(() => ctx?.close());

  async function expectTilesEqual(zooms: number[], fs: DisputeFilter[]) {
    let features = 0;
    let singles = 0;
    let fromRollup = 0;
    for (const z of zooms) {
      const t = tileOf(seat.lon, seat.lat, z);
      for (const f of fs) {
        const rollup = await cells(ctx.db, f, t, false);
        const exact = await cells(ctx.db, f, t, true);
        expect(rollup.byCell, `z${z} ${JSON.stringify(f)}`).toEqual(exact.byCell);
        if (rollup.rollup) fromRollup += 1;
        features += Object.keys(rollup.byCell).length;
        singles += Object.values(rollup.byCell).filter((v) => String(v).startsWith('1 ')).length;
      }
    }
    expect(features).toBeGreaterThan(100);
    expect(singles).toBeGreaterThan(0);
    expect(fromRollup).toBeGreaterThan(zooms.length);
  }

  it('builds tiles from the rollup with exactly the cells of the disputes, for every dashboard filter', async () => {
    await expectTilesEqual([5, 9, 12, 14], filters);
  });

  it('counts hot spot and heat hexagons from their rollup exactly as the disputes', async () => {
    await expectHexEqual(ctx.db);
  });

  it('holds what the disputes hold at every level', async () => {
    for (const level of [6, 13, 16, 19]) expect(await rollupDrift(ctx.db, level)).toEqual([]);
  });

  it('stays equal to the disputes through case creation, transitions, edits, moves, reopening, bulk loads and deletes', async () => {
    const post = async (url: string, payload: object, method: 'POST' | 'PATCH' = 'POST') => {
      const res = await ctx.app.inject({ method, url, payload });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json() as { id: number; version: number; status: string };
    };
    const { rows } = await ctx.db.query<{ id: number; town: string }>(
      `SELECT id, town_code AS town FROM stations WHERE kind = 'police_station' ORDER BY id LIMIT 1`,
    );
    const station = Number(rows[0]?.id);
    let c = await post('/api/disputes', {
      category: 'neighbour',
      riskLevel: 'red',
      lon: seat.lon + 0.001,
      lat: seat.lat,
      stationId: station,
      summary: '瓦片汇总测试',
    });
    const other = await post('/api/disputes', {
      category: 'medical',
      riskLevel: 'blue',
      lon: seat.lon - 0.02,
      lat: seat.lat + 0.01,
      stationId: station,
      summary: '瓦片汇总测试',
    });
    for (const [to, extra] of [['accepted'], ['mediating'], ['resolved', { level: 'village' }]] as const) {
      c = await post(`/api/disputes/${c.id}/transitions`, { version: c.version, to, ...(extra ?? {}) });
    }
    c = await post(
      `/api/disputes/${c.id}`,
      { version: c.version, lon: seat.lon + 0.03, lat: seat.lat - 0.01, category: 'land_forest' },
      'PATCH',
    );
    await post(`/api/disputes/${c.id}/reopen`, { version: c.version, note: '又起冲突' });
    await post(`/api/disputes/${other.id}`, { version: other.version, riskLevel: 'orange', summary: '改' }, 'PATCH');
    // A bulk load (COPY on the server), then a multi-row update and delete.
    await ctx.db.transaction(async (tx) => {
      await tx.copyRows(
        'disputes',
        [
          { name: 'case_no', type: 'text' },
          { name: 'category', type: 'text' },
          { name: 'risk_level', type: 'text' },
          { name: 'status', type: 'text' },
          { name: 'reported_at', type: 'date' },
          { name: 'geom', type: 'geometry' },
          { name: 'town_code', type: 'text' },
        ],
        Array.from({ length: 300 }, (_, i) => [
          `TILE-BULK-${i}`,
          i % 2 ? 'contract_debt' : 'neighbour',
          ['red', 'orange', 'yellow', 'blue'][i % 4] as string,
          'reported',
          `2022-0${1 + (i % 9)}-${10 + (i % 19)}`,
          `SRID=4326;POINT(${seat.lon + (i % 17) * 0.0007} ${seat.lat + (i % 13) * 0.0005})`,
          String(rows[0]?.town),
        ]),
      );
    });
    await ctx.db.query(
      `UPDATE disputes SET geom = ST_Translate(geom, 0.004, 0.002), category = 'other'
       WHERE case_no LIKE 'TILE-BULK-%' AND id % 3 = 0`,
    );
    await ctx.db.query(`DELETE FROM disputes WHERE case_no LIKE 'TILE-BULK-%' AND id % 5 = 0`);
    for (const level of [6, 14, 21]) expect(await rollupDrift(ctx.db, level), `level ${level}`).toEqual([]);
    await expectHexEqual(ctx.db);
    await expectTilesEqual(
      [7, 12, 14],
      [{}, ...filters.slice(2, 3), ...filters.slice(7, 8), { from: '2022-03-15', to: '2022-05-02' }],
    );
  });

  it('answers the next tile request with what a write changed, and 304 while nothing under the tile did', async () => {
    const at = { lon: seat.lon + 0.05, lat: seat.lat + 0.02 };
    const t = tileOf(at.lon, at.lat, 12);
    const url = `/tiles/disputes/${t.z}/${t.x}/${t.y}.mvt?status=open`;
    const get = async (tag?: string) => {
      const res = await ctx.app.inject({ method: 'GET', url, headers: tag ? { 'if-none-match': tag } : {} });
      const layer = res.statusCode === 200 ? new VectorTile(new PbfReader(res.rawPayload)).layers.disputes : undefined;
      let cases = 0;
      for (let i = 0; i < (layer?.length ?? 0); i++) cases += layer?.feature(i).properties.count as number;
      return { status: res.statusCode, tag: String(res.headers.etag), cache: res.headers['cache-control'], cases };
    };
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.cache).toContain('no-cache');
    expect(first.tag).toMatch(/^"/);
    const again = await get(first.tag);
    expect(again.status).toBe(304);
    expect(again.tag).toBe(first.tag);

    const { rows } = await ctx.db.query<{ id: number }>(
      `SELECT id FROM stations WHERE kind = 'police_station' ORDER BY id LIMIT 1`,
    );
    const far = (
      await ctx.db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units
         WHERE level = 'village' AND ST_X(label_point) < $1 ORDER BY code LIMIT 1`,
        [seat.lon - 0.2],
      )
    ).rows[0] as { lon: number; lat: number };
    const post = async (u: string, payload: object, method: 'POST' | 'PATCH' = 'POST') => {
      const res = await ctx.app.inject({ method, url: u, payload });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json() as { id: number; version: number };
    };
    // A case 30 km away changes nothing here.
    await post('/api/disputes', {
      category: 'other',
      riskLevel: 'blue',
      ...far,
      stationId: Number(rows[0]?.id),
      summary: '远处',
    });
    expect((await get(first.tag)).status).toBe(304);

    let c = await post('/api/disputes', {
      category: 'neighbour',
      riskLevel: 'yellow',
      ...at,
      stationId: Number(rows[0]?.id),
      summary: '新鲜度测试',
    });
    const created = await get(first.tag);
    expect(created.status).toBe(200);
    expect(created.tag).not.toBe(first.tag);
    expect(created.cases).toBe(first.cases + 1);
    expect((await get(created.tag)).status).toBe(304);

    c = await post(`/api/disputes/${c.id}/transitions`, { version: c.version, to: 'accepted' });
    const accepted = await get(created.tag);
    expect(accepted.status).toBe(200);
    expect(accepted.cases).toBe(created.cases);

    c = await post(`/api/disputes/${c.id}/transitions`, { version: c.version, to: 'mediating' });
    c = await post(`/api/disputes/${c.id}/transitions`, { version: c.version, to: 'resolved', level: 'village' });
    const resolved = await get(accepted.tag);
    expect(resolved.status).toBe(200);
    expect(resolved.cases).toBe(first.cases);

    await post(`/api/disputes/${c.id}/reopen`, { version: c.version, note: '又起' });
    const reopened = await get(resolved.tag);
    expect(reopened.cases).toBe(first.cases + 1);
    const moved = await ctx.db.query<{ id: number; version: number }>(
      `SELECT id::int AS id, version FROM disputes WHERE reopened_from_id = $1`,
      [c.id],
    );
    const r = moved.rows[0] as { id: number; version: number };
    await post(`/api/disputes/${r.id}`, { version: r.version, ...far }, 'PATCH');
    const away = await get(reopened.tag);
    expect(away.status).toBe(200);
    expect(away.cases).toBe(first.cases);
  });
});
