import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxDisputeTileFeatures } from '../../server/db/queries/tiles.js';
import { TILE_BUFFER, TILE_EXTENT } from '../../server/db/tiles.js';
import { backends, openTestApp, type TestContext } from './harness.js';

/** The XYZ tile containing a lon/lat at zoom z (Web Mercator). */
function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { z, x, y };
}

describe.each(backends)('vector tiles on the %s database', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function tile(url: string) {
    const res = await ctx.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    return new VectorTile(new PbfReader(res.rawPayload));
  }

  async function directCount(t: { z: number; x: number; y: number }, extra = '') {
    const { rows } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM disputes
       WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => $4::float8), 4326))
       ${extra}`,
      [t.z, t.x, t.y, TILE_BUFFER / TILE_EXTENT],
    );
    return rows[0]?.n ?? -1;
  }

  /** Sum of the `count` of a dispute layer's features: the number of cases the tile stands for. */
  function casesIn(layer: { length: number; feature(i: number): { properties: Record<string, unknown> } }) {
    let n = 0;
    for (let i = 0; i < layer.length; i++) n += layer.feature(i).properties.count as number;
    return n;
  }

  it('aggregates a county-seat tile on a grid: every case counted once, at most one feature per cell', async () => {
    const t = tileOf(111.758, 29.633, 11);
    const vt = await tile(`/tiles/disputes/${t.z}/${t.x}/${t.y}.mvt`);
    const layer = vt.layers.disputes;
    expect(layer).toBeDefined();
    if (!layer) return;
    const cases = await directCount(t);
    expect(cases).toBeGreaterThan(1000);
    expect(casesIn(layer)).toBe(cases);
    expect(layer.length).toBeLessThan(cases);
    expect(layer.length).toBeLessThanOrEqual(maxDisputeTileFeatures(t.z));
    const sizes = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties);
    expect(sizes.some((p) => (p.count as number) > 1)).toBe(true);
    for (const p of sizes) {
      expect(['red', 'orange', 'yellow', 'blue']).toContain(p.riskLevel);
      expect(p.open as number).toBeLessThanOrEqual(p.count as number);
      // Only a feature standing for one case names it.
      expect(p.id === undefined).toBe((p.count as number) > 1);
    }
    const [lon, lat] = (layer.feature(0).toGeoJSON(t.x, t.y, t.z).geometry as { coordinates: number[] })
      .coordinates as number[];
    expect(lon).toBeGreaterThan(111.5);
    expect(lat).toBeGreaterThan(29.4);
  });

  it('keeps a low-zoom tile of the whole county within the grid bound', async () => {
    const t = tileOf(111.65, 29.7, 6);
    const layer = (await tile(`/tiles/disputes/${t.z}/${t.x}/${t.y}.mvt`)).layers.disputes;
    expect(layer).toBeDefined();
    if (!layer) return;
    const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM disputes');
    expect(casesIn(layer)).toBe(rows[0]?.n);
    expect(layer.length).toBeLessThanOrEqual(maxDisputeTileFeatures(t.z));
    expect(layer.length).toBeLessThan(500);
  });

  it('shows single cases with their properties at street zoom', async () => {
    const { rows } = await ctx.db.query<{ id: number; lon: number; lat: number; category: string; status: string }>(
      `SELECT id::int AS id, ST_X(geom) AS lon, ST_Y(geom) AS lat, category, status FROM disputes
       WHERE town_code = '430723108' ORDER BY id LIMIT 1`,
    );
    const d = rows[0];
    if (!d) throw new Error('no dispute');
    const t = tileOf(d.lon, d.lat, 16);
    const layer = (await tile(`/tiles/disputes/${t.z}/${t.x}/${t.y}.mvt`)).layers.disputes;
    expect(layer).toBeDefined();
    if (!layer) return;
    expect(casesIn(layer)).toBe(await directCount(t));
    const props = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties);
    expect(props).toContainEqual(
      expect.objectContaining({ id: d.id, count: 1, category: d.category, status: d.status }),
    );
  });

  it('applies the dashboard filters to tiles', async () => {
    const t = tileOf(111.758, 29.633, 9);
    const vt = await tile(`/tiles/disputes/${t.z}/${t.x}/${t.y}.mvt?status=open`);
    const layer = vt.layers.disputes;
    if (!layer) throw new Error('no layer');
    expect(casesIn(layer)).toBe(await directCount(t, `AND status IN ('reported', 'accepted', 'mediating')`));
    for (let i = 0; i < layer.length; i++) {
      const p = layer.feature(i).properties;
      expect(p.open).toBe(p.count);
    }
  });

  it('encodes admin units as polygons with their codes and names, optionally one level', async () => {
    const t = tileOf(111.758, 29.633, 10);
    const layer = (await tile(`/tiles/admin-units/${t.z}/${t.x}/${t.y}.mvt?level=town`)).layers['admin-units'];
    expect(layer).toBeDefined();
    if (!layer) return;
    const { rows } = await ctx.db.query<{ code: string }>(
      `SELECT code FROM admin_units WHERE level = 'town'
       AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => $4::float8), 4326))
       ORDER BY code`,
      [t.z, t.x, t.y, TILE_BUFFER / TILE_EXTENT],
    );
    const codes = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties.code as string).sort();
    expect(codes).toEqual(rows.map((r) => r.code));
    const f = layer.feature(0);
    expect(f.type).toBe(3); // polygon
    expect(f.properties.level).toBe('town');
    expect(typeof f.properties.name).toBe('string');
    const all = (await tile(`/tiles/admin-units/${t.z}/${t.x}/${t.y}.mvt`)).layers['admin-units'];
    expect(all?.length).toBeGreaterThan(layer.length);
  });

  it('encodes stations as points, filtered by kind', async () => {
    const t = tileOf(111.758, 29.633, 9);
    const layer = (await tile(`/tiles/stations/${t.z}/${t.x}/${t.y}.mvt?kind=police_station`)).layers.stations;
    expect(layer).toBeDefined();
    if (!layer) return;
    const { rows } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stations WHERE kind = 'police_station'
       AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => $4::float8), 4326))`,
      [t.z, t.x, t.y, TILE_BUFFER / TILE_EXTENT],
    );
    expect(layer.length).toBe(rows[0]?.n);
    expect(layer.length).toBeGreaterThan(0);
    for (let i = 0; i < layer.length; i++) {
      expect(layer.feature(i).type).toBe(1); // point
      expect(layer.feature(i).properties.kind).toBe('police_station');
    }
  });

  it('answers a tile far from the county with an empty tile', async () => {
    const vt = await tile('/tiles/disputes/10/0/0.mvt');
    expect(Object.keys(vt.layers)).toHaveLength(0);
  });

  it.each([
    ['/tiles/disputes/23/0/0.mvt', 'z'],
    ['/tiles/disputes/10/1024/0.mvt', 'x'],
    ['/tiles/disputes/10/0/5000.mvt', 'y'],
    ['/tiles/disputes/3/-1/0.mvt', 'x'],
    ['/tiles/disputes/10/0/0.mvt?status=unknown', 'status'],
    ['/tiles/admin-units/4/16/0.mvt', 'x'],
    ['/tiles/admin-units/10/0/0.mvt?level=province', 'level'],
    ['/tiles/stations/10/0/1024.mvt', 'y'],
    ['/tiles/stations/10/0/0.mvt?kind=bank', 'kind'],
  ])('%s → 400 naming %s', async (url, field) => {
    const res = await ctx.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field });
  });

  it('answers an unknown layer with 404 naming the layers', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/tiles/parties/10/0/0.mvt' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/disputes, admin-units, stations/);
  });

  it('serves concurrent requests on the one embedded connection (and on the pool) without errors', async () => {
    const t = tileOf(111.758, 29.633, 12);
    const urls = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 0
        ? `/tiles/disputes/${t.z}/${t.x + (i % 2)}/${t.y}.mvt`
        : i % 3 === 1
          ? '/api/summary?town=430723108'
          : '/api/disputes?status=open&limit=20',
    );
    const results = await Promise.all(urls.map((url) => ctx.app.inject({ method: 'GET', url })));
    expect(results.map((r) => r.statusCode)).toEqual(urls.map(() => 200));
  });
});
