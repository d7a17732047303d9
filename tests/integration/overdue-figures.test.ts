import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

// The per-town figures (/api/analytics/units?level=town) take their counts from the dispute_counts rollup and
// their overdue counts as open − open cases still within their category's limit; the monthly series comes from
// the dispute_month_events rollup, summed per month in the database for the county. These tests write cases and
// move the demo clock (app_settings.as_of), so they run on a database of their own (openWritableApp), and compare
// each answer with one computed directly over the disputes: the same endpoint with every status listed (which
// reads the disputes) and, for overdue, a count written out here with the ages in whole days.

interface UnitRow {
  code: string;
  found: number;
  resolved: number;
  open: number;
  overdue: number;
}

interface Monthly {
  months: string[];
  series: { town: string | null; found: number[]; resolved: number[]; open: number[] }[];
}

const ALL = 'status=open,closed';

describe.each(backends)('overdue figures and monthly series from the rollups (%s)', (backend) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let db: Db;
  let town: string;
  let point: { lon: number; lat: number };

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    app = ctx.app;
    db = ctx.db;
    const { rows } = await db.query<{ code: string; town: string; lon: number; lat: number }>(
      `SELECT v.code, v.parent_code AS town, ST_X(v.label_point) AS lon, ST_Y(v.label_point) AS lat
       FROM admin_units v JOIN stations s ON s.town_code = v.parent_code AND s.kind = 'police_station'
       WHERE v.level = 'village' ORDER BY v.code LIMIT 1`,
    );
    town = rows[0]?.town as string;
    point = { lon: Number(rows[0]?.lon), lat: Number(rows[0]?.lat) };
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const get = async <T>(url: string): Promise<T> => {
    const res = await app.inject({ url });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json() as T;
  };
  const units = async (query: string) =>
    (await get<{ units: UnitRow[] }>(`/api/analytics/units?level=town${query ? `&${query}` : ''}`)).units;

  /** Open and overdue cases per town straight from the disputes: age in whole days > the category's limit. */
  const direct = async (category?: string) => {
    const { rows } = await db.query<{ code: string; open: number; overdue: number }>(
      `SELECT d.town_code AS code, count(*)::int AS open,
              count(*) FILTER (WHERE floor(extract(epoch FROM app_now() - d.reported_at) / 86400)
                                       > coalesce(l.days, 30))::int AS overdue
       FROM disputes d LEFT JOIN overdue_limits l ON l.category = d.category
       WHERE d.status IN ('reported', 'accepted', 'mediating') AND ($1::text IS NULL OR d.category = $1)
       GROUP BY 1`,
      [category ?? null],
    );
    return new Map(rows.map((r) => [r.code, r]));
  };

  /** Every figure of the rollup-based answers equals the one computed over the disputes; returns `town`'s. */
  const check = async () => {
    const filters = [
      '',
      'category=medical',
      `town=${town}`,
      'from=2020-01-01&to=2026-12-31&category=neighbour,medical',
    ];
    for (const f of filters) {
      const fast = await units(f);
      expect(fast.length, f).toBeGreaterThan(0);
      expect(fast, f).toEqual(await units(f ? `${f}&${ALL}` : ALL));
    }
    for (const category of [undefined, 'medical']) {
      const want = await direct(category);
      for (const u of await units(category ? `category=${category}` : '')) {
        const d = want.get(u.code);
        expect({ code: u.code, open: u.open, overdue: u.overdue }).toEqual({
          code: u.code,
          open: d?.open ?? 0,
          overdue: d?.overdue ?? 0,
        });
      }
    }
    for (const q of ['', 'by=town', `town=${town}`]) {
      const sep = q ? '&' : '';
      const fast = await get<Monthly>(`/api/analytics/monthly?${q}`);
      expect(fast.months.length, q).toBeGreaterThan(0);
      expect(fast, q).toEqual(await get<Monthly>(`/api/analytics/monthly?${q}${sep}${ALL}`));
    }
    // The county series summed in the database equals the towns' series summed here.
    const county = await get<Monthly>('/api/analytics/monthly');
    const towns = await get<Monthly>('/api/analytics/monthly?by=town');
    expect(towns.months).toEqual(county.months);
    const sum = (k: 'found' | 'resolved' | 'open') =>
      county.months.map((_, i) => towns.series.reduce((n, s) => n + (s[k][i] ?? 0), 0));
    expect(county.series).toEqual([{ town: null, found: sum('found'), resolved: sum('resolved'), open: sum('open') }]);
    return {
      units: (await units(`town=${town}`))[0] as UnitRow,
      medical: (await units(`town=${town}&category=medical`))[0] as UnitRow,
      county: county.series[0] as Monthly['series'][number],
      months: county.months,
    };
  };

  const setClock = (sql: string) =>
    db.query(`INSERT INTO app_settings (key, value) VALUES ('as_of', (${sql})::text)
              ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  const post = async (url: string, payload: object) => {
    const res = await app.inject({ method: 'POST', url, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json() as { id: number; version: number; status: string };
  };
  const create = (category: string) =>
    post('/api/disputes', { category, riskLevel: 'orange', ...point, summary: '测试：逾期统计' });
  const move = (c: { id: number; version: number }, to: string, extra: object = {}) =>
    post(`/api/disputes/${c.id}/transitions`, { version: c.version, to, ...extra });

  it('agree with the disputes through new cases, the case workflow, a reopen, a delete and moves of the clock', async () => {
    const before = await check();
    expect(before.units.overdue).toBeGreaterThanOrEqual(0);
    const t0 = (await db.query<{ t: string }>(`SELECT app_now()::text AS t`)).rows[0]?.t as string;

    // New cases are reported at app_now(): open, not overdue yet.
    const medical = [
      await create('medical'),
      await create('medical'),
      await create('medical'),
      await create('medical'),
    ];
    const neighbour = [await create('neighbour'), await create('neighbour')];
    let now = await check();
    expect(now.units.open - before.units.open).toBe(6);
    expect(now.units.overdue - before.units.overdue).toBe(0);

    // 20 days on: the medical cases (limit 15 days) are overdue, the neighbour ones (30) not yet.
    await setClock(`timestamptz '${t0}' + interval '20 days'`);
    const at20 = await check();
    expect(at20.units.overdue - now.units.overdue).toBeGreaterThanOrEqual(4);
    expect(at20.medical.overdue - now.medical.overdue).toBeGreaterThanOrEqual(4);

    // The workflow: accepted and mediating stay open (and overdue); resolved, failed and referred leave both.
    let m0 = await move(medical[0] as { id: number; version: number }, 'accepted');
    m0 = await move(m0, 'mediating');
    let m1 = await move(medical[1] as { id: number; version: number }, 'accepted');
    m1 = await move(m1, 'mediating');
    m1 = await move(m1, 'resolved', { level: 'village' });
    const m2 = await move(medical[2] as { id: number; version: number }, 'accepted');
    await move(m2, 'referred', { referralKind: 'litigation' });
    now = await check();
    expect(now.medical.open - at20.medical.open).toBe(-2);
    expect(now.medical.overdue - at20.medical.overdue).toBe(-2);
    expect(now.medical.resolved - at20.medical.resolved).toBe(1);

    // A resolved case flares up again: a new open case, reported now, not overdue.
    const reopened = await post(`/api/disputes/${m1.id}/reopen`, { version: m1.version });
    expect(reopened.status).toBe('reported');
    let after = await check();
    expect(after.medical.open - now.medical.open).toBe(1);
    expect(after.medical.overdue - now.medical.overdue).toBe(0);

    // Exactly at the limit: 16 whole days old is overdue (age > 15), one second younger is not.
    await db.query(
      `INSERT INTO disputes (case_no, category, risk_level, status, reported_at, geom, town_code)
       VALUES ('OVERDUE-EDGE-1', 'medical', 'red', 'reported', app_now() - interval '16 days', ST_SetSRID(ST_MakePoint($1, $2), 4326), $3),
              ('OVERDUE-EDGE-2', 'medical', 'red', 'reported', app_now() - interval '16 days' + interval '1 second', ST_SetSRID(ST_MakePoint($1, $2), 4326), $3)`,
      [point.lon, point.lat, town],
    );
    now = await check();
    expect(now.medical.open - after.medical.open).toBe(2);
    expect(now.medical.overdue - after.medical.overdue).toBe(1);

    // A deleted case leaves every figure.
    await db.query(`DELETE FROM disputes WHERE case_no = 'OVERDUE-EDGE-1'`);
    after = await check();
    expect(after.medical.open - now.medical.open).toBe(-1);
    expect(after.medical.overdue - now.medical.overdue).toBe(-1);

    // 40 days on: the neighbour cases are overdue too; a longer limit for medical cases takes some back.
    await setClock(`timestamptz '${t0}' + interval '40 days'`);
    const at40 = await check();
    expect(at40.units.overdue - after.units.overdue).toBeGreaterThanOrEqual(neighbour.length);
    await db.query(`UPDATE overdue_limits SET days = 45 WHERE category = 'medical'`);
    const longer = await check();
    expect(longer.medical.overdue).toBeLessThan(at40.medical.overdue);
    expect(m0.status).toBe('mediating');

    // Back to the real clock (no as_of): cases reported "now" in the demo's 2023 are years old.
    await db.query(`DELETE FROM app_settings WHERE key = 'as_of'`);
    const real = await check();
    expect(real.units.overdue).toBeGreaterThanOrEqual(longer.units.overdue);
    expect(real.months.length).toBeGreaterThanOrEqual(before.months.length);
  });
});
