import { area, distance, point, pointToPolygonDistance } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, getJson, openWritableApp, type TestContext } from './harness.js';

/**
 * Coverage figures checked against an independent computation with turf on the same geometry. turf measures
 * on a sphere, PostGIS geography on the spheroid: they differ by under 0.5 %, so a point is "surely in" below
 * 99.5 % of the reach, "surely out" above 100.5 %, and only the few in between may go either way.
 */
const BAND = 0.005;

interface Totals {
  rooms: number;
  villages: number;
  villagesCovered: number;
  disputes: number;
  disputesCovered: number;
  openDisputes: number;
  openDisputesCovered: number;
}
interface Coverage {
  totals: Totals;
  towns: {
    code: string;
    room: { id: number } | null;
    staffedBy: { id: number } | null;
    villagesUncovered: number;
    openDisputesUncovered: number;
  }[];
  rooms: {
    id: number;
    openCases: number;
    staffCount: number;
    openCasesPerMediator: number | null;
    resolvedCases: number;
    avgDaysToResolution: number | null;
    disputesInReach: number;
  }[];
}
type Xy = { lon: number; lat: number };
type Verdict = 'in' | 'out' | 'either';

const verdict = (metres: number, reach: number): Verdict =>
  metres < reach * (1 - BAND) ? 'in' : metres > reach * (1 + BAND) ? 'out' : 'either';

/** Bounds on a count from turf verdicts: [surely in, surely in + either]. */
function bounds(vs: Verdict[]): [number, number] {
  const sure = vs.filter((v) => v === 'in').length;
  return [sure, sure + vs.filter((v) => v === 'either').length];
}

describe.each(backends)('coverage on %s', (backend) => {
  let ctx: TestContext;
  let rooms: Xy[];
  let villages: (Xy & { code: string; geometry: MultiPolygon })[];
  let disputes: (Xy & { id: string; open: boolean })[];

  const nearest = (p: Xy) =>
    Math.min(...rooms.map((r) => distance(point([p.lon, p.lat]), point([r.lon, r.lat]), { units: 'meters' })));

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    const st = await getJson<{ features: { geometry: { coordinates: [number, number] } }[] }>(
      ctx.app,
      '/api/stations?kind=joint_mediation_room',
    );
    rooms = st.body.features.map((f) => ({ lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
    villages = (
      await ctx.db.query<{ code: string; lon: number; lat: number; geometry: string }>(
        `SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat, ST_AsGeoJSON(geom) AS geometry
         FROM admin_units WHERE level = 'village'`,
      )
    ).rows.map((r) => ({ ...r, geometry: JSON.parse(r.geometry) as MultiPolygon }));
    disputes = (
      await ctx.db.query<{ id: string; lon: number; lat: number; open: boolean }>(
        `SELECT id::text, ST_X(geom) AS lon, ST_Y(geom) AS lat, status IN ('reported', 'accepted', 'mediating') AS open
         FROM disputes`,
      )
    ).rows;
  });
  afterAll(async () => ctx?.close());

  it.each([3, 5, 10])('given rooms and a %i km reach, the covered villages and disputes match turf', async (km) => {
    const reach = km * 1000;
    const { status, body } = await getJson<Coverage>(ctx.app, `/api/coverage?distanceKm=${km}`);
    expect(status).toBe(200);
    const t = body.totals;
    expect(t.rooms).toBe(rooms.length);
    expect(t.villages).toBe(villages.length);
    expect(t.disputes).toBe(disputes.length);

    const villageVs = villages.map((v) => verdict(nearest(v), reach));
    const [vLo, vHi] = bounds(villageVs);
    expect(t.villagesCovered).toBeGreaterThanOrEqual(vLo);
    expect(t.villagesCovered).toBeLessThanOrEqual(vHi);
    // Not a trivial answer: at this reach some villages are in and some out.
    expect(vLo).toBeGreaterThan(0);
    expect(vHi).toBeLessThan(villages.length);

    const disputeVs = disputes.map((d) => verdict(nearest(d), reach));
    const [dLo, dHi] = bounds(disputeVs);
    expect(t.disputesCovered).toBeGreaterThanOrEqual(dLo);
    expect(t.disputesCovered).toBeLessThanOrEqual(dHi);
    const [oLo, oHi] = bounds(disputeVs.filter((_, i) => disputes[i]?.open));
    expect(t.openDisputesCovered).toBeGreaterThanOrEqual(oLo);
    expect(t.openDisputesCovered).toBeLessThanOrEqual(oHi);

    // Village by village, on the map layer: every sure verdict agrees.
    const layer = await getJson<{ features: { properties: { code: string; covered: boolean } }[] }>(
      ctx.app,
      `/api/coverage/villages?distanceKm=${km}`,
    );
    const flags = new Map(layer.body.features.map((f) => [f.properties.code, f.properties.covered]));
    villages.forEach((v, i) => {
      if (villageVs[i] !== 'either') expect([v.code, flags.get(v.code)]).toEqual([v.code, villageVs[i] === 'in']);
    });
  });

  it('given villages judged by polygon, a village is covered when any part of it is in reach (turf)', async () => {
    const reach = 3000;
    const { body } = await getJson<Coverage>(ctx.app, '/api/coverage?distanceKm=3&villageBy=polygon');
    const vs = villages.map((v) => {
      const d = Math.min(
        ...rooms.map((r) =>
          Math.max(0, pointToPolygonDistance(point([r.lon, r.lat]), v.geometry, { units: 'meters' })),
        ),
      );
      return verdict(d, reach);
    });
    const [lo, hi] = bounds(vs);
    expect(body.totals.villagesCovered).toBeGreaterThanOrEqual(lo);
    expect(body.totals.villagesCovered).toBeLessThanOrEqual(hi);
    // A polygon is reached sooner than its centre.
    const byPoint = await getJson<Coverage>(ctx.app, '/api/coverage?distanceKm=3');
    expect(body.totals.villagesCovered).toBeGreaterThan(byPoint.body.totals.villagesCovered);
  });

  it('reports per town whether its police station hosts a room, who staffs it, and the gaps', async () => {
    const { body } = await getJson<Coverage>(ctx.app, '/api/coverage?distanceKm=5');
    const without = body.towns.filter((t) => t.room === null).map((t) => t.code);
    expect(without.sort()).toEqual(['430723110', '430723112', '430723113', '430723115']);
    for (const t of body.towns.filter((x) => x.room)) expect(t.staffedBy).not.toBeNull();
    // Per-town gaps add up to the county's.
    const sum = (f: (t: Coverage['towns'][number]) => number) => body.towns.reduce((a, t) => a + f(t), 0);
    expect(sum((t) => t.villagesUncovered)).toBe(body.totals.villages - body.totals.villagesCovered);
    expect(sum((t) => t.openDisputesUncovered)).toBe(body.totals.openDisputes - body.totals.openDisputesCovered);
  });

  it('reports each room’s workload and average time to resolution as computed from its cases', async () => {
    const cases = (
      await ctx.db.query<{ station_id: number; status: string; reported_at: Date; resolved_at: Date | null }>(
        `SELECT station_id, status, reported_at, resolved_at FROM disputes
         WHERE station_id IN (SELECT id FROM stations WHERE kind = 'joint_mediation_room')`,
      )
    ).rows;
    const { body } = await getJson<Coverage>(ctx.app, '/api/coverage?distanceKm=5');
    expect(body.rooms).toHaveLength(rooms.length);
    // Workload per mediator divides by the register's active mediators of the room (not the staff count).
    const register = new Map(
      (
        await ctx.db.query<{ station_id: number; n: number }>(
          'SELECT station_id, count(*)::int AS n FROM mediators WHERE active AND station_id IS NOT NULL GROUP BY 1',
        )
      ).rows.map((r) => [Number(r.station_id), r.n]),
    );
    expect(register.size).toBeGreaterThan(0);
    for (const room of body.rooms) {
      const mine = cases.filter((c) => c.station_id === room.id);
      const open = mine.filter((c) => ['reported', 'accepted', 'mediating'].includes(c.status)).length;
      const resolved = mine.filter((c) => c.status === 'resolved');
      const days =
        resolved.reduce(
          (a, c) => a + (new Date(c.resolved_at as Date).getTime() - new Date(c.reported_at).getTime()),
          0,
        ) /
        resolved.length /
        86_400_000;
      expect(room.openCases).toBe(open);
      expect(room.resolvedCases).toBe(resolved.length);
      expect(room.avgDaysToResolution).toBeCloseTo(days, 1);
      const n = register.get(room.id) ?? 0;
      if (n === 0) expect(room.openCasesPerMediator).toBeNull();
      else expect(room.openCasesPerMediator).toBeCloseTo(open / n, 2);
    }
  });

  it('draws a disc per room with the reach as radius in metres, and their union', async () => {
    const { body } = await getJson<{ features: Feature<Polygon | MultiPolygon, { part: string }>[] }>(
      ctx.app,
      '/api/coverage/areas?distanceKm=4',
    );
    const rings = body.features.filter((f) => f.properties.part === 'ring');
    const union = body.features.filter((f) => f.properties.part === 'union');
    expect(rings).toHaveLength(rooms.length);
    expect(union).toHaveLength(1);
    const disc = Math.PI * 4000 ** 2;
    for (const r of rings) expect(Math.abs(area(r) - disc) / disc).toBeLessThan(0.01);
    const sum = rings.reduce((a, r) => a + area(r), 0);
    expect(area(union[0] as Feature<MultiPolygon>)).toBeLessThanOrEqual(sum * 1.0001);
  });

  it('given the gap finder, its first site covers as many uncovered disputes as the best candidate by turf', async () => {
    const reach = 5000;
    const { status, body } = await getJson<{
      uncoveredDisputes: number;
      sites: {
        features: {
          geometry: { coordinates: [number, number] };
          properties: { newlyCovered: number; candidate: string };
        }[];
      };
      villages: { perKm2: number; code: string }[];
    }>(ctx.app, '/api/coverage/gaps?distanceKm=5&k=2&candidates=village');
    expect(status).toBe(200);
    // Independent brute force: every village centre against every dispute turf says is outside every room.
    const vs = disputes.map((d) => verdict(nearest(d), reach));
    const surelyOut = disputes.filter((_, i) => vs[i] === 'out');
    const maybeOut = disputes.filter((_, i) => vs[i] !== 'in');
    expect(body.uncoveredDisputes).toBeGreaterThanOrEqual(surelyOut.length);
    expect(body.uncoveredDisputes).toBeLessThanOrEqual(maybeOut.length);
    const gain = (c: Xy, pool: Xy[]) =>
      pool.filter(
        (d) => distance(point([c.lon, c.lat]), point([d.lon, d.lat]), { units: 'meters' }) < reach * (1 - BAND),
      ).length;
    const upper = (c: Xy, pool: Xy[]) =>
      pool.filter(
        (d) => distance(point([c.lon, c.lat]), point([d.lon, d.lat]), { units: 'meters' }) <= reach * (1 + BAND),
      ).length;
    const bestLower = Math.max(...villages.map((v) => gain(v, surelyOut)));
    const first = body.sites.features[0];
    expect(first).toBeDefined();
    const [lon, lat] = (first?.geometry.coordinates ?? [0, 0]) as [number, number];
    expect(first?.properties.newlyCovered).toBeGreaterThanOrEqual(bestLower);
    expect(first?.properties.newlyCovered).toBeLessThanOrEqual(upper({ lon, lat }, maybeOut));
    expect(body.sites.features[1]?.properties.newlyCovered).toBeLessThanOrEqual(first?.properties.newlyCovered ?? 0);
    // Uncovered villages come ranked by density, highest first.
    const densities = body.villages.map((v) => v.perKm2);
    expect(densities).toEqual([...densities].sort((a, b) => b - a));
  });

  it('given a room built at the first suggested site, coverage grows by exactly what it promised; moved and removed, it follows', async () => {
    const before = (await getJson<Coverage>(ctx.app, '/api/coverage?distanceKm=5')).body.totals;
    const gaps = await getJson<{
      sites: { features: { geometry: { coordinates: [number, number] }; properties: { newlyCovered: number } }[] };
    }>(ctx.app, '/api/coverage/gaps?distanceKm=5&k=1');
    const site = gaps.body.sites.features[0];
    const [lon, lat] = (site?.geometry.coordinates ?? [0, 0]) as [number, number];
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/stations',
      payload: { kind: 'joint_mediation_room', name: `coverage-test-${backend}`, lon, lat, staffCount: 2 },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    try {
      const after = (await getJson<Coverage>(ctx.app, '/api/coverage?distanceKm=5')).body.totals;
      expect(after.rooms).toBe(before.rooms + 1);
      expect(after.disputesCovered - before.disputesCovered).toBe(site?.properties.newlyCovered);
      // Moved onto an existing room it adds nothing any more.
      const [rLon, rLat] = [rooms[0]?.lon, rooms[0]?.lat];
      const moved = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/stations/${id}`,
        payload: { lon: rLon, lat: rLat },
      });
      expect(moved.statusCode).toBe(200);
      const movedTotals = (await getJson<Coverage>(ctx.app, '/api/coverage?distanceKm=5')).body.totals;
      expect(movedTotals.disputesCovered).toBe(before.disputesCovered);
    } finally {
      const del = await ctx.app.inject({ method: 'DELETE', url: `/api/stations/${id}` });
      expect(del.statusCode).toBe(204);
    }
    const restored = (await getJson<Coverage>(ctx.app, '/api/coverage?distanceKm=5')).body.totals;
    expect(restored).toEqual(before);
  });

  it.each([
    ['/api/coverage?distanceKm=0', 'distanceKm', 'must be > 0'],
    ['/api/coverage?distanceKm=-3', 'distanceKm', 'must be > 0'],
    ['/api/coverage?distanceKm=51', 'distanceKm', 'must be <= 50'],
    ['/api/coverage/areas?distanceKm=abc', 'distanceKm', 'must be number'],
    ['/api/coverage/villages?villageBy=centroid', 'villageBy', 'must be one of: point, polygon'],
    ['/api/coverage/gaps?k=0', 'k', 'must be >= 1'],
    ['/api/coverage/gaps?candidates=village,church', 'candidates', "unknown value 'church'"],
  ])('given %s, answers 400 naming %s', async (url, field, message) => {
    const { status, body } = await getJson<{ field: string; message: string }>(ctx.app, url);
    expect(status).toBe(400);
    expect(body.field).toBe(field);
    expect(body.message).toContain(message);
  });
});
