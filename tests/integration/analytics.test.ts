import type { FeatureCollection, Point, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../server/db/index.js';
import { cellAt } from '../../server/domain/stats/hexgrid.js';
import { computeHotspots } from '../../server/services/analytics/index.js';
import { backends, getJson, openTestApp, type TestContext } from './harness.js';

interface Kpis {
  found: number;
  resolved: number;
  open: number;
  resolvedAtVillage: number;
  resolvedAtTown: number;
  successRate: number | null;
  villageLevelRate: number | null;
  townLevelRate: number | null;
}
interface Summary {
  total: Kpis;
  towns: (Kpis & { code: string; name: string })[];
}
type CellCollection = FeatureCollection<Polygon, { q: number; r: number; count: number; z: number; bin: number }> & {
  meta: { cellSize: number; neighbourhood: string; hot99: number; studyCells: number };
};
interface ErrorBody {
  statusCode: number;
  field?: string;
  message: string;
}

class Rollback extends Error {}

/**
 * Runs `fn` on fixture disputes inside a transaction that is rolled back, so that the shared server database
 * (and the private embedded copy) keep the demo county unchanged. Fixture cases are dated 2030, after every demo
 * case, so that a 2030 date filter sees only them.
 */
async function withFixture<T>(ctx: TestContext, inserts: string[], fn: (tx: Queryable) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await ctx.db
    .transaction(async (tx) => {
      for (const insert of inserts) await tx.query(insert);
      result = await fn(tx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return result as T;
}

const INSERT_POINTS = (label: string, points: string) => `
  INSERT INTO disputes (case_no, category, risk_level, status, reported_at, geom, town_code)
  SELECT '${label}-' || row_number() OVER (), 'neighbour', 'blue', 'reported', timestamptz '2030-03-01 10:00+08',
         pt, (SELECT code FROM admin_units WHERE level = 'town' ORDER BY code LIMIT 1)
  FROM (SELECT (ST_Dump(${points})).geom AS pt) p`;
const COUNTY = `(SELECT geom FROM admin_units WHERE level = 'county')`;
const CENTRE = `(SELECT ST_PointOnSurface(geom) FROM admin_units WHERE level = 'county')`;
const FIXTURE_FILTER = { from: '2030-01-01', to: '2030-12-31' };

describe.each(backends)('analytics on the %s database', (backend) => {
  let ctx: TestContext;
  let summary: Summary;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
    summary = (await getJson<Summary>(ctx.app, '/api/summary')).body;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('finds a planted cluster hot at 99 % among random background points', async () => {
    const insert = [
      INSERT_POINTS('HOT-BG', `ST_GeneratePoints(${COUNTY}, 1500, 7)`),
      INSERT_POINTS('HOT-CL', `ST_GeneratePoints(ST_Buffer(${CENTRE}::geography, 1500)::geometry, 300, 11)`),
    ];
    const { result, centre } = await withFixture(ctx, insert, async (tx) => {
      const c = await tx.query<{ lon: number; lat: number }>(`SELECT ST_X(${CENTRE}) AS lon, ST_Y(${CENTRE}) AS lat`);
      return {
        result: await computeHotspots(tx, 1000, 'disputes', FIXTURE_FILTER),
        centre: c.rows[0] as { lon: number; lat: number },
      };
    });
    expect(result.cells.reduce((s, c) => s + c.count, 0)).toBe(1800);
    const home = cellAt(result.grid, centre.lon, centre.lat);
    const cell = result.cells.find((c) => c.q === home.q && c.r === home.r);
    expect(cell?.bin).toBe(3);
    // Hot cells lie around the cluster, not scattered over the county: within 4 km of the centre.
    const hot = result.cells.filter((c) => c.bin > 0);
    expect(hot.length).toBeGreaterThan(0);
    for (const c of hot) {
      const dq = c.q - home.q;
      const dr = c.r - home.r;
      expect((Math.abs(dq) + Math.abs(dr) + Math.abs(dq + dr)) / 2).toBeLessThanOrEqual(3);
    }
  });

  it('keeps false hot cells near zero on spatially random data (FDR)', async () => {
    const insert = [INSERT_POINTS('HOT-RND', `ST_GeneratePoints(${COUNTY}, 3000, 23)`)];
    const result = await withFixture(ctx, insert, (tx) => computeHotspots(tx, 1000, 'disputes', FIXTURE_FILTER));
    expect(result.cells.reduce((s, c) => s + c.count, 0)).toBe(3000);
    expect(result.studyCells).toBeGreaterThan(500);
    const hot = result.cells.filter((c) => c.bin > 0).length;
    // Without correction about 5 % of ~800 cells would pass at 95 %; FDR keeps the false discoveries near 0.
    expect(hot / result.studyCells).toBeLessThan(0.01);
  });

  it('serves hot spot cells of the demo county with their neighbourhood and counts that add up', async () => {
    const res = await getJson<CellCollection>(ctx.app, '/api/analytics/hotspots?cellSize=1500');
    expect(res.status).toBe(200);
    expect(res.body.meta.neighbourhood).toMatch(/k-ring 1/);
    expect(res.body.features.reduce((s, f) => s + f.properties.count, 0)).toBe(summary.total.found);
    expect(res.body.features.some((f) => f.properties.bin === 3)).toBe(true);
    expect(res.body.features.filter((f) => f.properties.bin === 3)).toHaveLength(res.body.meta.hot99);
    const town = summary.towns[0] as Kpis & { code: string };
    const one = await getJson<CellCollection>(
      ctx.app,
      `/api/analytics/hotspots?zoom=11&town=${town.code}&category=medical`,
    );
    expect(one.status).toBe(200);
    const medical = await getJson<Summary>(ctx.app, `/api/summary?town=${town.code}&category=medical`);
    expect(one.body.features.reduce((s, f) => s + f.properties.count, 0)).toBe(medical.body.total.found);
  });

  it('bins screening risk items as their own layer', async () => {
    const res = await getJson<CellCollection>(ctx.app, '/api/analytics/hotspots?source=risks&cellSize=2000');
    expect(res.status).toBe(200);
    const { rows } = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM screening_items i JOIN screenings s ON s.id = i.screening_id WHERE s.geom IS NOT NULL',
    );
    expect(res.body.features.reduce((s, f) => s + f.properties.count, 0)).toBe(rows[0]?.n);
  });

  it('gives heat weights between 0 and 1 that add up to the disputes found', async () => {
    const res = await getJson<FeatureCollection<Point, { count: number; weight: number }>>(
      ctx.app,
      '/api/analytics/density?cellSize=500',
    );
    expect(res.status).toBe(200);
    expect(res.body.features.reduce((s, f) => s + f.properties.count, 0)).toBe(summary.total.found);
    expect(Math.max(...res.body.features.map((f) => f.properties.weight))).toBe(1);
  });

  it('labels emerging hot spots with a trend', async () => {
    const res = await getJson<FeatureCollection<Polygon, { pattern: string; trendZ: number }>>(
      ctx.app,
      '/api/analytics/emerging?cellSize=2000',
    );
    expect(res.status).toBe(200);
    expect(res.body.features.length).toBeGreaterThan(0);
    for (const f of res.body.features) {
      expect(['new', 'intensifying', 'persistent', 'diminishing']).toContain(f.properties.pattern);
      if (f.properties.pattern === 'intensifying') expect(f.properties.trendZ).toBeGreaterThan(0);
    }
  });

  it('lists open cases aged against the as-of day with overdue flags, and counts per town', async () => {
    const res = await getJson<{
      cases: FeatureCollection<Point, { ageDays: number; limitDays: number; overdue: boolean; riskLevel: string }>;
      towns: { code: string; open: number; overdue: number }[];
      villages: { code: string; open: number }[];
    }>(ctx.app, '/api/analytics/unresolved');
    expect(res.status).toBe(200);
    expect(res.body.cases.features).toHaveLength(summary.total.open);
    for (const f of res.body.cases.features) {
      expect(f.properties.ageDays).toBeGreaterThanOrEqual(0);
      expect(f.properties.overdue).toBe(f.properties.ageDays > f.properties.limitDays);
    }
    expect(res.body.towns.reduce((s, t) => s + t.open, 0)).toBe(summary.total.open);
    expect(res.body.villages.reduce((s, v) => s + v.open, 0)).toBeLessThanOrEqual(summary.total.open);
    const overdue = res.body.cases.features.filter((f) => f.properties.overdue).length;
    expect(res.body.towns.reduce((s, t) => s + t.overdue, 0)).toBe(overdue);
  });

  it('reports the resolution levels per town and county with the counts they come from', async () => {
    const res = await getJson<{ county: Kpis; towns: (Kpis & { code: string })[] }>(
      ctx.app,
      '/api/analytics/resolution-levels',
    );
    expect(res.status).toBe(200);
    expect(res.body.county.resolved).toBe(summary.total.resolved);
    expect(res.body.county.villageLevelRate).toBeCloseTo(summary.total.villageLevelRate as number, 10);
    expect(res.body.county.townLevelRate).toBeCloseTo(
      (res.body.county.resolvedAtVillage + res.body.county.resolvedAtTown) / res.body.county.resolved,
      10,
    );
    expect(res.body.towns).toHaveLength(summary.towns.length);
  });

  it('gives monthly found / resolved / open that agree with the KPIs', async () => {
    const res = await getJson<{
      months: string[];
      series: { town: string | null; found: number[]; resolved: number[]; open: number[] }[];
    }>(ctx.app, '/api/analytics/monthly');
    expect(res.status).toBe(200);
    const [county] = res.body.series;
    expect(res.body.months[0]).toBe('2018-01');
    expect(res.body.months.at(-1)).toBe('2023-05');
    expect(county?.found.reduce((a, b) => a + b, 0)).toBe(summary.total.found);
    expect(county?.resolved.reduce((a, b) => a + b, 0)).toBe(summary.total.resolved);
    expect(county?.open.at(-1)).toBe(summary.total.open);
    const byTown = await getJson<{ series: { town: string; found: number[] }[] }>(
      ctx.app,
      '/api/analytics/monthly?by=town',
    );
    expect(byTown.body.series).toHaveLength(summary.towns.filter((t) => t.found > 0).length);
  });

  it('counts reports by weekday and hour, and by category', async () => {
    const wh = await getJson<{ counts: number[][] }>(ctx.app, '/api/analytics/weekday-hour');
    expect(wh.body.counts).toHaveLength(7);
    expect(wh.body.counts.flat().reduce((a, b) => a + b, 0)).toBe(summary.total.found);
    const cats = await getJson<{ categories: { category: string; found: number; open: number }[] }>(
      ctx.app,
      '/api/analytics/categories',
    );
    expect(cats.body.categories.reduce((s, c) => s + c.found, 0)).toBe(summary.total.found);
    expect(cats.body.categories.reduce((s, c) => s + c.open, 0)).toBe(summary.total.open);
  });

  it("finds the article's medical dispute through its village and shows its history", async () => {
    const towns = await getJson<{ units: { code: string; name: string }[] }>(
      ctx.app,
      '/api/analytics/units?level=town',
    );
    const wangjiachang = towns.body.units.find((u) => u.name === '王家厂镇');
    expect(wangjiachang).toBeDefined();
    const villages = await getJson<{ units: { code: string; found: number }[] }>(
      ctx.app,
      `/api/analytics/units?level=village&town=${wangjiachang?.code}&category=medical&from=2021-05-25&to=2021-05-25`,
    );
    const village = villages.body.units.find((v) => v.found > 0);
    expect(village).toBeDefined();
    const list = await getJson<{ items: { id: number; caseNo: string }[] }>(
      ctx.app,
      `/api/disputes?village=${village?.code}&category=medical&limit=500`,
    );
    const item = list.body.items.find((i) => i.caseNo === 'LX-2021-000525');
    expect(item).toBeDefined();
    const history = await getJson<{ caseNo: string; reportedAt: string; events: unknown[] }>(
      ctx.app,
      `/api/analytics/cases/${item?.id}/history`,
    );
    expect(history.body.caseNo).toBe('LX-2021-000525');
    expect(history.body.reportedAt.startsWith('2021-05-25')).toBe(true);
    expect(Array.isArray(history.body.events)).toBe(true);
  });

  it('answers an empty filter with an empty layer, not an error', async () => {
    const res = await getJson<CellCollection>(ctx.app, '/api/analytics/hotspots?from=2030-01-01&to=2030-02-01');
    expect(res.status).toBe(200);
    expect(res.body.features).toEqual([]);
    const monthly = await getJson<{ months: string[] }>(ctx.app, '/api/analytics/monthly?from=2030-01-01');
    expect(monthly.body.months).toEqual([]);
  });

  it.each([
    ['/api/analytics/hotspots?category=aliens', 'category'],
    ['/api/analytics/hotspots?status=pending', 'status'],
    ['/api/analytics/hotspots?town=999999999', 'town'],
    ['/api/analytics/hotspots?from=2022-05-01&to=2022-01-01', 'to'],
    ['/api/analytics/monthly?from=2022-13-01', 'from'],
    ['/api/analytics/hotspots?cellSize=5', 'cellSize'],
    ['/api/analytics/density?cellSize=1000000', 'cellSize'],
    ['/api/analytics/hotspots?zoom=99', 'zoom'],
    ['/api/analytics/hotspots?source=risks&status=open', 'status'],
    ['/api/analytics/units?level=province', 'level'],
    ['/api/analytics/unresolved?village=430723108999', 'village'],
  ])('rejects %s naming %s', async (url, field) => {
    const res = await getJson<ErrorBody>(ctx.app, url);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
  });
});
