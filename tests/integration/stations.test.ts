import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, getJson, openWritableApp, type TestContext } from './harness.js';

interface StationFeature {
  id: number;
  geometry: { coordinates: [number, number] };
  properties: {
    kind: string;
    name: string;
    townCode: string;
    staffCount: number;
    locationMismatch: boolean;
    hostStationId: number | null;
    staffedById: number | null;
  };
}

describe.each(backends)('station writes on %s', (backend) => {
  let ctx: TestContext;
  /** Two towns' seats (label points) and stations, read from the demo data. */
  let a: { code: string; lon: number; lat: number; police: number; judicial: number };
  let b: { code: string; lon: number; lat: number };
  const created: number[] = [];
  const tag = `stations-test-${backend}-${Date.now()}`;

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    const towns = (
      await ctx.db.query<{ code: string; lon: number; lat: number; police: number; judicial: number }>(
        `SELECT t.code, ST_X(t.label_point) AS lon, ST_Y(t.label_point) AS lat,
                (SELECT min(id) FROM stations WHERE town_code = t.code AND kind = 'police_station') AS police,
                (SELECT min(id) FROM stations WHERE town_code = t.code AND kind = 'judicial_office') AS judicial
         FROM admin_units t WHERE t.level = 'town' AND t.code IN ('430723110', '430723112') ORDER BY t.code`,
      )
    ).rows;
    [a, b] = towns as [typeof a, typeof b];
  });
  afterAll(async () => {
    for (const id of created.reverse()) await ctx.app.inject({ method: 'DELETE', url: `/api/stations/${id}` });
    await ctx?.close();
  });

  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    ctx.app.inject({ method, url, ...(payload ? { payload } : {}) });
  const create = async (payload: object) => {
    const res = await send('POST', '/api/stations', payload);
    if (res.statusCode === 201) created.push(res.json().id);
    return res;
  };

  it('given a room at a town seat, creates it with its town derived from the point, linked and readable', async () => {
    const res = await create({
      kind: 'joint_mediation_room',
      name: `${tag} room`,
      lon: a.lon,
      lat: a.lat,
      staffCount: 3,
      openedOn: '2026-03-01',
      hostStationId: a.police,
      staffedById: a.judicial,
    });
    expect(res.statusCode).toBe(201);
    const f = res.json() as StationFeature;
    expect(res.headers.location).toBe(`/api/stations/${f.id}`);
    expect(f.properties).toMatchObject({
      kind: 'joint_mediation_room',
      townCode: a.code,
      staffCount: 3,
      hostStationId: a.police,
      staffedById: a.judicial,
      locationMismatch: false,
    });
    const read = await getJson<StationFeature>(ctx.app, `/api/stations/${f.id}`);
    expect(read.body.geometry.coordinates[0]).toBeCloseTo(a.lon, 6);
    // The town's police station now hosts a room in the coverage table.
    const cov = await getJson<{ towns: { code: string; room: { id: number } | null }[] }>(ctx.app, '/api/coverage');
    expect(cov.body.towns.find((t) => t.code === a.code)?.room?.id).toBe(f.id);
  });

  it('given a move into another town while keeping its town, flags the mismatch; moved back, clears it', async () => {
    const res = await create({
      kind: 'court_tribunal',
      name: `${tag} court`,
      townCode: a.code,
      lon: a.lon,
      lat: a.lat,
    });
    const id = (res.json() as StationFeature).id;
    const moved = await send('PATCH', `/api/stations/${id}`, { lon: b.lon, lat: b.lat });
    expect(moved.statusCode).toBe(200);
    expect((moved.json() as StationFeature).properties).toMatchObject({ townCode: a.code, locationMismatch: true });
    const back = await send('PATCH', `/api/stations/${id}`, {
      lon: a.lon,
      lat: a.lat,
      name: `${tag} court 2`,
      staffCount: 7,
    });
    expect((back.json() as StationFeature).properties).toMatchObject({
      name: `${tag} court 2`,
      staffCount: 7,
      locationMismatch: false,
    });
  });

  it.each([
    ['kind', { kind: 'fire_station' }, 'must be one of'],
    ['lon', { lon: 100.1, lat: 29.7 }, 'outside the county'],
    ['townCode', { townCode: '430723999' }, "unknown town code '430723999'"],
    ['name', { name: '' }, ''],
    ['openedOn', { openedOn: '2026-02-30' }, 'not a calendar date'],
    ['hostStationId', { hostStationId: 'JUDICIAL' }, 'expected a police_station'],
    ['staffedById', { staffedById: 2147483000 }, 'does not exist'],
    ['lat', { lat: 95 }, ''],
    ['colour', { colour: 'red' }, 'not a known parameter'],
  ])('given a bad %s on create, answers 400 naming it', async (field, patch, message) => {
    const base = { kind: 'joint_mediation_room', name: `${tag} bad`, lon: a.lon, lat: a.lat };
    const p = { ...base, ...patch } as Record<string, unknown>;
    if (p.hostStationId === 'JUDICIAL') p.hostStationId = a.judicial;
    const res = await create(p);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
    expect(res.json().message).toContain(message);
  });

  it('given links on a station that is not a room, answers 400', async () => {
    const res = await create({
      kind: 'police_station',
      name: `${tag} x`,
      lon: a.lon,
      lat: a.lat,
      hostStationId: a.police,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('hostStationId');
  });

  it('given a move outside the county, answers 400 and leaves the station where it was', async () => {
    const res = await create({ kind: 'village_mediation_committee', name: `${tag} vmc`, lon: a.lon, lat: a.lat });
    const id = (res.json() as StationFeature).id;
    const bad = await send('PATCH', `/api/stations/${id}`, { lon: 113, lat: 28.2 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'lon' });
    expect(bad.json().message).toContain('(113, 28.2)');
    const read = await getJson<StationFeature>(ctx.app, `/api/stations/${id}`);
    expect(read.body.geometry.coordinates[0]).toBeCloseTo(a.lon, 6);
    const empty = await send('PATCH', `/api/stations/${id}`, {});
    expect(empty.statusCode).toBe(400);
  });

  it('answers 404 for unknown stations and 409 for deleting one that cases refer to', async () => {
    expect((await send('PATCH', '/api/stations/2147483000', { name: 'x' })).statusCode).toBe(404);
    expect((await send('DELETE', '/api/stations/2147483000')).statusCode).toBe(404);
    expect((await getJson(ctx.app, '/api/stations/2147483000')).status).toBe(404);
    const used = await send('DELETE', `/api/stations/${a.police}`);
    expect(used.statusCode).toBe(409);
    expect(used.json().message).toContain(`station ${a.police}`);
  });
});
