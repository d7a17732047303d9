import { check } from '@placemarkio/check-geojson';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetNames } from '../../server/db/queries/export.js';
import { backends, getJson, openTestApp, type TestContext } from './harness.js';

interface Link {
  href: string;
  rel: string;
  type?: string;
}
interface Collection {
  id: string;
  title: string;
  links: Link[];
  extent: { spatial: { bbox: number[][]; crs: string }; temporal?: { interval: (string | null)[][] } };
  itemType: string;
}
type Items = FeatureCollection & { numberMatched: number; numberReturned: number; timeStamp: string; links: Link[] };

const linkTo = (links: Link[], rel: string) => links.find((l) => l.rel === rel);
/** A link's href as a path on this app (links are absolute, on the host the request came to). */
const pathOf = (href: string) => {
  const u = new URL(href);
  return `${u.pathname}${u.search}`;
};

describe.each(backends)('OGC API – Features on the %s database', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const get = <T>(url: string) => getJson<T>(ctx.app, url);

  it('has a landing page linking the API definition, the conformance and the collections', async () => {
    const { status, body } = await get<{ title: string; links: Link[] }>('/ogc');
    expect(status).toBe(200);
    expect(body.title).toBeTruthy();
    for (const rel of ['self', 'service-desc', 'conformance', 'data']) {
      expect(linkTo(body.links, rel), rel).toBeDefined();
    }
    const desc = await get<{ openapi: string; paths: Record<string, unknown> }>(
      pathOf(linkTo(body.links, 'service-desc')?.href as string),
    );
    expect(desc.status).toBe(200);
    expect(Object.keys(desc.body.paths)).toContain('/ogc/collections/{collectionId}/items');
    expect((await get(pathOf(linkTo(body.links, 'data')?.href as string))).status).toBe(200);
  });

  it('declares the core, GeoJSON and OpenAPI 3.0 conformance classes', async () => {
    const { body } = await get<{ conformsTo: string[] }>('/ogc/conformance');
    for (const c of ['core', 'geojson', 'oas30']) {
      expect(body.conformsTo).toContain(`http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`);
    }
  });

  it('lists the collections with extents and items links', async () => {
    const { body } = await get<{ collections: Collection[]; links: Link[] }>('/ogc/collections');
    expect(body.collections.map((c) => c.id)).toEqual([...datasetNames]);
    expect(linkTo(body.links, 'self')).toBeDefined();
    for (const c of body.collections) {
      expect(c.itemType).toBe('feature');
      const items = linkTo(c.links, 'items');
      expect(items?.type).toBe('application/geo+json');
      expect(pathOf(items?.href as string)).toBe(`/ogc/collections/${c.id}/items`);
      const [[w, s, e, n]] = c.extent.spatial.bbox as [number[]];
      expect(w).toBeGreaterThan(111);
      expect(e).toBeLessThan(112.2);
      expect(s).toBeLessThan(n as number);
      expect(c.extent.spatial.crs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
    }
    const disputes = body.collections.find((c) => c.id === 'disputes');
    const [t0, t1] = disputes?.extent.temporal?.interval[0] ?? [];
    expect(Date.parse(t0 as string)).toBeLessThan(Date.parse(t1 as string));
    const one = await get<Collection>('/ogc/collections/stations');
    expect(one.body.id).toBe('stations');
  });

  it('pages items with numberMatched / numberReturned and next links that cover every feature once', async () => {
    const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM stations');
    const total = rows[0]?.n as number;
    const ids: unknown[] = [];
    let url: string | undefined = '/ogc/collections/stations/items?limit=20';
    let pages = 0;
    while (url) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      const page = check(res.body) as Items;
      expect(page.numberMatched).toBe(total);
      expect(page.numberReturned).toBe(page.features.length);
      expect(page.numberReturned).toBeLessThanOrEqual(20);
      expect(linkTo(page.links, 'self')).toBeDefined();
      ids.push(...page.features.map((f) => f.id));
      const next = linkTo(page.links, 'next');
      url = next ? pathOf(next.href) : undefined;
      pages += 1;
    }
    expect(pages).toBe(Math.ceil(total / 20));
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
  });

  it('filters items by bbox, datetime and the dashboard filters', async () => {
    const bbox = '111.7,29.6,111.8,29.7';
    const page = (await get<Items>(`/ogc/collections/disputes/items?bbox=${bbox}&limit=10000`)).body;
    const list = await get<{ total: number }>(`/api/disputes?bbox=${bbox}&limit=1`);
    expect(page.numberMatched).toBe(list.body.total);
    for (const f of page.features as Feature<Point>[]) {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      expect(lon >= 111.7 && lon <= 111.8 && lat >= 29.6 && lat <= 29.7).toBe(true);
    }
    // A bare date is that day in China Standard Time, as the dashboard's from/to.
    const day = (await get<Items>('/ogc/collections/disputes/items?datetime=2021-03-01/2021-03-31&limit=1')).body;
    const march = await get<{ total: number }>('/api/disputes?from=2021-03-01&to=2021-03-31&limit=1');
    expect(day.numberMatched).toBe(march.body.total);
    expect(day.numberMatched).toBeGreaterThan(0);
    const open = (await get<Items>('/ogc/collections/disputes/items?datetime=../2021-03-31&limit=1')).body;
    const upTo = await get<{ total: number }>('/api/disputes?to=2021-03-31&limit=1');
    expect(open.numberMatched).toBe(upTo.body.total);
    const instant = (
      await get<Items>('/ogc/collections/disputes/items?datetime=2021-03-01T00:00:00%2B08:00/..&limit=1')
    ).body;
    const from = await get<{ total: number }>('/api/disputes?from=2021-03-01&limit=1');
    expect(instant.numberMatched).toBe(from.body.total);
    const status = (await get<Items>('/ogc/collections/disputes/items?status=open&town=430723108&limit=5')).body;
    const statusList = await get<{ total: number }>('/api/disputes?status=open&town=430723108&limit=1');
    expect(status.numberMatched).toBe(statusList.body.total);
    // 6-number bbox: heights are ignored.
    const b6 = (await get<Items>('/ogc/collections/disputes/items?bbox=111.7,29.6,0,111.8,29.7,100&limit=1')).body;
    expect(b6.numberMatched).toBe(page.numberMatched);
  });

  it('clamps a large limit to the maximum', async () => {
    const { status, body } = await get<Items>('/ogc/collections/disputes/items?limit=50000');
    expect(status).toBe(200);
    expect(body.numberReturned).toBe(10_000);
    expect(body.numberMatched).toBeGreaterThan(10_000);
    expect(new URL(linkTo(body.links, 'next')?.href as string).searchParams.get('offset')).toBe('10000');
  });

  it('returns one feature by id, for integer and string keys', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/ogc/collections/admin-units/items/430723108' });
    expect(res.statusCode).toBe(200);
    const f = check(res.body) as unknown as Feature & { links: Link[] };
    expect(f.type).toBe('Feature');
    expect(f.id).toBe('430723108');
    expect(f.geometry.type).toBe('MultiPolygon');
    expect(linkTo(f.links, 'collection')).toBeDefined();
    const { rows } = await ctx.db.query<{ id: number }>('SELECT min(id)::int AS id FROM disputes');
    const d = check(
      (await ctx.app.inject({ method: 'GET', url: `/ogc/collections/disputes/items/${rows[0]?.id}` })).body,
    );
    expect((d as unknown as Feature).id).toBe(rows[0]?.id);
  });

  it.each([
    ['/ogc/collections/parties', 'collection'],
    ['/ogc/collections/parties/items', 'collection'],
    ['/ogc/collections/disputes/items/999999999', 'feature'],
    ['/ogc/collections/disputes/items/abc', 'feature'],
    ['/ogc/collections/admin-units/items/999', 'feature'],
  ])('%s → 404 (%s)', async (url, what) => {
    const res = await ctx.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain(what);
  });

  it.each([
    ['bbox=1,2,3', 'bbox'],
    ['bbox=112,29,111,30', 'bbox'],
    ['bbox=a,b,c,d', 'bbox'],
    ['bbox=0,0,200,10', 'bbox'],
    ['datetime=2021-13-01', 'datetime'],
    ['datetime=2021-03-31/2021-03-01', 'datetime'],
    ['datetime=../..', 'datetime'],
    ['datetime=yesterday', 'datetime'],
    ['datetime=2021-01-01/2021-02-01/2021-03-01', 'datetime'],
    ['limit=0', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=ten', 'limit'],
    ['offset=-1', 'offset'],
    ['colour=red', 'colour'],
    ['status=bogus', 'status'],
  ])('items?%s → 400 naming %s', async (query, field) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/ogc/collections/disputes/items?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, field });
  });

  it('rejects dispute-only filters on other collections', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/ogc/collections/stations/items?status=open' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'status' });
  });
});
