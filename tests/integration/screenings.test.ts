import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../server/domain/ingest/coordinates.js';
import { backends, openWritableApp, type TestContext } from './harness.js';
import { type Village, villagesQuery } from './uploads-helpers.js';

describe.each(backends)('screenings and rounds on %s', (backend) => {
  let ctx: TestContext;
  let villages: Village[];
  beforeAll(async () => {
    // A database of its own on the server: a zero report placed 0.5° outside the county would widen the
    // extents other files assert on.
    ctx = await openWritableApp(backend);
    villages = (await ctx.db.query<Village>(villagesQuery(40))).rows;
  });
  afterAll(async () => ctx?.close());

  const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, payload });

  it('given a phone entry re-sent after a dropped connection, stores it once', async () => {
    const v = villages[0] as Village;
    const [x, y] = fromWgs84(v.lon, v.lat, 'gcj02');
    const entry = {
      clientId: randomUUID(),
      lon: x,
      lat: y,
      crs: 'gcj02',
      screenedOn: '2023-05-17',
      screener: `phone-${randomUUID().slice(0, 6)}`,
      zeroReport: false,
      items: [
        { category: 'neighbour', riskLevel: 'red', note: '界址' },
        { category: 'labour_wages', riskLevel: 'yellow', note: '' },
      ],
    };
    const first = await post('/api/screenings', entry);
    const again = await post('/api/screenings', entry);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, replayed: true });
    const rows = await ctx.db.query<{ village_code: string; items: number }>(
      `SELECT s.village_code, (SELECT count(*)::int FROM screening_items i WHERE i.screening_id = s.id) AS items
       FROM screenings s WHERE s.client_id = $1`,
      [entry.clientId],
    );
    expect(rows.rows).toEqual([{ village_code: v.code, items: 2 }]);
    const points = await ctx.app.inject({ method: 'GET', url: `/api/screenings?batch=${first.json().id}` });
    expect(points.json().features[0].properties).toMatchObject({ villageCode: v.code, riskLevel: 'red', items: 2 });
  });

  it('refuses a phone entry with what is wrong and where', async () => {
    const base = { clientId: randomUUID(), screenedOn: '2023-05-17', screener: 'x', zeroReport: true, items: [] };
    const noPlace = await post('/api/screenings', base);
    expect(noPlace.statusCode).toBe(400);
    expect(noPlace.json().field).toBe('village');
    const badLevel = await post('/api/screenings', {
      ...base,
      villageCode: villages[0]?.code,
      zeroReport: false,
      items: [{ category: 'neighbour', riskLevel: 'purple' }],
    });
    expect(badLevel.statusCode).toBe(400);
    expect(badLevel.json().message).toMatch(/riskLevel/);
  });

  it('given a round over one town, shows risks, zero reports, overdue and not-yet-due villages', async () => {
    const town = (villages[0] as Village).town_code;
    const inTown = villages.filter((v) => v.town_code === town);
    expect(inTown.length).toBeGreaterThanOrEqual(3);
    const created = await post('/api/screening-rounds', {
      name: `round ${randomUUID().slice(0, 6)}`,
      kind: 'special',
      startsOn: '2031-01-01',
      dueOn: '2031-01-31',
      towns: [town],
    });
    expect(created.statusCode).toBe(201);
    const round = created.json().id as number;
    const [a, b, c] = inTown as [Village, Village, Village];
    const report = (v: Village, zeroReport: boolean, lon: number, lat: number) =>
      post('/api/screenings', {
        clientId: randomUUID(),
        villageCode: v.code,
        lon,
        lat,
        screenedOn: '2031-01-10',
        screener: 's',
        zeroReport,
        roundId: round,
        items: zeroReport ? [] : [{ category: 'other', riskLevel: 'blue', note: '' }],
      });
    expect((await report(a, false, a.lon, a.lat)).statusCode).toBe(201);
    expect((await report(b, true, b.lon, b.lat)).statusCode).toBe(201);
    // A zero report whose GPS is far from the village (here: 0.5° away) does not count.
    expect((await report(c, true, c.lon + 0.5, c.lat)).statusCode).toBe(201);

    const states = async (asOf: string) => {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/screening-rounds/${round}/villages?asOf=${asOf}` });
      return new Map(
        (res.json().features as { properties: { code: string; state: string } }[]).map((f) => [
          f.properties.code,
          f.properties.state,
        ]),
      );
    };
    const during = await states('2031-01-20');
    expect([during.get(a.code), during.get(b.code), during.get(c.code)]).toEqual(['risks', 'zero', 'pending']);
    const after = await states('2031-02-01');
    expect([after.get(a.code), after.get(b.code), after.get(c.code)]).toEqual(['risks', 'zero', 'overdue']);

    const progress = await ctx.app.inject({
      method: 'GET',
      url: `/api/screening-rounds/${round}/progress?asOf=2031-02-01`,
    });
    const rows = progress.json() as {
      townCode: string;
      villages: number;
      risks: number;
      zero: number;
      overdue: number;
      pending: number;
    }[];
    expect(rows.map((r) => r.townCode)).toEqual([town]);
    expect(rows[0]).toMatchObject({ risks: 1, zero: 1, overdue: (rows[0]?.villages ?? 0) - 2, pending: 0 });
    const todo = await ctx.app.inject({ method: 'GET', url: `/api/screening-rounds/${round}/to-do?asOf=2031-01-20` });
    expect((todo.json() as { code: string }[]).map((t) => t.code)).toContain(c.code);
  });

  it("judges a round on the county's today (app_now(), 2023-05-17 on the demo), not on the clock's", async () => {
    const town = (villages[0] as Village).town_code;
    const created = await post('/api/screening-rounds', {
      name: `round ${randomUUID().slice(0, 6)}`,
      kind: 'special',
      startsOn: '2023-05-16',
      dueOn: '2023-05-31',
      towns: [town],
    });
    expect(created.statusCode).toBe(201);
    const round = created.json().id as number;
    const states = async (query: string) => {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/screening-rounds/${round}/villages${query}` });
      return (res.json().features as { properties: { code: string; state: string } }[])
        .map((f) => `${f.properties.code} ${f.properties.state}`)
        .sort();
    };
    const byDefault = await states('');
    expect(byDefault).toEqual(await states('?asOf=2023-05-17'));
    // Not yet due on 17 May: the villages that have not reported are pending (on the clock's date: overdue).
    expect(byDefault.some((s) => s.endsWith(' pending'))).toBe(true);
    expect(byDefault.some((s) => s.endsWith(' overdue'))).toBe(false);
    expect((await states('?asOf=2023-06-01')).some((s) => s.endsWith(' overdue'))).toBe(true);
  });

  it('has the demo rounds: one a month, labelled, the current one with most villages reported and some overdue', async () => {
    const rounds = (await ctx.app.inject({ method: 'GET', url: '/api/screening-rounds' })).json() as {
      id: number;
      name: string;
      startsOn: string;
      towns: string[] | null;
    }[];
    const demo = rounds.filter((r) => r.name.includes('例行排查（演示）'));
    expect(demo.map((r) => r.startsOn.slice(0, 7)).sort()).toEqual([
      ...['06', '07', '08', '09', '10', '11', '12'].map((m) => `2022-${m}`),
      ...['01', '02', '03', '04', '05'].map((m) => `2023-${m}`),
    ]);
    const current = demo.find((r) => r.startsOn === '2023-05-01');
    const progress = (
      await ctx.app.inject({ method: 'GET', url: `/api/screening-rounds/${current?.id}/progress` })
    ).json() as { villages: number; risks: number; zero: number; overdue: number; pending: number }[];
    const sum = (k: 'villages' | 'risks' | 'zero' | 'overdue' | 'pending') => progress.reduce((n, p) => n + p[k], 0);
    expect(progress.length).toBeGreaterThan(10);
    expect((sum('risks') + sum('zero')) / sum('villages')).toBeGreaterThan(0.7);
    expect(sum('risks')).toBeGreaterThan(0);
    expect(sum('zero')).toBeGreaterThan(0);
    expect(sum('overdue')).toBeGreaterThan(0);
    expect(sum('pending')).toBe(0);
  });

  it('refuses a round that ends before it starts or names an unknown town', async () => {
    expect(
      (
        await post('/api/screening-rounds', { name: 'x', kind: 'monthly', startsOn: '2031-02-01', dueOn: '2031-01-01' })
      ).json().field,
    ).toBe('dueOn');
    expect(
      (
        await post('/api/screening-rounds', {
          name: 'x',
          kind: 'monthly',
          startsOn: '2031-01-01',
          dueOn: '2031-01-02',
          towns: ['999999999'],
        })
      ).json().field,
    ).toBe('towns');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/screening-rounds/999999/progress' })).statusCode).toBe(
      404,
    );
  });
});
