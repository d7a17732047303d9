import type { FeatureCollection, MultiPolygon, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../server/auth/roles.js';
import { personalDataKeyring } from '../../server/db/keys.js';
import { townCountsFromDisputes } from '../../server/db/queries/summary.js';
import { readerOf } from '../../server/routes/notifications/index.js';
import { caseDossier } from '../../server/services/dossier/index.js';
import { caseMediators, listMediators, mediatorDetail, registerChecks } from '../../server/services/mediators/index.js';
import {
  attendeeOptions,
  listMeetings,
  meetingDetail,
  meetingRegularity,
} from '../../server/services/meetings/index.js';
import { inbox, unread } from '../../server/services/notifications/inbox.js';
import { notificationRules } from '../../server/services/notifications/rules.js';
import { figuresOfTasks, listTasks, taskDetail } from '../../server/services/tasks/index.js';
import { caseVisits } from '../../server/services/visits/index.js';
import { getWarning, listRules, listWarnings, scopeOf } from '../../server/services/warnings/index.js';
import { backends, getJson, openTestApp, type TestContext } from './harness.js';

interface Kpis {
  found: number;
  resolved: number;
  failed: number;
  referred: number;
  open: number;
  successRate: number | null;
  closedSuccessRate: number | null;
  villageLevelRate: number | null;
  townLevelRate: number | null;
}
interface Summary {
  total: Kpis;
  towns: (Kpis & { code: string; name: string })[];
}
interface DisputePage {
  total: number;
  limit: number;
  offset: number;
  items: {
    id: number;
    caseNo: string;
    status: string;
    townCode: string;
    reportedAt: string;
    lon: number;
    lat: number;
  }[];
}

describe.each(backends)('API on the %s database', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const count = async (sql: string, values: unknown[] = []) =>
    (await ctx.db.query<{ n: number }>(sql, values)).rows[0]?.n;

  describe('health', () => {
    it('reports which backend runs and the PostGIS version', async () => {
      const { status, body } = await getJson<{ backend: string; postgis: string }>(ctx.app, '/api/health');
      expect(status).toBe(200);
      expect(body.backend).toBe(backend === 'embedded' ? 'embedded' : 'postgis');
      expect(body.postgis).toMatch(/^3\.\d+/);
    });
  });

  describe('summary', () => {
    it('reproduces the article for the demo county: 27,013 found, 26,014 resolved, 96.3 %', async () => {
      const { status, body } = await getJson<Summary>(ctx.app, '/api/summary');
      expect(status).toBe(200);
      expect(body.total.found).toBe(27013);
      expect(body.total.resolved).toBe(26014);
      expect(body.total.failed + body.total.referred).toBe(0);
      expect(body.total.open).toBe(27013 - 26014);
      expect(body.total.successRate).toBeCloseTo(0.963, 3);
      expect(body.towns).toHaveLength(19);
    });

    it('breaks the county down by town, and the towns add up to the county', async () => {
      const { body } = await getJson<Summary>(ctx.app, '/api/summary');
      const sum = body.towns.reduce((s, t) => s + t.found, 0);
      expect(sum).toBe(body.total.found);
      const direct = await count(`SELECT count(*)::int AS n FROM disputes WHERE town_code = '430723108'`);
      expect(body.towns.find((t) => t.code === '430723108')?.found).toBe(direct);
    });

    it('filters to one town, a category and a date range', async () => {
      const { body } = await getJson<Summary>(
        ctx.app,
        '/api/summary?town=430723114&category=neighbour&from=2022-01-01&to=2022-12-31',
      );
      const direct = await count(
        `SELECT count(*)::int AS n FROM disputes WHERE town_code = '430723114' AND category = 'neighbour'
           AND reported_at >= '2022-01-01T00:00:00+08:00' AND reported_at < '2023-01-01T00:00:00+08:00'`,
      );
      expect(body.towns.map((t) => t.code)).toEqual(['430723114']);
      expect(body.total.found).toBe(direct);
      expect(body.total.found).toBeGreaterThan(0);
    });

    it('answers an empty selection with zeros, not an error', async () => {
      const { status, body } = await getJson<Summary>(ctx.app, '/api/summary?from=2030-01-01&to=2030-12-31');
      expect(status).toBe(200);
      expect(body.total.found).toBe(0);
      expect(body.total.successRate).toBeNull();
    });

    it('gives each town its mean days to resolution (平均化解天数), the same from the rollup and from the cases', async () => {
      type Row = { code: string; meanDaysToResolve: number | null };
      const { rows } = await ctx.db.query<{ code: string; mean: number | null }>(
        `SELECT town_code AS code, round(avg(extract(epoch FROM resolved_at - reported_at) / 86400)::numeric, 1)::float8
           AS mean
         FROM disputes WHERE status = 'resolved' AND category = 'neighbour' GROUP BY 1`,
      );
      const direct = new Map(rows.map((r) => [r.code, r.mean]));
      expect(direct.size).toBeGreaterThan(5);
      // The API reads the rollup (migration 155); the builder for other filters reads the cases themselves.
      const rollup = (await getJson<{ towns: Row[] }>(ctx.app, '/api/summary?category=neighbour')).body.towns;
      const q = townCountsFromDisputes({ categories: ['neighbour'] });
      const cases = (await ctx.db.query<Row>(q.text, q.values)).rows;
      for (const answer of [rollup, cases]) {
        for (const t of answer) expect(t.meanDaysToResolve, t.code).toBe(direct.get(t.code) ?? null);
      }
    });
  });

  describe('admin units', () => {
    it('serves 19 towns and 291 villages as GeoJSON MultiPolygons', async () => {
      const towns = await getJson<FeatureCollection<MultiPolygon>>(ctx.app, '/api/admin-units?level=town');
      const villages = await getJson<FeatureCollection<MultiPolygon>>(ctx.app, '/api/admin-units?level=village');
      expect(towns.body.features).toHaveLength(19);
      expect(villages.body.features).toHaveLength(291);
      for (const f of towns.body.features) {
        expect(f.geometry.type).toBe('MultiPolygon');
        expect(f.properties).toMatchObject({ level: 'town', parentCode: '430723' });
      }
    });

    it('lists the villages of one town, and serves one unit by code', async () => {
      const list = await getJson<FeatureCollection>(ctx.app, '/api/admin-units?parent=430723108');
      const direct = await count(`SELECT count(*)::int AS n FROM admin_units WHERE parent_code = '430723108'`);
      expect(list.body.features).toHaveLength(direct as number);
      const one = await getJson<{ id: string; properties: { name: string } }>(ctx.app, '/api/admin-units/430723108');
      expect(one.body.properties.name).toBe('王家厂镇');
    });

    it('stores valid geometries only', async () => {
      expect(await count('SELECT count(*)::int AS n FROM admin_units WHERE NOT ST_IsValid(geom)')).toBe(0);
    });
  });

  describe('stations', () => {
    it('serves stations as points, filtered by kind and town', async () => {
      const all = await getJson<FeatureCollection<Point>>(ctx.app, '/api/stations');
      const rooms = await getJson<FeatureCollection<Point>>(ctx.app, '/api/stations?kind=joint_mediation_room');
      const inTown = await getJson<FeatureCollection<Point>>(ctx.app, '/api/stations?town=430723108');
      expect(all.body.features.length).toBe(await count('SELECT count(*)::int AS n FROM stations'));
      expect(rooms.body.features.length).toBeGreaterThan(0);
      expect(rooms.body.features.every((f) => f.properties?.kind === 'joint_mediation_room')).toBe(true);
      expect(inTown.body.features.every((f) => f.properties?.townCode === '430723108')).toBe(true);
      const id = all.body.features[0]?.properties?.id;
      expect((await getJson(ctx.app, `/api/stations/${id}`)).status).toBe(200);
    });
  });

  describe('disputes', () => {
    it('pages through open disputes, newest first', async () => {
      const { body } = await getJson<DisputePage>(ctx.app, '/api/disputes?status=open&limit=50&offset=10');
      expect(body.total).toBe(999);
      expect(body.items).toHaveLength(50);
      expect(body.items.every((d) => ['reported', 'accepted', 'mediating'].includes(d.status))).toBe(true);
      const dates = body.items.map((d) => d.reportedAt);
      expect([...dates].sort().reverse()).toEqual(dates);
    });

    it('filters by bbox with the same answer as PostGIS containment', async () => {
      const bbox = [111.6, 29.55, 111.85, 29.7];
      const { body } = await getJson<DisputePage>(ctx.app, `/api/disputes?bbox=${bbox.join(',')}&limit=1`);
      const direct = await count(
        'SELECT count(*)::int AS n FROM disputes WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))',
        bbox,
      );
      expect(body.total).toBe(direct);
      expect(body.total).toBeGreaterThan(0);
    });

    it('returns GeoJSON points for the map, with the town filter applied', async () => {
      const { body } = await getJson<FeatureCollection<Point>>(
        ctx.app,
        '/api/disputes?format=geojson&status=open&town=430723108&limit=10000',
      );
      const direct = await count(
        `SELECT count(*)::int AS n FROM disputes WHERE town_code = '430723108' AND status IN ('reported','accepted','mediating')`,
      );
      expect(body.type).toBe('FeatureCollection');
      expect(body.features).toHaveLength(direct as number);
      expect(body.features.every((f) => f.properties?.ageDays >= 0)).toBe(true);
    });

    it("ages open cases against the data's as-of day (the demo ends on 2023-05-17)", async () => {
      const config = await getJson<{ asOf: string }>(ctx.app, '/api/config');
      expect(config.body.asOf).toBe('2023-05-17T23:59:59+08:00');
      const { body } = await getJson<DisputePage & { items: { ageDays: number }[] }>(
        ctx.app,
        '/api/disputes?status=open&sort=reportedAt&limit=5',
      );
      for (const d of body.items) {
        const expected = Math.floor((Date.parse(config.body.asOf) - Date.parse(d.reportedAt)) / 86_400_000);
        expect(d.ageDays).toBe(expected);
      }
    });

    it("finds the article's medical dispute of 2021-05-25 in 王家厂镇", async () => {
      const { body } = await getJson<DisputePage>(
        ctx.app,
        '/api/disputes?town=430723108&category=medical&from=2021-05-25&to=2021-05-25',
      );
      expect(body.total).toBe(1);
      const detail = await getJson<{ summary: string; status: string }>(ctx.app, `/api/disputes/${body.items[0]?.id}`);
      expect(detail.body.status).toBe('resolved');
      expect(detail.body.summary).toContain('王家厂');
    });
  });

  describe('bad input gets a 400 naming the parameter', () => {
    const cases: [string, string][] = [
      ['/api/disputes?limit=0', 'limit'],
      ['/api/disputes?limit=100001', 'limit'],
      ['/api/disputes?limit=abc', 'limit'],
      ['/api/disputes?offset=-1', 'offset'],
      ['/api/disputes?status=closedish', 'status'],
      ['/api/disputes?status=open,', 'status'],
      ['/api/disputes?category=aliens', 'category'],
      ['/api/disputes?town=12', 'town'],
      ['/api/disputes?town=430723999', 'town'],
      ['/api/disputes?village=430723108999', 'village'],
      ['/api/disputes?from=2023-02-30', 'from'],
      ['/api/disputes?from=yesterday', 'from'],
      ['/api/disputes?from=2023-05-01&to=2023-04-01', 'to'],
      ['/api/disputes?bbox=1,2,3', 'bbox'],
      ['/api/disputes?bbox=112,29,111,30', 'bbox'],
      ['/api/disputes?bbox=a,b,c,d', 'bbox'],
      ['/api/disputes?bbox=100,-95,101,30', 'bbox'],
      ['/api/disputes?sort=id;drop', 'sort'],
      ['/api/disputes?format=kml', 'format'],
      ['/api/disputes?colour=red', 'colour'],
      ['/api/summary?town=430723999', 'town'],
      ['/api/admin-units?level=province', 'level'],
      ['/api/stations?kind=fire_station', 'kind'],
      ['/api/stations/abc', 'id'],
    ];
    it.each(cases)('%s → 400 naming %s', async (url, field) => {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(400);
      const body = res.json() as { field: string; message: string };
      expect(body.field).toBe(field);
      expect(body.message).toContain(field);
    });

    it.each(['/api/disputes/999999999', '/api/stations/999999', '/api/admin-units/430723999999', '/api/no-such-thing'])(
      '%s → 404 with a JSON message',
      async (url) => {
        const res = await ctx.app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(404);
        expect((res.json() as { message: string }).message).toMatch(/not found|No route/);
      },
    );
  });

  describe('documentation', () => {
    it('serves an OpenAPI document describing every API route', async () => {
      const { status, body } = await getJson<{ paths: Record<string, unknown> }>(ctx.app, '/docs/json');
      expect(status).toBe(200);
      for (const p of ['/api/health', '/api/admin-units', '/api/stations', '/api/disputes', '/api/summary']) {
        expect(Object.keys(body.paths)).toContain(p);
      }
    });

    it('documents the fields of every statistics answer (the contract in server/contract/)', async () => {
      type Op = { responses?: Record<string, { content?: Record<string, { schema?: { properties?: object } }> }> };
      const { body } = await getJson<{ paths: Record<string, { get?: Op }> }>(ctx.app, '/docs/json');
      const paths = Object.keys(body.paths).filter(
        (p) => p.startsWith('/api/analytics/') || p === '/api/cases/figures',
      );
      expect(paths.length).toBeGreaterThanOrEqual(11);
      for (const p of paths) {
        const content = body.paths[p]?.get?.responses?.['200']?.content ?? {};
        const schema = Object.values(content)[0]?.schema;
        expect(Object.keys(schema?.properties ?? {}), p).not.toHaveLength(0);
      }
    });

    it('documents the fields of the warnings, tasks and notifications answers (the contract in server/contract/)', async () => {
      type Schema = { properties?: Record<string, Schema>; items?: Schema };
      type Op = { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
      const { body } = await getJson<{ paths: Record<string, Record<string, Op>> }>(ctx.app, '/docs/json');
      const answer = (method: string, path: string, type = 'application/json') =>
        body.paths[path]?.[method]?.responses?.['200']?.content?.[type]?.schema;
      const fields = (s: Schema | undefined) => Object.keys(s?.properties ?? {});
      const itemFields = (s: Schema | undefined, list: string) => fields(s?.properties?.[list]?.items);
      const has = (names: string[]) => expect.arrayContaining(names);

      const warnings = answer('get', '/api/warnings');
      expect(fields(warnings)).toEqual(has(['total', 'byRule', 'byStatus', 'items']));
      expect(itemFields(warnings, 'items')).toEqual(
        has(['id', 'rule', 'status', 'level', 'townName', 'caseNo', 'evidence', 'mediatorName', 'raisedAt', 'version']),
      );
      const layer = answer('get', '/api/warnings', 'application/geo+json');
      expect(fields(layer?.properties?.features?.items?.properties?.properties)).toEqual(has(['id', 'rule', 'status']));
      expect(fields(answer('get', '/api/warnings/{id}'))).toEqual(has(['id', 'rule', 'evidence', 'allowedMoves']));
      for (const move of ['acknowledge', 'dismiss']) {
        expect(fields(answer('post', `/api/warnings/{id}/${move}`)), move).toEqual(has(['id', 'status', 'version']));
      }
      const rules = answer('get', '/api/warnings/rules');
      expect(itemFields(rules, 'rules')).toEqual(
        has(['code', 'enabled', 'version', 'thresholds', 'name', 'definition']),
      );

      const tasks = answer('get', '/api/tasks');
      expect(fields(tasks)).toEqual(has(['total', 'items']));
      expect(itemFields(tasks, 'items')).toEqual(
        has(['id', 'action', 'status', 'version', 'point', 'dueOn', 'overdue', 'reportPoint', 'allowedMoves']),
      );
      const task = answer('get', '/api/tasks/{id}');
      expect(itemFields(task, 'events')).toEqual(has(['id', 'kind', 'actorName', 'note', 'at']));
      expect(fields(answer('post', '/api/tasks/{id}/transitions'))).toEqual(has(['id', 'status', 'events']));
      expect(itemFields(answer('get', '/api/tasks/figures'), 'units')).toEqual(has(['key', 'issued', 'onTimeRate']));
      expect(itemFields(answer('get', '/api/tasks/assignees'), 'screeners')).toEqual(has(['id', 'villages']));

      const inbox = answer('get', '/api/notifications');
      expect(fields(inbox)).toEqual(has(['items', 'unread', 'latest']));
      expect(itemFields(inbox, 'items')).toEqual(has(['id', 'kind', 'family', 'title', 'params', 'point', 'read']));
      expect(fields(answer('get', '/api/notifications/unread'))).toEqual(has(['unread', 'latest']));
      expect(fields(answer('post', '/api/notifications/read'))).toEqual(has(['marked', 'unread', 'latest']));
      expect(fields(answer('get', '/api/notification-rules'))).toEqual(
        has(['kinds', 'roles', 'audiencesOfRole', 'rules']),
      );
    });

    it('documents the fields of the people answers: mediators, meetings, visits, dossier (server/contract/)', async () => {
      type Schema = { properties?: Record<string, Schema>; items?: Schema };
      type Op = { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
      const { body } = await getJson<{ paths: Record<string, Record<string, Op>> }>(ctx.app, '/docs/json');
      const answer = (method: string, path: string, status = '200') =>
        body.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;
      const fields = (s: Schema | undefined) => Object.keys(s?.properties ?? {});
      const itemFields = (s: Schema | undefined, list: string) => fields(s?.properties?.[list]?.items);
      const has = (names: string[]) => expect.arrayContaining(names);

      const mediators = answer('get', '/api/mediators');
      expect(fields(mediators)).toEqual(has(['total', 'items']));
      const mediatorFields = [
        'id',
        'name',
        'kind',
        'stationName',
        'townName',
        'appointedTo',
        'hoursThisYear',
        'figures',
      ];
      expect(itemFields(mediators, 'items')).toEqual(has(mediatorFields));
      for (const [method, path, status] of [
        ['get', '/api/mediators/{id}', '200'],
        ['patch', '/api/mediators/{id}', '200'],
        ['post', '/api/mediators', '201'],
        ['post', '/api/mediators/{id}/trainings', '201'],
      ] as const) {
        const mediator = answer(method, path, status);
        expect(fields(mediator), path).toEqual(has([...mediatorFields, 'trainings', 'recentCases']));
        expect(itemFields(mediator, 'trainings'), path).toEqual(has(['id', 'trainedOn', 'hours', 'course']));
      }
      expect(fields(answer('get', '/api/mediators/{id}')?.properties?.figures)).toEqual(
        has(['cases', 'resolved', 'closed', 'successRate', 'meanDays', 'load']),
      );
      const checks = answer('get', '/api/mediators/checks');
      expect(fields(checks)).toEqual(has(['withinDays', 'requiredHours', 'counts', 'items']));
      expect(itemFields(checks, 'items')).toEqual(has(['rule', 'subjectId', 'due', 'daysLeft', 'mediator']));
      for (const method of ['get', 'put']) {
        expect(fields(answer(method, '/api/disputes/{id}/mediators')?.items), method).toEqual(
          has(['id', 'name', 'kind', 'townCode', 'stationName']),
        );
      }

      const meetings = answer('get', '/api/meetings');
      expect(fields(meetings)).toEqual(has(['total', 'items']));
      expect(itemFields(meetings, 'items')).toEqual(
        has(['id', 'kind', 'heldOn', 'townName', 'title', 'synthetic', 'attendees', 'cases', 'decisions']),
      );
      const meeting = answer('get', '/api/meetings/{id}');
      expect(fields(meeting)).toEqual(has(['id', 'minutes', 'attendees', 'cases', 'decisions']));
      expect(itemFields(meeting, 'attendees')).toEqual(has(['mediatorId', 'accountId', 'name']));
      expect(itemFields(meeting, 'decisions')).toEqual(has(['id', 'text', 'stationName', 'dueOn', 'taskStatus']));
      expect(fields(answer('post', '/api/meetings', '201'))).toEqual(has(['id', 'decisions', 'replayed']));
      const regularity = answer('get', '/api/meetings/regularity');
      expect(fields(regularity)).toEqual(has(['every', 'towns', 'county']));
      expect(itemFields(regularity, 'towns')).toEqual(has(['townCode', 'townName', 'met', 'expected', 'rate']));
      expect(itemFields(answer('get', '/api/meetings/attendees'), 'mediators')).toEqual(
        has(['id', 'name', 'kind', 'stationName']),
      );

      const visits = answer('get', '/api/disputes/{id}/visits');
      expect(fields(visits)).toEqual(has(['canVisit', 'firstVisitDue', 'firstVisitOverdue', 'caseVersion', 'visits']));
      expect(itemFields(visits, 'visits')).toEqual(
        has(['id', 'visitedOn', 'performance', 'satisfaction', 'note', 'actor', 'reopenedAsCaseNo', 'offersReopen']),
      );
      expect(fields(answer('post', '/api/disputes/{id}/visits', '201'))).toEqual(
        has(['visits', 'visitId', 'replayed']),
      );
      for (const [method, path] of [
        ['get', '/api/disputes/{id}/dossier'],
        ['put', '/api/disputes/{id}/dossier'],
        ['put', '/api/disputes/{id}/judicial-confirmation'],
      ] as const) {
        const dossier = answer(method, path);
        expect(fields(dossier), path).toEqual(has(['items', 'completeness', 'confirmation', 'confirmationWindow']));
        expect(itemFields(dossier, 'items'), path).toEqual(has(['item', 'state', 'source', 'name']));
        expect(fields(dossier?.properties?.confirmationWindow), path).toEqual(
          has(['state', 'deadline', 'daysLeft', 'flagged']),
        );
      }
    });

    it('sends every field the people services build: mediators, meetings, visits, dossier', async () => {
      const me = (await getJson<{ id: number; username: string; displayName: string }>(ctx.app, '/api/auth/me')).body;
      const admin: Principal = {
        kind: 'account',
        id: me.id,
        name: me.username,
        displayName: me.displayName,
        role: 'admin',
        towns: null,
        stationId: null,
        villages: null,
      };
      const ring = await personalDataKeyring(ctx.db, ctx.app.config);
      const same = async (url: string, built: unknown) => {
        const { status, body } = await getJson(ctx.app, url);
        expect(status, url).toBe(200);
        expect(body, url).toEqual(JSON.parse(JSON.stringify(built)));
      };
      const mediators = await listMediators(ctx.db, ring, {}, 1000, 0);
      expect(mediators.items.length).toBeGreaterThan(0);
      await same('/api/mediators?limit=1000', mediators);
      for (const m of mediators.items.slice(0, 5)) {
        await same(`/api/mediators/${m.id}`, await mediatorDetail(ctx.db, ring, admin, m.id));
      }
      const checks = await registerChecks(ctx.db, ring, undefined);
      expect(checks.items.length).toBeGreaterThan(0);
      await same('/api/mediators/checks', checks);
      const named = (await ctx.db.query<{ id: string }>('SELECT DISTINCT dispute_id AS id FROM case_mediators LIMIT 3'))
        .rows;
      expect(named.length).toBeGreaterThan(0);
      for (const { id } of named) {
        await same(`/api/disputes/${id}/mediators`, await caseMediators(ctx.db, ring, Number(id)));
      }

      const meetings = await listMeetings(ctx.db, {}, 100, 0);
      expect(meetings.items.length).toBeGreaterThan(0);
      await same('/api/meetings?limit=100', meetings);
      for (const m of meetings.items.slice(0, 5)) {
        await same(`/api/meetings/${m.id}`, await meetingDetail(ctx.db, ring, admin, m.id));
      }
      await same('/api/meetings/regularity', await meetingRegularity(ctx.db, undefined));
      await same('/api/meetings/attendees', await attendeeOptions(ctx.db, ring, undefined));

      const ids = async (sql: string) => (await ctx.db.query<{ id: string }>(sql)).rows.map((r) => Number(r.id));
      const visited = await ids('SELECT DISTINCT dispute_id AS id FROM follow_up_visits ORDER BY 1 LIMIT 3');
      const confirmed = await ids('SELECT dispute_id AS id FROM judicial_confirmations ORDER BY 1 LIMIT 3');
      expect(visited.length).toBeGreaterThan(0);
      expect(confirmed.length).toBeGreaterThan(0);
      const some = [...visited, ...confirmed, ...(await ids('SELECT id FROM disputes ORDER BY id LIMIT 2'))];
      for (const id of some) {
        await same(`/api/disputes/${id}/visits`, await caseVisits(ctx.db, id));
        await same(`/api/disputes/${id}/dossier`, await caseDossier(ctx.db, id));
      }
    });

    it('sends every field the services build: the response schemas of these answers drop nothing', async () => {
      const me = (await getJson<{ id: number; username: string; displayName: string }>(ctx.app, '/api/auth/me')).body;
      const admin: Principal = {
        kind: 'account',
        id: me.id,
        name: me.username,
        displayName: me.displayName,
        role: 'admin',
        towns: null,
        stationId: null,
        villages: null,
      };
      const ring = await personalDataKeyring(ctx.db, ctx.app.config);
      const same = async (url: string, built: unknown) => {
        const { status, body } = await getJson(ctx.app, url);
        expect(status, url).toBe(200);
        expect(body, url).toEqual(JSON.parse(JSON.stringify(built)));
      };
      const warnings = await listWarnings(ctx.db, ring, {}, scopeOf(admin), 300, 0);
      expect(warnings.items.length).toBeGreaterThan(0);
      await same('/api/warnings?limit=300', warnings);
      const register = await listWarnings(ctx.db, ring, { rules: ['mediator_register'] }, scopeOf(admin), 50, 0);
      await same('/api/warnings?rule=mediator_register', register);
      const first = warnings.items[0] as { id: number };
      await same(`/api/warnings/${first.id}`, await getWarning(ctx.db, ring, first.id, scopeOf(admin)));
      await same('/api/warnings/rules', { rules: await listRules(ctx.db) });

      const tasks = await listTasks(ctx.db, admin, { limit: 100, offset: 0 });
      expect(tasks.items.length).toBeGreaterThan(0);
      await same('/api/tasks', tasks);
      const task = tasks.items[0] as { id: number };
      await same(`/api/tasks/${task.id}`, await taskDetail(ctx.db, admin, task.id));
      await same('/api/tasks/figures?by=station', await figuresOfTasks(ctx.db, 'station', undefined));

      await same('/api/notifications', await inbox(ctx.db, readerOf(admin), { limit: 50 }));
      await same('/api/notifications/unread', await unread(ctx.db, readerOf(admin)));
      await same('/api/notification-rules', await notificationRules(ctx.db));
    });
  });
});
