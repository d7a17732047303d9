import { check } from '@placemarkio/check-geojson';
import { parse } from 'csv-parse/sync';
import type { FeatureCollection, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetNames } from '../../server/db/queries/export.js';
import { backends, getJson, openTestApp, type TestContext } from './harness.js';

const BOM = '\uFEFF';

describe.each(backends)('exports on the %s database', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const get = (url: string) => ctx.app.inject({ method: 'GET', url });

  // The validator tracks positions and is slow on big files: disputes are checked for one town (a few MB).
  const scope: Record<string, string> = { disputes: 'town=430723108' };

  it.each(datasetNames)('exports %s as RFC 7946 GeoJSON that a validator accepts, as a download', async (name) => {
    const res = await get(`/api/export/${name}.geojson?${scope[name] ?? ''}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="lixian-${name}-.*\\.geojson"$`),
    );
    const fc = check(res.body) as FeatureCollection;
    expect(fc.features.length).toBeGreaterThan(0);
    const table = name === 'admin-units' ? 'admin_units' : name;
    const { rows } = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} ${name === 'disputes' ? "WHERE town_code = '430723108'" : ''}`,
    );
    expect(fc.features.length).toBe(rows[0]?.n);
  });

  it('exports every dispute when unfiltered', async () => {
    const fc = JSON.parse((await get('/api/export/disputes.geojson')).body) as FeatureCollection;
    const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM disputes');
    expect(fc.features.length).toBe(rows[0]?.n);
    expect(new Set(fc.features.map((f) => f.id)).size).toBe(fc.features.length);
  });

  it('applies the dashboard filters exactly as the dispute list does', async () => {
    const q = 'town=430723108&status=open,resolved&category=neighbour,land_forest&from=2020-01-01&to=2022-12-31';
    const res = await get(`/api/export/disputes.geojson?${q}`);
    const fc = check(res.body) as FeatureCollection<Point>;
    const list = await getJson<{ total: number }>(ctx.app, `/api/disputes?${q}&limit=1`);
    expect(fc.features.length).toBe(list.body.total);
    expect(fc.features.length).toBeGreaterThan(0);
    for (const f of fc.features) {
      expect(f.properties?.townCode).toBe('430723108');
      expect(['neighbour', 'land_forest']).toContain(f.properties?.category);
    }
    const bbox = '111.7,29.6,111.8,29.7';
    const boxed = check((await get(`/api/export/disputes.geojson?bbox=${bbox}`)).body) as FeatureCollection<Point>;
    const boxedList = await getJson<{ total: number }>(ctx.app, `/api/disputes?bbox=${bbox}&limit=1`);
    expect(boxed.features.length).toBe(boxedList.body.total);
    for (const f of boxed.features) {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      expect(lon >= 111.7 && lon <= 111.8 && lat >= 29.6 && lat <= 29.7).toBe(true);
    }
  });

  it('never exports personal data of the parties nor the case summary', async () => {
    const { rows } = await ctx.db.query<{ id: number; summary: string }>(
      `SELECT id::int AS id, summary FROM disputes WHERE length(summary) > 10 AND town_code = '430723108'
       ORDER BY id LIMIT 1`,
    );
    const summary = rows[0]?.summary as string;
    expect(summary.length).toBeGreaterThan(10);
    for (const format of ['geojson', 'ndjson', 'csv']) {
      const body = (await get(`/api/export/disputes.${format}?town=430723108`)).body;
      expect(body).not.toContain(summary);
      expect(body).not.toMatch(/"summary"|summary,|"name"\s*:|phone|idNumber|id_number/);
    }
    const ogc = (await get(`/ogc/collections/disputes/items/${rows[0]?.id}`)).body;
    expect(ogc).not.toContain(summary);
  });

  it('exports newline-delimited GeoJSON: one valid Feature per line', async () => {
    const res = await get('/api/export/stations.ndjson');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.body.trimEnd().split('\n');
    const fc = check(`{"type":"FeatureCollection","features":[${lines.join(',')}]}`) as FeatureCollection;
    expect(fc.features).toHaveLength(lines.length);
    const whole = check((await get('/api/export/stations.geojson')).body) as FeatureCollection;
    expect(lines.length).toBe(whole.features.length);
  });

  it('exports CSV with a BOM and a header, parseable, matching the GeoJSON export', async () => {
    const res = await get('/api/export/disputes.csv?town=430723108');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/filename="lixian-disputes-.*\.csv"/);
    expect(res.body.startsWith(BOM)).toBe(true);
    const records = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    const fc = check((await get('/api/export/disputes.geojson?town=430723108')).body) as FeatureCollection<Point>;
    expect(records).toHaveLength(fc.features.length);
    const first = fc.features[0];
    const row = records[0] as Record<string, string>;
    expect(row.id).toBe(String(first?.id));
    expect(row.townName).toBe(first?.properties?.townName);
    expect(Number(row.lon)).toBeCloseTo(first?.geometry.coordinates[0] as number, 5);
    expect(Number(row.lat)).toBeCloseTo(first?.geometry.coordinates[1] as number, 5);
  });

  it('neutralises spreadsheet formulas in text cells, leaving numbers alone', async () => {
    const evil = ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    // Not a formula, but every character that JSON or COPY escapes: it must come back exactly.
    const awkward = 'back\\slash "quoted" \\n\ttab\u00e9中';
    const ids: number[] = [];
    try {
      for (const [i, name] of [...evil, awkward].entries()) {
        const { rows } = await ctx.db.query<{ id: number }>(
          `INSERT INTO stations (kind, name, town_code, geom, staff_count)
           VALUES ('police_station', $1, '430723108', ST_SetSRID(ST_MakePoint(111.5, 29.8), 4326), $2)
           RETURNING id`,
          [name, i],
        );
        ids.push(rows[0]?.id as number);
      }
      const res = await get('/api/export/stations.csv?town=430723108');
      const records = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
      const ours = records.filter((r) => ids.includes(Number(r.id)));
      expect(ours.map((r) => r.name)).toEqual([...evil.map((e) => `'${e}`), awkward]);
      expect(ours.every((r) => !/^'/.test(r.lon as string) && !/^'/.test(r.staffCount as string))).toBe(true);
      // The GeoJSON keeps the names as they are.
      const fc = check((await get('/api/export/stations.geojson?town=430723108')).body) as FeatureCollection;
      expect(fc.features.filter((f) => ids.includes(f.id as number)).map((f) => f.properties?.name)).toEqual([
        ...evil,
        awkward,
      ]);
      const lines = (await get('/api/export/stations.ndjson?town=430723108')).body.trimEnd().split('\n');
      expect(lines.map((l) => JSON.parse(l).properties.name)).toContain(awkward);
    } finally {
      await ctx.db.query('DELETE FROM stations WHERE id = ANY($1::int[])', [ids]);
    }
  });

  it('filters screenings, stations and admin units by their own parameters', async () => {
    const towns = check((await get('/api/export/admin-units.geojson?level=town')).body) as FeatureCollection;
    expect(towns.features.length).toBeGreaterThan(5);
    expect(towns.features.every((f) => f.properties?.level === 'town')).toBe(true);
    const scr = check(
      (await get('/api/export/screenings.geojson?town=430723108&from=2022-01-01&to=2022-12-31')).body,
    ) as FeatureCollection;
    expect(scr.features.every((f) => f.properties?.townCode === '430723108')).toBe(true);
    expect(scr.features.every((f) => String(f.properties?.screenedOn).startsWith('2022-'))).toBe(true);
    const rooms = check(
      (await get('/api/export/stations.geojson?kind=joint_mediation_room')).body,
    ) as FeatureCollection;
    expect(rooms.features.length).toBeGreaterThan(0);
    expect(rooms.features.every((f) => f.properties?.kind === 'joint_mediation_room')).toBe(true);
  });

  it.each([
    ['/api/export/disputes.geojson?bbox=112,29,111,30', 'bbox'],
    ['/api/export/disputes.geojson?bbox=1,2,3', 'bbox'],
    ['/api/export/disputes.csv?bbox=0,-91,1,0', 'bbox'],
    ['/api/export/disputes.geojson?from=2022-02-30', 'from'],
    ['/api/export/disputes.ndjson?from=2022-03-01&to=2022-01-01', 'to'],
    ['/api/export/disputes.geojson?status=bogus', 'status'],
    ['/api/export/disputes.geojson?town=430723999', 'town'],
    ['/api/export/disputes.geojson?limit=5', 'limit'],
    ['/api/export/stations.csv?kind=bank', 'kind'],
    ['/api/export/admin-units.geojson?level=province', 'level'],
    ['/api/export/screenings.geojson?status=open', 'status'],
  ])('%s → 400 naming %s', async (url, field) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, field });
  });

  it('is described in OpenAPI, saying that no personal data is exported', async () => {
    type Op = { description: string; responses: Record<string, { content?: Record<string, unknown> }> };
    const doc = (await getJson<{ paths: Record<string, { get: Op }> }>(ctx.app, '/docs/json')).body;
    for (const name of datasetNames) {
      for (const [format, type] of [
        ['geojson', 'application/geo+json'],
        ['ndjson', 'application/x-ndjson'],
        ['csv', 'text/csv'],
      ]) {
        const op = doc.paths[`/api/export/${name}.${format}`]?.get;
        expect(op?.description).toMatch(/no personal data/i);
        expect(Object.keys(op?.responses['200']?.content ?? {})).toEqual([type]);
      }
    }
  });

  it('answers an unknown dataset or format with 404', async () => {
    expect((await get('/api/export/parties.geojson')).statusCode).toBe(404);
    expect((await get('/api/export/disputes.xlsx')).statusCode).toBe(404);
  });
});
