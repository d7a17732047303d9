import type { FeatureCollection, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/domain/demo/rng.js';
import {
  CELL_SIZE_LADDER,
  cellAt,
  cellKey,
  packCell,
  storedGrid,
  unpackCell,
} from '../../server/domain/stats/hexgrid.js';
import { backends, getJson, openTestApp, type TestContext } from './harness.js';

type CellCollection = FeatureCollection<Polygon, { q: number; r: number; count: number; bin: number }> & {
  meta: { cellSize: number; requestedCellSize: number; studyCells: number };
};

class Rollback extends Error {}

/** mulberry32 (server/domain/demo/rng.ts), seeded: the same stream every run. */
const rng = mulberry32;

const columns = CELL_SIZE_LADDER.map((s) => `hex_${s}::text AS "${s}"`).join(', ');

describe.each(backends)('stored hex-cell ids on the %s database', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('fills every ladder size at insert with the cell cellAt computes, for random points', async () => {
    const random = rng(17);
    const lon: number[] = [];
    const lat: number[] = [];
    for (let i = 0; i < 2000; i++) {
      // The demo county and far beyond it (lon 104–120, lat 20–35), with full float precision.
      lon.push(i < 1000 ? 111.2 + random() * 0.9 : 104 + random() * 16);
      lat.push(i < 1000 ? 29.3 + random() * 0.5 : 20 + random() * 15);
    }
    let rows: Record<string, string>[] = [];
    await ctx.db
      .transaction(async (tx) => {
        // A plain INSERT naming none of the hex columns, as the cases API, uploads and COPY do.
        await tx.query(
          `INSERT INTO disputes (case_no, category, risk_level, status, reported_at, geom, town_code)
           SELECT 'HEX-' || p.i, 'neighbour', 'blue', 'reported', timestamptz '2030-03-01 10:00+08',
                  ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326),
                  (SELECT code FROM admin_units WHERE level = 'town' ORDER BY code LIMIT 1)
           FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, i)`,
          [lon, lat],
        );
        rows = (
          await tx.query<Record<string, string>>(
            `SELECT substr(case_no, 5)::int AS i, ${columns} FROM disputes WHERE case_no LIKE 'HEX-%' ORDER BY 1`,
          )
        ).rows;
        throw new Rollback();
      })
      .catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
    expect(rows).toHaveLength(2000);
    let mismatches = 0;
    for (const row of rows) {
      const i = Number(row.i) - 1;
      for (const size of CELL_SIZE_LADDER) {
        const want = cellAt(storedGrid(size), lon[i] as number, lat[i] as number);
        if (BigInt(row[String(size)] as string) !== packCell(want)) mismatches += 1;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('has the ids of the demo disputes loaded before and by the seed', async () => {
    const { rows } = await ctx.db.query<{ lon: number; lat: number; h: string }>(
      'SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, hex_1650::text AS h FROM disputes',
    );
    expect(rows.length).toBeGreaterThan(20_000);
    const grid = storedGrid(1650);
    const wrong = rows.filter((r) => cellKey(unpackCell(BigInt(r.h))) !== cellKey(cellAt(grid, r.lon, r.lat)));
    expect(wrong).toHaveLength(0);
  });

  for (const [label, query, size] of [
    ['the county at 1,650 m', 'cellSize=1650', 1650],
    ['one town, medical, zoom 11.5', 'zoom=11.5&town=430723108&category=medical', 600],
    [
      '2021 open cases, 1,000 m',
      'cellSize=1000&from=2021-01-01&to=2021-12-31&status=reported,accepted,mediating',
      1000,
    ],
  ] as const) {
    it(`answers hot spot counts per cell equal to binning the filtered points directly: ${label}`, async () => {
      const res = await getJson<CellCollection>(ctx.app, `/api/analytics/hotspots?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.meta.cellSize).toBe(size);
      // The same filter through the disputes' own columns, binned here with cellAt.
      const params = new URLSearchParams(query);
      const where: string[] = [];
      const values: unknown[] = [];
      if (params.get('town')) where.push(`town_code = $${values.push(params.get('town'))}`);
      if (params.get('category')) where.push(`category = $${values.push(params.get('category'))}`);
      if (params.get('status')) where.push(`status = ANY($${values.push(params.get('status')?.split(','))})`);
      if (params.get('from'))
        where.push(
          `reported_at >= ($${values.push(params.get('from'))}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`,
        );
      if (params.get('to'))
        where.push(
          `reported_at < ($${values.push(params.get('to'))}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`,
        );
      const { rows } = await ctx.db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM disputes ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
        values,
      );
      expect(rows.length).toBeGreaterThan(0);
      const grid = storedGrid(size);
      const want = new Map<string, number>();
      for (const p of rows) {
        const key = cellKey(cellAt(grid, p.lon, p.lat));
        want.set(key, (want.get(key) ?? 0) + 1);
      }
      const got = new Map<string, number>();
      for (const f of res.body.features) if (f.properties.count > 0) got.set(cellKey(f.properties), f.properties.count);
      expect(got).toEqual(want);
    });
  }

  it('snaps a requested size to the ladder and says so', async () => {
    const res = await getJson<CellCollection>(ctx.app, '/api/analytics/hotspots?cellSize=1500');
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ cellSize: 1650, requestedCellSize: 1500 });
    const density = await getJson<CellCollection>(ctx.app, '/api/analytics/density?cellSize=20000');
    expect(density.body.meta).toMatchObject({ cellSize: 7500, requestedCellSize: 20_000 });
  });
});
