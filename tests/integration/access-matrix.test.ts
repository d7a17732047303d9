import { randomUUID } from 'node:crypto';
import { VectorTile } from '@mapbox/vector-tile';
import type { LightMyRequestResponse } from 'fastify';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/auth/accounts.js';
import { type RouteAccess, routePolicy } from '../../server/auth/policy.js';
import { loadConfig } from '../../server/config.js';
import {
  as,
  type Caller,
  type CallerName,
  callerNames,
  csvFor,
  type Fixtures,
  loadFixtures,
  uploadAs,
} from './access-fixtures.js';
import { backends, openWritableApp, type TestContext } from './harness.js';
import { openSse } from './sse-client.js';

/**
 * The role × route × scope matrix of issue 8, GENERATED from the routes the app registers: every guarded route
 * (server/auth/policy.ts, checked against the registered ones in both directions) × every caller (five demo
 * accounts, a county export token, a town-limited one, anonymous) × an in-scope and an out-of-scope object.
 * A role the policy does not allow gets 401 / 403; an allowed one gets its in-scope object and 404 for the
 * out-of-scope one; lists, statistics, exports and tiles carry nothing outside the caller's scope. Scope rules
 * are checked by kind ('filter', 'dispute', 'upload', 'station'); a 'route' rule (the handler limits itself)
 * needs its own check below, and a new 'route' route without one fails the test.
 */

const keys = Object.keys(routePolicy);
const [method, path] = [(k: string) => k.split(' ')[0] as string, (k: string) => k.split(' ')[1] as string];
const isWrite = (k: string) => method(k) !== 'GET';
const allows = (a: RouteAccess, who: Caller) =>
  a.roles === 'public' || (who.role !== null && a.roles.includes(who.role));
const scoped = (who: Caller) => who.towns !== null;

/** Extra query a route needs to answer at all. */
const needs: Record<string, string> = { 'GET /api/analytics/units': 'level=town' };

/** The XYZ tile holding a lon/lat. */
function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}

describe.each(backends)('access matrix on the %s database', (backend) => {
  let ctx: TestContext;
  let fx: Fixtures;
  let tile: { z: number; x: number; y: number };
  /** A party of each case the test creates with one, for `:partyId`. */
  const partyOf = new Map<number, number>();

  beforeAll(async () => {
    // The matrix writes (in-scope writes go through): a database of its own on the server.
    ctx = await openWritableApp(backend);
    fx = await loadFixtures(ctx);
    const { rows } = await ctx.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM admin_units WHERE code = $1`,
      [fx.town],
    );
    tile = { z: 11, ...tileOf(Number(rows[0]?.lon), Number(rows[0]?.lat), 11) };
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** The in-scope object of a caller for a route's `:id` (by the route's scope rule or resource). */
  function inScopeId(key: string, who: Caller): number {
    const rule = routePolicy[key]?.scope;
    if (key.includes('/screening-rounds/')) return fx.round;
    if (key.includes('/api/accounts/')) return 999_999_999;
    if (key.includes('/api/tokens/')) return 999_999_999;
    if (rule === 'upload') {
      if (who.name === 'screener' || who.name === 'town_officer') return fx.batch.screener;
      return who.name === 'station_staff' ? fx.batch.ln : fx.batch.other;
    }
    if (rule === 'station' || key.includes('/api/stations/')) return fx.station.town;
    if (who.name === 'station_staff') return fx.dispute.ln;
    return fx.dispute.town;
  }

  function fill(key: string, id: number | string): string {
    return path(key)
      .replace(':id', String(id))
      .replace(':code', fx.town)
      .replace(':z', String(tile.z))
      .replace(':x', String(tile.x))
      .replace(':y.mvt', `${tile.y}.mvt`)
      .replace(':layer', 'no-such-layer')
      .replace(':collectionId', 'disputes')
      .replace(':featureId', String(fx.dispute.town))
      .replace(':partyId', String(partyOf.get(Number(id)) ?? 999_999_999))
      .replace(':key', 'no-such-upload-key')
      .replace(':name', 'screenings.csv');
  }

  const withQuery = (url: string, ...parts: (string | undefined)[]) => {
    const q = parts.filter(Boolean).join('&');
    return q ? `${url}?${q}` : url;
  };

  it('covers every registered route, and only registered ones', () => {
    const registered = [...ctx.app.guardedRoutes].sort();
    expect(registered).toEqual([...keys].sort());
    // A route limiting itself needs its own scope check here.
    const unchecked = keys.filter((k) => routePolicy[k]?.scope === 'route' && !(k in routeChecks));
    expect(unchecked).toEqual([]);
  });

  it('answers a role the policy leaves out with 401 (anonymous) or 403, and lets allowed roles through', async () => {
    const config = loadConfig({ DATA_DIR: '.data/test', LOG_LEVEL: 'silent' });
    const failures: string[] = [];
    for (const key of keys) {
      const access = routePolicy[key] as RouteAccess;
      await Promise.all(
        callerNames.map(async (name) => {
          const who = fx.callers[name];
          let headers = who.headers;
          if (key === 'POST /api/auth/logout' && who.username && allows(access, who)) {
            // Logging out ends the session: use a fresh one, not the caller's shared cookie.
            const { rows } = await ctx.db.query<{ id: number }>('SELECT id FROM accounts WHERE username = $1', [
              who.username,
            ]);
            headers = {
              cookie: `ljm_session=${await createSession(ctx.db, Number(rows[0]?.id), config.auth, { ip: 'test' })}`,
            };
          }
          // Writes go with an empty body and ids that do not exist, so an allowed call is refused by validation
          // (400) or not found (404) and writes nothing. Reads carry an unknown parameter: the role check runs
          // before validation, so an allowed caller gets the 400 without the (possibly county-wide) query.
          const url = isWrite(key)
            ? fill(key, 999_999_999)
            : withQuery(fill(key, inScopeId(key, who)), needs[key], 'matrix_probe=1');
          const res = await ctx.app.inject({
            method: method(key) as 'GET',
            url,
            headers,
            ...(isWrite(key) && key !== 'POST /api/auth/logout' && !key.startsWith('DELETE') ? { payload: {} } : {}),
          });
          const s = res.statusCode;
          if (!allows(access, who)) {
            const want = who.role === null ? 401 : 403;
            if (s !== want) failures.push(`${key} as ${name}: ${s}, want ${want}`);
          } else if (s === 401 || s === 403 || s >= 500) {
            failures.push(`${key} as ${name}: ${s} ${res.body.slice(0, 120)}`);
          }
        }),
      );
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it("'filter' routes: a scoped caller gets exactly their town's answer, and another town is 404", async () => {
    const failures: string[] = [];
    const filterRoutes = keys.filter((k) => routePolicy[k]?.scope === 'filter' && !isWrite(k));
    expect(filterRoutes.length).toBeGreaterThan(10);
    for (const key of filterRoutes) {
      const access = routePolicy[key] as RouteAccess;
      for (const name of callerNames) {
        const who = fx.callers[name];
        if (!scoped(who) || !allows(access, who)) continue;
        const own = who.towns?.[0] as string;
        const url = fill(key, 0);
        // Compared with the county caller of the same kind (export tokens get the export columns).
        const pair = () =>
          Promise.all([
            as(ctx, who, { url: withQuery(url, needs[key]) }),
            as(ctx, who.role === 'export_client' ? fx.callers.export : fx.callers.admin, {
              url: withQuery(url, needs[key], `town=${own}`),
            }),
          ]);
        let [mine, county] = await pair();
        // Other test files write to the shared server database meanwhile: a difference must persist to count.
        for (let again = 0; again < 2 && mine.body !== county.body; again++) [mine, county] = await pair();
        const [other, otherVillage] = await Promise.all([
          as(ctx, who, { url: withQuery(url, needs[key], `town=${fx.otherTown}`) }),
          as(ctx, who, { url: withQuery(url, needs[key], `village=${fx.villageIn.other}`) }),
        ]);
        if (mine.statusCode !== 200) failures.push(`${key} as ${name}: ${mine.statusCode} ${mine.body.slice(0, 100)}`);
        else if (mine.body !== county.body) failures.push(`${key} as ${name}: differs from the admin's town=${own}`);
        if (other.statusCode !== 404) failures.push(`${key} as ${name} town=other: ${other.statusCode}`);
        if (otherVillage.statusCode !== 404 && otherVillage.statusCode !== 400) {
          failures.push(`${key} as ${name} village=other: ${otherVillage.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it("keeps statistics, exports and tiles inside the caller's town (figures compared with the county's)", async () => {
    const officer = fx.callers.town_officer;
    const read = async () => [
      (await as(ctx, officer, { url: '/api/summary' })).json(),
      (await as(ctx, fx.callers.admin, { url: `/api/summary?town=${fx.town}` })).json(),
    ];
    let [summary, countyForTown] = await read();
    // Other test files may add cases meanwhile on the shared server database: a difference must persist.
    for (let again = 0; again < 2 && summary.total.found !== countyForTown.total.found; again++) {
      [summary, countyForTown] = await read();
    }
    const county = (await as(ctx, fx.callers.admin, { url: '/api/summary' })).json();
    expect(summary.total).toEqual(countyForTown.total);
    expect(summary.total.found).toBeLessThan(county.total.found);
    expect(summary.towns.map((t: { code: string }) => t.code)).toEqual([fx.town]);

    for (const who of [officer, fx.callers.export_town]) {
      for (const ds of ['disputes', 'screenings']) {
        const lines = (await as(ctx, who, { url: `/api/export/${ds}.ndjson` })).body.trim().split('\n');
        const towns = new Set(lines.map((l) => JSON.parse(l).properties.townCode));
        expect([...towns]).toEqual([fx.town]);
      }
    }
    const res = await as(ctx, fx.callers.export_town, { url: `/tiles/disputes/${tile.z}/${tile.x}/${tile.y}.mvt` });
    expect(res.statusCode).toBe(200);
    const layer = new VectorTile(new PbfReader(res.rawPayload)).layers.disputes;
    expect(layer?.length).toBeGreaterThan(0);
    const countyTile = await as(ctx, fx.callers.admin, { url: `/tiles/disputes/${tile.z}/${tile.x}/${tile.y}.mvt` });
    const countyLayer = new VectorTile(new PbfReader(countyTile.rawPayload)).layers.disputes;
    const codes = (l: typeof layer) =>
      new Set(Array.from({ length: l?.length ?? 0 }, (_, i) => l?.feature(i).properties.townCode).filter(Boolean));
    expect([...codes(layer)]).toEqual([fx.town]);
    // The tile does reach into other towns, which the county sees and the town's token does not.
    expect(codes(countyLayer).size).toBeGreaterThan(1);
  }, 300_000);

  it("objects by id ('dispute', 'upload'): in scope 2xx, out of scope 404; station staff also reach their station's cases", async () => {
    const failures: string[] = [];
    const byId = keys.filter(
      (k) => !isWrite(k) && ['dispute', 'upload', 'station'].includes(routePolicy[k]?.scope ?? ''),
    );
    for (const key of byId) {
      const access = routePolicy[key] as RouteAccess;
      const rule = access.scope;
      for (const name of callerNames) {
        const who = fx.callers[name];
        if (!allows(access, who)) continue;
        const outId = rule === 'upload' ? fx.batch.other : rule === 'station' ? fx.station.other : fx.dispute.other;
        const [inside, outside] = await Promise.all([
          as(ctx, who, { url: fill(key, inScopeId(key, who)) }),
          as(ctx, who, { url: fill(key, outId) }),
        ]);
        if (inside.statusCode !== 200) failures.push(`${key} as ${name} in scope: ${inside.statusCode}`);
        const want = scoped(who) ? 404 : 200;
        if (outside.statusCode !== want)
          failures.push(`${key} as ${name} out of scope: ${outside.statusCode}, want ${want}`);
      }
    }
    // The station rule: station staff open their station's case filed elsewhere; the town officer does not.
    const elsewhere = `/api/disputes/${fx.lnCaseElsewhere}/case`;
    if ((await as(ctx, fx.callers.station_staff, { url: elsewhere })).statusCode !== 200) failures.push('station case');
    if ((await as(ctx, fx.callers.town_officer, { url: elsewhere })).statusCode !== 404) failures.push('other case');
    expect(failures).toEqual([]);
  }, 300_000);

  /** A case created for the write checks, by the admin, at a village. */
  async function newCase(village: string) {
    const r = await as(ctx, fx.callers.admin, {
      method: 'POST',
      url: '/api/disputes',
      payload: {
        category: 'neighbour',
        riskLevel: 'blue',
        villageCode: village,
        parties: [{ role: 'applicant', name: '王五', phone: '13812345678' }],
      },
    });
    expect(r.statusCode).toBe(201);
    const c = r.json() as { id: number; version: number; stationId: number | null };
    const { rows } = await ctx.db.query<{ id: number }>('SELECT id FROM dispute_parties WHERE dispute_id = $1', [c.id]);
    if (rows[0]) partyOf.set(c.id, Number(rows[0].id));
    return c;
  }

  const caseState = async (id: number) =>
    (
      await ctx.db.query<{ version: number; status: string; events: number }>(
        `SELECT d.version, d.status, d.summary, d.station_id, d.town_code,
           (SELECT count(*)::int FROM case_events e WHERE e.dispute_id = d.id) AS events,
           (SELECT count(*)::int FROM disputes r WHERE r.reopened_from_id = d.id) AS reopened
         FROM disputes d WHERE d.id = $1`,
        [id],
      )
    ).rows[0] as { version: number; status: string; events: number };

  it("case writes ('dispute'): out of scope 404 and nothing changes; in scope they go through", async () => {
    const writes = keys.filter((k) => isWrite(k) && routePolicy[k]?.scope === 'dispute');
    expect(writes.length).toBeGreaterThanOrEqual(6);
    const failures: string[] = [];
    const target = await newCase(fx.villageIn.other);
    for (const name of ['town_officer', 'station_staff'] as CallerName[]) {
      const who = fx.callers[name];
      const mine = await newCase(name === 'town_officer' ? fx.villageIn.town : fx.villageIn.ln);
      const { rows } = await ctx.db.query<{ id: number }>(
        `SELECT id FROM stations WHERE town_code = $1 AND kind IN ('judicial_office', 'police_station') AND id <> $2
         ORDER BY id LIMIT 1`,
        [who.towns?.[0], mine.stationId ?? 0],
      );
      const bodies: Record<string, (version: number) => Record<string, unknown> | undefined> = {
        'POST /api/disputes/:id/parties/:partyId/reveal': () => undefined,
        'PATCH /api/disputes/:id': (version) => ({ version, summary: `matrix ${name}` }),
        'POST /api/disputes/:id/transitions': (version) => ({ version, to: 'accepted' }),
        'POST /api/disputes/:id/handoffs': (version) => ({
          version,
          toStationId: Number(rows[0]?.id ?? fx.station.town),
        }),
        'POST /api/disputes/:id/agreement': (version) => ({ version, agreedOn: '2024-01-02', kind: 'oral' }),
        'POST /api/disputes/:id/reopen': (version) => ({ version }),
        'PUT /api/disputes/:id/mediators': () => ({ mediatorIds: [] }),
        'PUT /api/disputes/:id/dossier': () => ({ item: 'rights_notice', state: 'present' }),
        'PUT /api/disputes/:id/judicial-confirmation': () => ({
          appliedOn: '2023-05-01',
          court: '澧县人民法院',
          result: 'pending',
        }),
        'POST /api/disputes/:id/visits': () => ({
          visitedOn: '2023-05-17',
          performance: 'honoured',
          satisfaction: 'satisfied',
        }),
      };
      for (const key of writes) {
        const body = bodies[key];
        if (!body) {
          failures.push(`${key}: no write body in the matrix`);
          continue;
        }
        const before = await caseState(target.id);
        const out = await as(ctx, who, {
          method: method(key) as 'POST',
          url: fill(key, target.id),
          payload: body(before.version),
        });
        if (out.statusCode !== 404) failures.push(`${key} as ${name} out of scope: ${out.statusCode}`);
        expect(await caseState(target.id)).toEqual(before);
        const now = await caseState(mine.id);
        const inside = await as(ctx, who, {
          method: method(key) as 'POST',
          url: fill(key, mine.id),
          payload: body(now.version),
        });
        // 409 is the workflow's answer (e.g. an agreement for an open case): the caller was let in.
        if (![200, 201, 409].includes(inside.statusCode)) {
          failures.push(`${key} as ${name} in scope: ${inside.statusCode} ${inside.body.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  /** A warning in a town, for the warnings routes' scope checks. */
  async function warningIn(town: string): Promise<number> {
    const { rows } = await ctx.db.query<{ id: number }>(
      `INSERT INTO warnings (rule_code, subject_key, period, level, town_code, evidence, raised_at)
       VALUES ('room_overload', $1, 'matrix', 'town', $2, '{}', app_now()) RETURNING id::int`,
      [`station:matrix-${randomUUID()}`, town],
    );
    return rows[0]?.id as number;
  }

  /** A warning write: out of scope 404 and nothing changes; in scope it goes through. */
  async function warningWrite(action: string, body: Record<string, unknown>): Promise<string[]> {
    const f: string[] = [];
    for (const [name, town] of [
      ['town_officer', fx.town],
      ['station_staff', fx.lnTown],
    ] as const) {
      const who = fx.callers[name];
      const [inside, outside] = [await warningIn(town), await warningIn(fx.otherTown)];
      const call = (id: number) =>
        as(ctx, who, { method: 'POST', url: `/api/warnings/${id}/${action}`, payload: { version: 1, ...body } });
      const out = await call(outside);
      if (out.statusCode !== 404) f.push(`${name} out of scope: ${out.statusCode}`);
      const state = await ctx.db.query<{ version: number }>('SELECT version FROM warnings WHERE id = $1', [outside]);
      if (state.rows[0]?.version !== 1) f.push(`${name}: changed a warning out of scope`);
      const ok = await call(inside);
      if (ok.statusCode !== 200) f.push(`${name} in scope: ${ok.statusCode} ${ok.body.slice(0, 120)}`);
    }
    return f;
  }
  /** A mediator of the register serving a town (the demo register has some in every town). */
  const mediatorIn = async (town: string) =>
    Number(
      (await ctx.db.query<{ id: number }>('SELECT id FROM mediators WHERE town_code = $1 ORDER BY id LIMIT 1', [town]))
        .rows[0]?.id,
    );
  /** A mediator route for each scoped caller: their town's mediator answers `ok`, another town's 404. */
  const mediatorScope = async (
    call: (who: Caller, id: number) => Promise<LightMyRequestResponse>,
    ok: number[],
    names: CallerName[] = ['town_officer', 'station_staff'],
  ) => {
    const f: string[] = [];
    const other = await mediatorIn(fx.otherTown);
    for (const name of names) {
      const who = fx.callers[name];
      const mine = await mediatorIn(who.towns?.[0] as string);
      const inside = await call(who, mine);
      if (!ok.includes(inside.statusCode))
        f.push(`${name} own town: ${inside.statusCode} ${inside.body.slice(0, 100)}`);
      const outside = await call(who, other);
      if (outside.statusCode !== 404) f.push(`${name} other town: ${outside.statusCode}`);
    }
    return f;
  };
  const mediatorVersion = async (id: number) =>
    (await ctx.db.query<{ version: number }>('SELECT version FROM mediators WHERE id = $1', [id])).rows[0]?.version;

  /** Scope checks of the routes that limit themselves ('route'). Each returns failures. */
  const routeChecks: Record<string, () => Promise<string[]>> = {
    'GET /api/mediators/:id': () => mediatorScope((who, id) => as(ctx, who, { url: `/api/mediators/${id}` }), [200]),
    'POST /api/mediators/:id/reveal': () =>
      mediatorScope((who, id) => as(ctx, who, { method: 'POST', url: `/api/mediators/${id}/reveal` }), [200]),
    'PATCH /api/mediators/:id': async () =>
      mediatorScope(
        async (who, id) =>
          as(ctx, who, {
            method: 'PATCH',
            url: `/api/mediators/${id}`,
            payload: { version: await mediatorVersion(id), qualification: '人民调解员资格' },
          }),
        [200],
        ['town_officer'],
      ),
    'POST /api/mediators/:id/trainings': () =>
      mediatorScope(
        (who, id) =>
          as(ctx, who, {
            method: 'POST',
            url: `/api/mediators/${id}/trainings`,
            payload: { trainedOn: '2023-05-01', hours: 2, course: 'matrix' },
          }),
        [201],
        ['town_officer'],
      ),
    'GET /api/meetings/:id': async () => {
      const f: string[] = [];
      const meetingIn = async (town: string | null) =>
        Number(
          (
            await ctx.db.query<{ id: number }>(
              'SELECT id FROM joint_meetings WHERE town_code IS NOT DISTINCT FROM $1 ORDER BY id LIMIT 1',
              [town],
            )
          ).rows[0]?.id,
        );
      const [other, county] = [await meetingIn(fx.otherTown), await meetingIn(null)];
      for (const name of ['town_officer', 'station_staff'] as const) {
        const who = fx.callers[name];
        const mine = await as(ctx, who, { url: `/api/meetings/${await meetingIn(who.towns?.[0] as string)}` });
        if (mine.statusCode !== 200) f.push(`${name} own town: ${mine.statusCode}`);
        for (const id of [other, county]) {
          const r = await as(ctx, who, { url: `/api/meetings/${id}` });
          if (r.statusCode !== 404) f.push(`${name} meeting ${id}: ${r.statusCode}`);
        }
      }
      if ((await as(ctx, fx.callers.leader, { url: `/api/meetings/${county}` })).statusCode !== 200) f.push('leader');
      return f;
    },
    'POST /api/meetings': async () => {
      const f: string[] = [];
      const officer = fx.callers.town_officer;
      const count = async () =>
        (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM joint_meetings')).rows[0]?.n;
      const before = await count();
      const base = { kind: 'joint_meeting', heldOn: '2023-05-10', title: 'matrix' };
      for (const [payload, field] of [
        [{ ...base, townCode: fx.otherTown }, 'townCode'],
        [{ ...base, townCode: null }, 'townCode'],
        [{ ...base, caseIds: [fx.dispute.other] }, 'caseIds'],
      ] as const) {
        const r = await as(ctx, officer, { method: 'POST', url: '/api/meetings', payload });
        if (r.statusCode !== 400 || r.json().field !== field)
          f.push(`${field}: ${r.statusCode} ${r.body.slice(0, 80)}`);
      }
      if ((await count()) !== before) f.push('an out-of-scope meeting was written');
      const ok = await as(ctx, officer, {
        method: 'POST',
        url: '/api/meetings',
        payload: { ...base, caseIds: [fx.dispute.town] },
      });
      if (ok.statusCode !== 201 || ok.json().townCode !== fx.town) f.push(`own town: ${ok.statusCode}`);
      return f;
    },
    'POST /api/mediators': async () => {
      const f: string[] = [];
      const officer = fx.callers.town_officer;
      const count = async () =>
        (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mediators')).rows[0]?.n;
      const before = await count();
      const out = await as(ctx, officer, {
        method: 'POST',
        url: '/api/mediators',
        payload: { name: '矩阵', kind: 'peoples_mediator', villageCode: fx.villageIn.other },
      });
      if (out.statusCode !== 400 || out.json().field !== 'villageCode')
        f.push(`other town's village: ${out.statusCode}`);
      if ((await count()) !== before) f.push('an out-of-scope register entry was written');
      const ok = await as(ctx, officer, {
        method: 'POST',
        url: '/api/mediators',
        payload: { name: '矩阵', kind: 'peoples_mediator', villageCode: fx.villageIn.town },
      });
      if (ok.statusCode !== 201 || ok.json().townCode !== fx.town) f.push(`own village: ${ok.statusCode}`);
      return f;
    },
    'POST /api/disputes': async () => {
      const f: string[] = [];
      for (const [name, inside] of [
        ['town_officer', fx.villageIn.town],
        ['station_staff', fx.villageIn.ln],
      ] as const) {
        const who = fx.callers[name];
        const count = async () =>
          (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM disputes')).rows[0]?.n;
        const before = await count();
        const out = await as(ctx, who, {
          method: 'POST',
          url: '/api/disputes',
          payload: { category: 'neighbour', riskLevel: 'blue', villageCode: fx.villageIn.other },
        });
        if (out.statusCode !== 400 || out.json().field !== 'villageCode') f.push(`${name} other village: ${out.body}`);
        const outStation = await as(ctx, who, {
          method: 'POST',
          url: '/api/disputes',
          payload: { category: 'neighbour', riskLevel: 'blue', villageCode: inside, stationId: fx.station.other },
        });
        if (outStation.statusCode !== 400 || outStation.json().field !== 'stationId') f.push(`${name} other station`);
        if ((await count()) !== before) f.push(`${name}: an out-of-scope create wrote a case`);
        const ok = await as(ctx, who, {
          method: 'POST',
          url: '/api/disputes',
          payload: { category: 'neighbour', riskLevel: 'blue', villageCode: inside },
        });
        const c = ok.json();
        if (ok.statusCode !== 201 || !who.towns?.includes(c.townCode)) f.push(`${name} own village: ${ok.statusCode}`);
        // The actor is the caller.
        if (c.events?.[0]?.actor !== who.username) f.push(`${name}: actor ${c.events?.[0]?.actor}`);
      }
      return f;
    },

    'GET /api/cases': async () => {
      const f: string[] = [];
      for (const name of ['town_officer', 'station_staff'] as const) {
        const who = fx.callers[name];
        const own = who.towns?.[0] as string;
        const read = async () => [
          (await as(ctx, who, { url: '/api/cases?sort=-reportedAt&limit=500' })).json(),
          (await as(ctx, fx.callers.admin, { url: `/api/cases?sort=-reportedAt&limit=500&town=${own}` })).json(),
        ];
        let [mine, county] = await read();
        // Cases created meanwhile by other test files on the shared server database: a difference must persist.
        for (let again = 0; again < 2 && mine.total !== county.total; again++) [mine, county] = await read();
        if (mine.total !== county.total || mine.total === 0) f.push(`${name}: total ${mine.total} ≠ ${county.total}`);
        if (!mine.items.every((c: { townCode: string }) => c.townCode === own))
          f.push(`${name}: a case of another town`);
        const other = await as(ctx, who, { url: `/api/cases?town=${fx.otherTown}` });
        if (other.statusCode !== 404) f.push(`${name} town=other: ${other.statusCode}`);
      }
      // Station staff asking for their station see its cases filed elsewhere too, and only their station's.
      const staff = fx.callers.station_staff;
      const station = (
        await as(ctx, staff, { url: `/api/cases?station=${fx.lnStation}&sort=-reportedAt&limit=500` })
      ).json();
      const ids = station.items.map((c: { id: number }) => c.id);
      if (!ids.includes(fx.lnCaseElsewhere)) f.push('station staff: their case filed elsewhere is missing');
      if (!station.items.every((c: { stationId: number }) => c.stationId === fx.lnStation))
        f.push('station: other station');
      const theirs = await as(ctx, fx.callers.town_officer, { url: `/api/cases?station=${fx.lnStation}` });
      if (theirs.json().items?.some((c: { id: number }) => c.id === fx.lnCaseElsewhere))
        f.push('officer sees station case');
      return f;
    },

    'GET /api/screenings': async () => {
      const f: string[] = [];
      for (const name of ['town_officer', 'station_staff', 'screener'] as const) {
        const who = fx.callers[name];
        const all = (await as(ctx, who, { url: '/api/screenings?limit=10000' })).json();
        const feats = all.features as { properties: { townCode: string; villageCode: string; batchId: number } }[];
        if (!feats.every((s) => who.towns?.includes(s.properties.townCode)))
          f.push(`${name}: a screening of another town`);
        if (who.villages && !feats.every((s) => who.villages?.includes(s.properties.villageCode))) {
          f.push(`${name}: a screening of another village`);
        }
        const other = (await as(ctx, who, { url: `/api/screenings?batch=${fx.batch.other}` })).json();
        if (other.features.length !== 0) f.push(`${name}: the other town's batch`);
      }
      const own = (await as(ctx, fx.callers.screener, { url: `/api/screenings?batch=${fx.batch.screener}` })).json();
      if (own.features.length !== 1) f.push(`screener: own batch has ${own.features.length} screenings`);
      return f;
    },

    'POST /api/screenings': async () => {
      const f: string[] = [];
      const form = (village: string) => ({
        clientId: randomUUID(),
        villageCode: village,
        screenedOn: '2023-05-17',
        screener: '矩阵',
        zeroReport: false,
        items: [{ category: 'neighbour', riskLevel: 'yellow', note: '' }],
      });
      const stored = async (clientId: string) =>
        (await ctx.db.query('SELECT 1 FROM screenings WHERE client_id = $1', [clientId])).rows.length;
      for (const [name, outside, inside] of [
        ['screener', fx.screenerOtherVillage, fx.screenerVillage],
        ['town_officer', fx.villageIn.other, fx.villageIn.town],
      ] as const) {
        const who = fx.callers[name];
        const bad = form(outside);
        const out = await as(ctx, who, { method: 'POST', url: '/api/screenings', payload: bad });
        if (out.statusCode !== 400 || out.json().field !== 'village_code') f.push(`${name} outside: ${out.body}`);
        if ((await stored(bad.clientId)) !== 0) f.push(`${name}: stored a screening outside scope`);
        const good = form(inside);
        const ok = await as(ctx, who, { method: 'POST', url: '/api/screenings', payload: good });
        if (ok.statusCode !== 201 || ok.json().uploadedBy !== who.username)
          f.push(`${name} inside: ${ok.body.slice(0, 120)}`);
      }
      return f;
    },

    'GET /api/warnings': async () => {
      const f: string[] = [];
      await warningIn(fx.town);
      await warningIn(fx.lnTown);
      await warningIn(fx.otherTown);
      for (const name of ['town_officer', 'station_staff'] as const) {
        const who = fx.callers[name];
        const body = (await as(ctx, who, { url: '/api/warnings?limit=5000' })).json();
        const items = body.items as { townCode: string; stationId: number | null; disputeId: number | null }[];
        if (items.length === 0) f.push(`${name}: no warnings`);
        // Station staff also see their station's warnings filed elsewhere, as they reach its cases.
        const own = new Set(
          (
            await ctx.db.query<{ id: number }>('SELECT id::int FROM disputes WHERE station_id = $1', [
              who.stationId ?? 0,
            ])
          ).rows.map((r) => r.id),
        );
        const outside = items.filter(
          (w) =>
            !who.towns?.includes(w.townCode) &&
            !(who.stationId !== null && (w.stationId === who.stationId || own.has(Number(w.disputeId)))),
        );
        if (outside.length > 0) f.push(`${name}: another town's warning`);
        const other = await as(ctx, who, { url: `/api/warnings?town=${fx.otherTown}` });
        if (other.statusCode !== 404) f.push(`${name} town=other: ${other.statusCode}`);
      }
      return f;
    },
    'GET /api/warnings/:id': async () => {
      const f: string[] = [];
      const [mine, ln, other] = [await warningIn(fx.town), await warningIn(fx.lnTown), await warningIn(fx.otherTown)];
      for (const [name, inside] of [
        ['town_officer', mine],
        ['station_staff', ln],
      ] as const) {
        const who = fx.callers[name];
        if ((await as(ctx, who, { url: `/api/warnings/${inside}` })).statusCode !== 200) f.push(`${name}: own warning`);
        if ((await as(ctx, who, { url: `/api/warnings/${other}` })).statusCode !== 404) f.push(`${name}: other town`);
      }
      if ((await as(ctx, fx.callers.leader, { url: `/api/warnings/${other}` })).statusCode !== 200) f.push('leader');
      return f;
    },
    'POST /api/warnings/:id/acknowledge': () => warningWrite('acknowledge', {}),
    'POST /api/warnings/:id/dismiss': () => warningWrite('dismiss', { reason: '矩阵测试' }),

    'GET /api/screening-rounds/:id/villages': async () => {
      const f: string[] = [];
      const county = (await as(ctx, fx.callers.admin, { url: `/api/screening-rounds/${fx.round}/villages` })).json();
      const countyTowns = new Set(
        county.features.map((v: { properties: { townCode: string } }) => v.properties.townCode),
      );
      if (countyTowns.size < 2) f.push('the round is not county-wide');
      for (const name of ['town_officer', 'station_staff', 'screener'] as const) {
        const who = fx.callers[name];
        const body = (await as(ctx, who, { url: `/api/screening-rounds/${fx.round}/villages` })).json();
        const v = body.features as { properties: { code: string; townCode: string } }[];
        if (v.length === 0) f.push(`${name}: no villages`);
        if (!v.every((x) => who.towns?.includes(x.properties.townCode))) f.push(`${name}: a village of another town`);
        if (who.villages && !v.every((x) => who.villages?.includes(x.properties.code)))
          f.push(`${name}: unassigned village`);
      }
      return f;
    },

    'GET /api/screening-rounds/:id/progress': async () => {
      const f: string[] = [];
      for (const name of ['town_officer', 'station_staff'] as const) {
        const who = fx.callers[name];
        const rows = (await as(ctx, who, { url: `/api/screening-rounds/${fx.round}/progress` })).json();
        const towns = rows.map((r: { townCode: string }) => r.townCode);
        if (JSON.stringify(towns) !== JSON.stringify(who.towns)) f.push(`${name}: towns ${towns.join(',')}`);
      }
      return f;
    },

    'GET /api/screening-rounds/:id/to-do': async () => {
      const f: string[] = [];
      for (const name of ['town_officer', 'station_staff', 'screener'] as const) {
        const who = fx.callers[name];
        const rows = (await as(ctx, who, { url: `/api/screening-rounds/${fx.round}/to-do` })).json() as {
          code: string;
          town_code: string;
        }[];
        if (rows.length === 0) f.push(`${name}: nothing to do`);
        if (!rows.every((r) => who.towns?.includes(r.town_code))) f.push(`${name}: another town's village`);
        if (who.villages && !rows.every((r) => who.villages?.includes(r.code))) f.push(`${name}: unassigned village`);
        const other = await as(ctx, who, { url: `/api/screening-rounds/${fx.round}/to-do?town=${fx.otherTown}` });
        if (other.statusCode !== 404) f.push(`${name} town=other: ${other.statusCode}`);
      }
      return f;
    },

    'POST /api/uploads': async () => {
      const f: string[] = [];
      for (const [name, inside, outside] of [
        ['screener', fx.screenerVillage, fx.screenerOtherVillage],
        ['town_officer', fx.villageIn.town, fx.villageIn.other],
        ['station_staff', fx.villageIn.ln, fx.villageIn.town],
      ] as const) {
        const who = fx.callers[name];
        const res = await uploadAs(ctx, who, await csvFor(ctx, [inside, outside]));
        const b = res.json();
        if (res.statusCode !== 201 || b.rowsAccepted !== 1 || b.rowsRejected !== 1) {
          f.push(`${name}: ${res.statusCode} accepted ${b.rowsAccepted} rejected ${b.rowsRejected}`);
          continue;
        }
        // The row outside is named with its field (row 3: the header is row 1).
        const line = (b.report as { row: number; field: string; code: string; severity: string }[]).find(
          (r) => r.severity === 'error',
        );
        // With the code the web app translates: a screener's own villages, or the staff member's town.
        const code = name === 'screener' ? 'not_assigned_village' : 'outside_town';
        if (line?.row !== 3 || line.field !== 'village_code' || line.code !== code)
          f.push(`${name}: report ${JSON.stringify(line)}`);
        if (b.uploadedBy !== who.username) f.push(`${name}: uploadedBy ${b.uploadedBy}`);
        const { rows } = await ctx.db.query<{ username: string; villages: string[] }>(
          `SELECT a.username, (SELECT array_agg(s.village_code) FROM screenings s WHERE s.batch_id = b.id) AS villages
           FROM upload_batches b JOIN accounts a ON a.id = b.uploaded_by_id WHERE b.id = $1`,
          [b.id],
        );
        if (rows[0]?.username !== who.username) f.push(`${name}: uploaded_by_id is not the caller`);
        if (JSON.stringify(rows[0]?.villages) !== JSON.stringify([inside]))
          f.push(`${name}: stored ${rows[0]?.villages}`);
      }
      return f;
    },

    'GET /api/uploads': async () => {
      const f: string[] = [];
      const list = async (who: Caller) =>
        (await as(ctx, who, { url: '/api/uploads?limit=200' })).json() as { id: number; uploadedBy: string }[];
      const screener = await list(fx.callers.screener);
      if (!screener.every((b) => b.uploadedBy === fx.callers.screener.username))
        f.push('screener: a batch of someone else');
      if (!screener.some((b) => b.id === fx.batch.screener)) f.push('screener: own batch missing');
      for (const name of ['town_officer', 'station_staff'] as const) {
        const ids = (await list(fx.callers[name])).map((b) => b.id);
        if (ids.includes(fx.batch.other)) f.push(`${name}: the other town's batch`);
      }
      if (!(await list(fx.callers.town_officer)).some((b) => b.id === fx.batch.screener))
        f.push('officer: town batch missing');
      const admin = (await list(fx.callers.admin)).map((b) => b.id);
      if (!admin.includes(fx.batch.other) || !admin.includes(fx.batch.screener)) f.push('admin: a batch missing');
      return f;
    },

    'GET /ogc/collections/:collectionId/items': async () => {
      const f: string[] = [];
      const who = fx.callers.export_town;
      for (const ds of ['disputes', 'screenings']) {
        const mine = (await as(ctx, who, { url: `/ogc/collections/${ds}/items?limit=1000` })).json();
        const all = (await as(ctx, fx.callers.export, { url: `/ogc/collections/${ds}/items?limit=1` })).json();
        const feats = mine.features as { properties: { townCode: string } }[];
        if (feats.length === 0 || !feats.every((x) => x.properties.townCode === fx.town)) f.push(`${ds}: other towns`);
        if (!(mine.numberMatched < all.numberMatched))
          f.push(`${ds}: numberMatched ${mine.numberMatched} of ${all.numberMatched}`);
      }
      const town = (
        await as(ctx, fx.callers.export, { url: `/ogc/collections/disputes/items?town=${fx.town}&limit=1` })
      ).json();
      const mine = (await as(ctx, who, { url: '/ogc/collections/disputes/items?limit=1' })).json();
      if (mine.numberMatched !== town.numberMatched)
        f.push('disputes: count differs from the county token for the town');
      const other = await as(ctx, who, { url: `/ogc/collections/disputes/items?town=${fx.otherTown}` });
      if (other.statusCode !== 404) f.push(`town=other: ${other.statusCode}`);
      const otherVillage = await as(ctx, who, { url: `/ogc/collections/disputes/items?village=${fx.villageIn.other}` });
      if (otherVillage.statusCode !== 404) f.push(`village=other: ${otherVillage.statusCode}`);
      return f;
    },

    'GET /ogc/collections/:collectionId/items/:featureId': async () => {
      const f: string[] = [];
      const get = (who: Caller, ds: string, id: number) => as(ctx, who, { url: `/ogc/collections/${ds}/items/${id}` });
      const t = fx.callers.export_town;
      const expectStatus = (r: LightMyRequestResponse, want: number, what: string) => {
        if (r.statusCode !== want) f.push(`${what}: ${r.statusCode}, want ${want}`);
      };
      expectStatus(await get(t, 'disputes', fx.dispute.town), 200, 'town token, dispute in town');
      expectStatus(await get(t, 'disputes', fx.dispute.other), 404, 'town token, dispute elsewhere');
      expectStatus(await get(t, 'screenings', fx.screening.town), 200, 'town token, screening in town');
      expectStatus(await get(t, 'screenings', fx.screening.other), 404, 'town token, screening elsewhere');
      expectStatus(await get(fx.callers.export, 'disputes', fx.dispute.other), 200, 'county token, dispute elsewhere');
      return f;
    },
  };

  /**
   * Notifications: a row written for a scoped caller about an event in their scope and one about an event outside
   * it (as if their account had moved): lists, counts, marks and the live stream show only the first.
   */
  async function notificationPair(who: Caller) {
    const account = Number(
      (await ctx.db.query<{ id: number }>('SELECT id FROM accounts WHERE username = $1', [who.username])).rows[0]?.id,
    );
    const insideVillage = who.villages?.[0] ?? null;
    const event = async (townCode: string, villageCode: string | null) => {
      const e = await ctx.db.query<{ id: number }>(
        `INSERT INTO notification_events (kind, level, town_code, village_code, title) VALUES ('case.created', 'town', $1, $2, 'case.created') RETURNING id`,
        [townCode, villageCode],
      );
      const n = await ctx.db.query<{ id: number }>(
        'INSERT INTO notifications (event_id, account_id) VALUES ($1, $2) RETURNING id',
        [e.rows[0]?.id, account],
      );
      return { event: Number(e.rows[0]?.id), id: Number(n.rows[0]?.id) };
    };
    const inside = await event(who.towns?.[0] as string, insideVillage);
    const outside = await event(fx.otherTown, fx.villageIn.other);
    return { inside, outside };
  }
  const notificationCallers = ['town_officer', 'station_staff', 'screener'] as const;

  Object.assign(routeChecks, {
    'GET /api/notifications': async () => {
      const f: string[] = [];
      for (const name of notificationCallers) {
        const who = fx.callers[name];
        const { inside, outside } = await notificationPair(who);
        const list = (await as(ctx, who, { url: '/api/notifications?limit=200' })).json();
        const listed = list.items.map((i: { id: number }) => i.id);
        if (!listed.includes(inside.id)) f.push(`${name}: own in-scope notification missing`);
        if (listed.includes(outside.id)) f.push(`${name}: lists a notification outside the scope`);
        // Station staff also hear of their own station's cases filed in another town (the 'dispute' rule).
        const elsewhere = list.items.filter(
          (i: { townCode: string; stationId: number | null }) =>
            !who.towns?.includes(i.townCode) && (who.stationId === null || i.stationId !== who.stationId),
        );
        if (elsewhere.length > 0) f.push(`${name}: other town`);
      }
      return f;
    },
    'GET /api/notifications/unread': async () => {
      const f: string[] = [];
      for (const name of notificationCallers) {
        const who = fx.callers[name];
        await notificationPair(who);
        const list = (await as(ctx, who, { url: '/api/notifications?unread=true&limit=200' })).json();
        const count = (await as(ctx, who, { url: '/api/notifications/unread' })).json();
        if (count.unread !== list.items.length) f.push(`${name}: unread ${count.unread} ≠ ${list.items.length} listed`);
      }
      return f;
    },
    'POST /api/notifications/read': async () => {
      const f: string[] = [];
      for (const name of notificationCallers) {
        const who = fx.callers[name];
        const { inside, outside } = await notificationPair(who);
        const out = await as(ctx, who, {
          method: 'POST',
          url: '/api/notifications/read',
          payload: { ids: [outside.id] },
        });
        if (out.json().marked !== 0) f.push(`${name}: marked a notification outside the scope`);
        const own = await as(ctx, who, {
          method: 'POST',
          url: '/api/notifications/read',
          payload: { ids: [inside.id] },
        });
        if (own.json().marked !== 1) f.push(`${name}: could not mark their own`);
      }
      return f;
    },
    'GET /api/notifications/stream': async () => {
      const f: string[] = [];
      await ctx.app.listen({ host: '127.0.0.1', port: 0 });
      const addr = ctx.app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      for (const name of notificationCallers) {
        const who = fx.callers[name];
        const page = await openSse(`http://127.0.0.1:${port}/api/notifications/stream`, who.headers.cookie as string);
        await page.waitComment(/connected/);
        const { inside, outside } = await notificationPair(who);
        for (const id of [outside.event, inside.event])
          await ctx.db.query('SELECT pg_notify($1, $2)', ['ljm_notifications', String(id)]);
        const [frame] = await page.waitFrames(1);
        // The out-of-scope one was sent first: had it passed, it would be the first frame.
        if (Number(frame?.id) !== inside.id) f.push(`${name}: stream sent ${frame?.id}, want ${inside.id}`);
        page.close();
      }
      return f;
    },
  });

  /** Tasks for the scope checks, made by the county administrator: in the officer's town, at station staff's
   * station, for the screener's village, and in the other town. */
  let taskFixtures: Promise<Record<'town' | 'ln' | 'screener' | 'other', number>> | null = null;
  const taskIds = () => {
    taskFixtures ??= (async () => {
      const day = (
        await ctx.db.query<{ d: string }>(
          `SELECT to_char((app_now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS d`,
        )
      ).rows[0]?.d;
      const screenerId = Number(
        (
          await ctx.db.query<{ id: number }>('SELECT id FROM accounts WHERE username = $1', [
            fx.callers.screener.username,
          ])
        ).rows[0]?.id,
      );
      const make = async (villageCode: string, assignee: object) => {
        const r = await as(ctx, fx.callers.admin, {
          method: 'POST',
          url: '/api/tasks',
          payload: { action: 'verify', subjectKind: 'village', villageCode, dueOn: day, ...assignee },
        });
        if (r.statusCode !== 201) throw new Error(`task fixture: ${r.statusCode} ${r.body}`);
        return r.json().id as number;
      };
      return {
        town: await make(fx.villageIn.town, { assigneeStationId: fx.station.town }),
        ln: await make(fx.villageIn.ln, { assigneeStationId: fx.lnStation }),
        screener: await make(fx.screenerVillage, { assigneeAccountId: screenerId }),
        other: await make(fx.villageIn.other, { assigneeStationId: fx.station.other }),
      };
    })();
    return taskFixtures;
  };
  const ownTask = { town_officer: 'town', station_staff: 'ln', screener: 'screener' } as const;

  Object.assign(routeChecks, {
    'GET /api/tasks': async () => {
      const f: string[] = [];
      const t = await taskIds();
      for (const name of ['town_officer', 'station_staff', 'screener'] as const) {
        const who = fx.callers[name];
        const list = (await as(ctx, who, { url: '/api/tasks?limit=500' })).json();
        const listed = list.items.map((i: { id: number }) => i.id);
        if (!listed.includes(t[ownTask[name]])) f.push(`${name}: own task missing`);
        if (listed.includes(t.other)) f.push(`${name}: lists a task of another town`);
        if (list.items.some((i: { townCode: string }) => !who.towns?.includes(i.townCode)))
          f.push(`${name}: other town`);
        const other = await as(ctx, who, { url: `/api/tasks?town=${fx.otherTown}` });
        if (other.statusCode !== 404) f.push(`${name} town=other: ${other.statusCode}`);
      }
      // Station staff see their station's tasks, not the rest of the town's.
      const staff = (await as(ctx, fx.callers.station_staff, { url: '/api/tasks?limit=500' })).json();
      if (staff.items.some((i: { assigneeStationId: number }) => i.assigneeStationId !== fx.lnStation))
        f.push('station staff: a task of another station');
      return f;
    },
    'GET /api/tasks/:id': async () => {
      const f: string[] = [];
      const t = await taskIds();
      for (const name of ['town_officer', 'station_staff', 'screener'] as const) {
        const who = fx.callers[name];
        const own = await as(ctx, who, { url: `/api/tasks/${t[ownTask[name]]}` });
        const other = await as(ctx, who, { url: `/api/tasks/${t.other}` });
        if (own.statusCode !== 200) f.push(`${name} own task: ${own.statusCode}`);
        if (other.statusCode !== 404) f.push(`${name} other task: ${other.statusCode}`);
      }
      return f;
    },
    'POST /api/tasks': async () => {
      const f: string[] = [];
      const who = fx.callers.town_officer;
      const day = (await as(ctx, fx.callers.admin, { url: `/api/tasks/${(await taskIds()).town}` })).json().dueOn;
      const count = async () => (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks')).rows[0]?.n;
      const before = await count();
      const base = { action: 'verify', subjectKind: 'village', dueOn: day };
      const outVillage = await as(ctx, who, {
        method: 'POST',
        url: '/api/tasks',
        payload: { ...base, villageCode: fx.villageIn.other, assigneeStationId: fx.station.town },
      });
      if (outVillage.statusCode !== 400 || outVillage.json().field !== 'villageCode') f.push('other village accepted');
      const outStation = await as(ctx, who, {
        method: 'POST',
        url: '/api/tasks',
        payload: { ...base, villageCode: fx.villageIn.town, assigneeStationId: fx.station.other },
      });
      if (outStation.statusCode !== 400 || outStation.json().field !== 'assigneeStationId') f.push('other station');
      if ((await count()) !== before) f.push('an out-of-scope create wrote a task');
      const ok = await as(ctx, who, {
        method: 'POST',
        url: '/api/tasks',
        payload: { ...base, villageCode: fx.villageIn.town, assigneeStationId: fx.station.town },
      });
      if (ok.statusCode !== 201 || ok.json().townCode !== fx.town) f.push(`own town: ${ok.statusCode}`);
      return f;
    },
    'POST /api/tasks/:id/transitions': async () => {
      const f: string[] = [];
      const t = await taskIds();
      const version = async (id: number) =>
        (await ctx.db.query<{ version: number }>('SELECT version FROM tasks WHERE id = $1', [id])).rows[0]?.version;
      for (const name of ['town_officer', 'station_staff', 'screener'] as const) {
        const before = await version(t.other);
        const out = await as(ctx, fx.callers[name], {
          method: 'POST',
          url: `/api/tasks/${t.other}/transitions`,
          payload: { to: 'accepted', version: before },
        });
        if (out.statusCode !== 404) f.push(`${name} other task: ${out.statusCode}`);
        if ((await version(t.other)) !== before) f.push(`${name}: an out-of-scope move changed the task`);
      }
      const own = await as(ctx, fx.callers.station_staff, {
        method: 'POST',
        url: `/api/tasks/${t.ln}/transitions`,
        payload: { to: 'accepted', version: await version(t.ln) },
      });
      if (own.statusCode !== 200) f.push(`station staff own task: ${own.statusCode} ${own.body.slice(0, 100)}`);
      return f;
    },
    'GET /api/tasks/assignees': async () => {
      const f: string[] = [];
      const who = fx.callers.town_officer;
      const other = await as(ctx, who, { url: `/api/tasks/assignees?town=${fx.otherTown}` });
      if (other.statusCode !== 404) f.push(`other town: ${other.statusCode}`);
      const own = await as(ctx, who, { url: `/api/tasks/assignees?town=${fx.town}` });
      const stations = own.json().stations as { id: number }[];
      if (own.statusCode !== 200 || !stations.some((s) => s.id === fx.station.town)) f.push('own town stations');
      if (stations.some((s) => s.id === fx.station.other)) f.push('a station of another town');
      return f;
    },
  });

  it("routes that limit themselves ('route'): each one's own scope check", async () => {
    const failures: string[] = [];
    for (const key of keys.filter((k) => routePolicy[k]?.scope === 'route')) {
      const check = routeChecks[key];
      if (!check) failures.push(`${key}: no scope check`);
      else for (const msg of await check()) failures.push(`${key}: ${msg}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('rejects fields a role may not set with 400 naming the field (no mass assignment)', async () => {
    const officer = fx.callers.town_officer;
    const c = await newCase(fx.villageIn.town);
    const cases: [Caller, string, string, Record<string, unknown>, string][] = [
      [
        officer,
        'POST',
        '/api/disputes',
        { category: 'neighbour', riskLevel: 'red', villageCode: fx.villageIn.town, actor: '某人' },
        'actor',
      ],
      [
        officer,
        'POST',
        '/api/disputes',
        { category: 'neighbour', riskLevel: 'red', villageCode: fx.villageIn.town, created_by: 'x' },
        'created_by',
      ],
      [
        officer,
        'POST',
        '/api/disputes',
        { category: 'neighbour', riskLevel: 'red', villageCode: fx.villageIn.town, townCode: fx.otherTown },
        'townCode',
      ],
      [officer, 'PATCH', `/api/disputes/${c.id}`, { version: c.version, summary: 'x', actor: '某人' }, 'actor'],
      [officer, 'PATCH', `/api/disputes/${c.id}`, { version: c.version, stationId: fx.station.other }, 'stationId'],
      [
        officer,
        'POST',
        `/api/disputes/${c.id}/transitions`,
        { version: c.version, to: 'accepted', actor: '某人' },
        'actor',
      ],
      [officer, 'POST', `/api/disputes/${c.id}/transitions`, { version: c.version, to: 'accepted', by: '某人' }, 'by'],
      [
        fx.callers.screener,
        'POST',
        '/api/screenings',
        {
          clientId: randomUUID(),
          villageCode: fx.screenerVillage,
          screenedOn: '2023-05-17',
          screener: 'x',
          zeroReport: true,
          items: [],
          uploaded_by: 'x',
        },
        'uploaded_by',
      ],
      [officer, 'POST', '/api/auth/password', { current: 'x'.repeat(12), next: 'y'.repeat(12), role: 'admin' }, 'role'],
      [
        officer,
        'POST',
        '/api/auth/password',
        { current: 'x'.repeat(12), next: 'y'.repeat(12), town_code: fx.otherTown },
        'town_code',
      ],
    ];
    const failures: string[] = [];
    for (const [who, m, url, payload, field] of cases) {
      const r = await as(ctx, who, { method: m as 'POST', url, payload });
      if (r.statusCode !== 400 || r.json().field !== field)
        failures.push(`${m} ${url} ${field}: ${r.statusCode} ${r.body.slice(0, 100)}`);
    }
    // Uploads: who uploads is the caller, not a parameter.
    const up = await uploadAs(ctx, fx.callers.screener, await csvFor(ctx, [fx.screenerVillage]), '?by=someone');
    if (up.statusCode !== 400 || up.json().field !== 'by') failures.push(`upload by=: ${up.statusCode}`);
    // Accounts and tokens (role, town, station) are the administrator's alone.
    for (const name of ['leader', 'town_officer', 'station_staff', 'screener'] as const) {
      const who = fx.callers[name];
      const patch = await as(ctx, who, { method: 'PATCH', url: '/api/accounts/1', payload: { role: 'admin' } });
      const token = await as(ctx, who, { method: 'POST', url: '/api/tokens', payload: { name: 'x', role: 'admin' } });
      if (patch.statusCode !== 403 || token.statusCode !== 403) failures.push(`${name}: accounts ${patch.statusCode}`);
    }
    expect(failures).toEqual([]);
    // Nothing was written by the refused case bodies.
    expect((await caseState(c.id)).version).toBe(c.version);
  }, 300_000);
});
