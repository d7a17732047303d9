import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('encodes every dispute of a county-seat tile, with its properties, decodable by a vector-tile reader', async () => {
    const t = tileOf(111.758, 29.633, 11);
    const vt = await tile(`/tiles/disputes/${t.z}/${t.x}/${t.y}.mvt`);
    const layer = vt.layers.disputes;
    expect(layer).toBeDefined();
    expect(layer?.length).toBe(await directCount(t));
    expect(layer?.length).toBeGreaterThan(100);
    if (!layer) return;
    const f = layer.feature(0);
    expect(f.properties).toHaveProperty('riskLevel');
    expect(f.properties).toHaveProperty('status');
    const [lon, lat] = (f.toGeoJSON(t.x, t.y, t.z).geometry as { coordinates: number[] }).coordinates as number[];
    expect(lon).toBeGreaterThan(111.5);
    expect(lat).toBeGreaterThan(29.4);
  });

  it('applies the dashboard filters to tiles', async () => {
    const t = tileOf(111.758, 29.633, 9);
    const vt = await tile(`/tiles/disputes/${t.z}/${t.x}/${t.y}.mvt?status=open`);
    expect(vt.layers.disputes?.length).toBe(
      await directCount(t, `AND status IN ('reported', 'accepted', 'mediating')`),
    );
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
  ])('%s → 400 naming %s', async (url, field) => {
    const res = await ctx.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field });
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
