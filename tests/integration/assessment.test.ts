import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounts, type UnitCounts } from '../../server/domain/assessment/indicators.js';
import { rankUnits } from '../../server/domain/assessment/scoring.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

// The assessment (issue 17) against the demo county: the counts behind every town's indicators are recomputed
// here from the raw disputes (one plain SELECT of the period's cases, counted in TypeScript), the ranking is
// redone from those counts, and a new version of the standard scores only the periods from its first day on.
// It adds a standard version, so it runs on a database of its own.

interface Unit {
  key: string;
  name: string;
  found: number;
  score: number | null;
  rank: number | null;
  tied: boolean;
  ranked: boolean;
  previousRank: number | null;
  rankChange: number | null;
  indicators: { key: string; value: number | null; numerator: number; denominator: number; points: number | null }[];
}
interface Answer {
  standard: { version: number; minCases: number; indicators: { key: string; weight: number }[] };
  units: Unit[];
  median: { score: number | null };
}

const CHINA = 8 * 3600_000;

describe.each(backends)('assessment (%s)', (backend) => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await openWritableApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** The towns' counts of the cases reported from..to (China days), from the raw rows. */
  async function rawCounts(from: string, to: string): Promise<Map<string, UnitCounts>> {
    const { rows } = await ctx.db.query<{
      town: string;
      status: string;
      level: string | null;
      reported: string;
      accepted: string | null;
      resolved: string | null;
    }>(
      `SELECT town_code AS town, status, resolution_level AS level, extract(epoch FROM reported_at)::float8 AS reported,
              extract(epoch FROM accepted_at)::float8 AS accepted, extract(epoch FROM resolved_at)::float8 AS resolved
       FROM disputes`,
    );
    const t0 = Date.parse(`${from}T00:00:00Z`) - CHINA;
    const t1 = Date.parse(`${to}T00:00:00Z`) - CHINA + 86_400_000;
    const out = new Map<string, UnitCounts>();
    for (const r of rows) {
      const reported = Number(r.reported) * 1000;
      if (reported < t0 || reported >= t1) continue;
      const c = out.get(r.town) ?? emptyCounts();
      out.set(r.town, c);
      c.found++;
      if (r.accepted !== null) {
        c.accepted++;
        c.acceptDays += (Number(r.accepted) * 1000 - reported) / 86_400_000;
      }
      if (r.status === 'resolved') {
        c.resolved++;
        c.resolveDays += (Number(r.resolved) * 1000 - reported) / 86_400_000;
        if (r.level === 'village') c.resolvedAtVillage++;
        if (r.level === 'town') c.resolvedAtTown++;
      }
      if (r.status === 'failed') c.failed++;
      if (r.status === 'referred') c.referred++;
    }
    return out;
  }

  const get = async (url: string) => {
    const res = await ctx.app.inject({ url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Answer;
  };

  it('scores each town from the counts of its raw disputes, ranks with shared ranks and lists small towns unranked', async () => {
    const a = await get('/api/assessment?period=2023-Q1&by=town');
    const raw = await rawCounts('2023-01-01', '2023-03-31');
    expect(a.units.length).toBeGreaterThan(10);
    const ind = (u: Unit, k: string) => u.indicators.find((i) => i.key === k);
    for (const u of a.units) {
      const c = raw.get(u.key) ?? emptyCounts();
      expect(u.found).toBe(c.found);
      expect(ind(u, 'acceptance_rate')).toMatchObject({ numerator: c.accepted, denominator: c.found });
      expect(ind(u, 'success_rate')).toMatchObject({
        numerator: c.resolved,
        denominator: c.resolved + c.failed + c.referred,
      });
      expect(ind(u, 'village_share')).toMatchObject({ numerator: c.resolvedAtVillage, denominator: c.resolved });
      expect(ind(u, 'town_share')).toMatchObject({
        numerator: c.resolvedAtVillage + c.resolvedAtTown,
        denominator: c.resolved,
      });
      expect(ind(u, 'days_to_resolve')?.numerator).toBeCloseTo(c.resolveDays, 3);
      expect(ind(u, 'days_to_accept')?.numerator).toBeCloseTo(c.acceptDays, 3);
    }
    // The ranking redone from the reported counts (overdue, repeats and screening as the server counted them).
    const again = rankUnits(
      { ...a.standard, indicators: a.standard.indicators as never },
      a.units.map((u) => {
        const c = { ...emptyCounts(), ...(raw.get(u.key) ?? {}) };
        c.overdue = ind(u, 'overdue_rate')?.numerator ?? 0;
        c.repeats = ind(u, 'repeat_rate')?.numerator ?? 0;
        c.reopened = ind(u, 'reopen_rate')?.numerator ?? 0;
        c.screeningReported = ind(u, 'screening_completeness')?.numerator ?? 0;
        c.screeningExpected = ind(u, 'screening_completeness')?.denominator ?? 0;
        return { key: u.key, counts: c };
      }),
    );
    expect(a.units.map((u) => [u.key, u.rank, u.score])).toEqual(again.map((u) => [u.key, u.rank, u.score]));
    const ranked = a.units.filter((u) => u.ranked);
    expect(ranked[0]?.rank).toBe(1);
    for (const u of a.units.filter((x) => !x.ranked)) {
      expect(u.rank).toBeNull();
      expect(u.found < a.standard.minCases || u.score === null).toBe(true);
    }
    expect(a.median.score).not.toBeNull();
  });

  it('ranks joint mediation rooms on the cases they handled, and says how each moved since the previous period', async () => {
    const a = await get('/api/assessment?period=2023-04&by=room');
    const { rows } = await ctx.db.query<{ id: string; n: number }>(
      `SELECT s.id::text AS id, count(d.id)::int AS n FROM stations s
       LEFT JOIN disputes d ON d.station_id = s.id
         AND d.reported_at >= '2023-04-01T00:00:00+08:00' AND d.reported_at < '2023-05-01T00:00:00+08:00'
       WHERE s.kind = 'joint_mediation_room' GROUP BY s.id`,
    );
    expect(new Map(a.units.map((u) => [u.key, u.found]))).toEqual(new Map(rows.map((r) => [r.id, r.n])));
    const march = await get('/api/assessment?period=2023-03&by=room');
    const before = new Map(march.units.map((u) => [u.key, u.rank]));
    for (const u of a.units) {
      expect(u.previousRank).toBe(before.get(u.key) ?? null);
      if (u.rank !== null && u.previousRank !== null) expect(u.rankChange).toBe(u.previousRank - u.rank);
    }
  });

  it('refuses unknown periods, from after to and weights not summing to 100 with a 400 naming the field', async () => {
    const bad = async (url: string, field: string, payload?: unknown) => {
      const res = await ctx.app.inject(payload ? { method: 'POST', url, payload } : { url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().field).toBe(field);
    };
    await bad('/api/assessment?period=2023-13', 'period');
    await bad('/api/assessment?period=2023-W54', 'period');
    await bad('/api/assessment?from=2023-05-10&to=2023-05-01', 'from');
    await bad('/api/assessment?by=village&period=2023-05', 'by');
    const inds = [
      { key: 'acceptance_rate', weight: 60, target: 1, floor: 0.8 },
      { key: 'success_rate', weight: 30, target: 1, floor: 0.8 },
    ];
    await bad('/api/assessment/standards', 'indicators', { validFrom: '2023-06-01', minCases: 5, indicators: inds });
    const dup = [inds[0], { ...inds[0], weight: 40 }];
    await bad('/api/assessment/standards', 'indicators.1.key', {
      validFrom: '2023-06-01',
      minCases: 5,
      indicators: dup,
    });
    await bad('/api/assessment/standards', 'validFrom', {
      validFrom: '2023-01-01',
      minCases: 5,
      indicators: [{ ...inds[0], weight: 100 }],
    });
  });

  it('scores a period by the standard in force on its first day: a new version changes later periods only', async () => {
    const mayBefore = await get('/api/assessment?period=2023-05&by=town');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/assessment/standards',
      payload: {
        validFrom: '2023-05-17',
        minCases: 1,
        indicators: [
          { key: 'village_share', weight: 70, target: 1, floor: 0 },
          { key: 'acceptance_rate', weight: 30, target: 1, floor: 0 },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const version = res.json().version as number;
    const mayAfter = await get('/api/assessment?period=2023-05&by=town');
    expect(mayAfter.standard.version).toBe(mayBefore.standard.version);
    expect(mayAfter.units.map((u) => u.score)).toEqual(mayBefore.units.map((u) => u.score));
    const week = await get('/api/assessment?from=2023-05-17&to=2023-05-17&by=town');
    expect(week.standard.version).toBe(version);
    for (const u of week.units.filter((x) => x.score !== null)) {
      const v = u.indicators.find((i) => i.key === 'village_share')?.value;
      const acc = u.indicators.find((i) => i.key === 'acceptance_rate')?.value;
      if (v === null || v === undefined || acc === null || acc === undefined) continue;
      expect(u.score).toBeCloseTo(v * 70 + acc * 30, 1);
    }
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/api/assessment/standards',
      payload: {
        validFrom: '2023-05-17',
        minCases: 1,
        indicators: [{ key: 'success_rate', weight: 100, target: 1, floor: 0 }],
      },
    });
    expect(again.statusCode).toBe(409);
  });

  it('exports the ranking as CSV and XLSX', async () => {
    const csv = await ctx.app.inject({ url: '/api/assessment.csv?period=2023-Q1&by=town' });
    expect(csv.statusCode).toBe(200);
    const a = await get('/api/assessment?period=2023-Q1&by=town');
    const top = a.units[0] as Unit;
    expect(csv.body).toContain('排名');
    expect(csv.body).toContain(top.name);
    const xlsx = await ctx.app.inject({ url: '/api/assessment.xlsx?period=2023-Q1&by=town&lang=en' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
