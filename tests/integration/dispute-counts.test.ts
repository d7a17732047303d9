import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../server/db/index.js';
import { categoryMix, monthlyEvents, unitCounts } from '../../server/db/queries/analytics.js';
import type { DisputeFilter } from '../../server/db/queries/filters.js';
import { townCountsFromDisputes, townCountsFromRollup } from '../../server/db/queries/summary.js';
import { disputeStatuses } from '../../server/domain/vocabulary.js';
import { backends, openTestApp, type TestContext } from './harness.js';

class Rollback extends Error {}

/** Monthly events from the rollup (no filter but a town) and from the disputes (every status listed), sorted. */
async function monthly(db: Queryable, town?: string) {
  const a = monthlyEvents(town ? { town } : {});
  const b = monthlyEvents({ ...(town ? { town } : {}), statuses: disputeStatuses });
  expect(a.text).toContain('dispute_month_events');
  expect(b.text).not.toContain('dispute_month_events');
  const key = (r: Record<string, unknown>) => `${r.town} ${r.month} ${r.kind}`;
  const sort = (rows: Record<string, unknown>[]) => [...rows].sort((x, y) => key(x).localeCompare(key(y)));
  return {
    rollup: sort((await db.query(a.text, a.values)).rows),
    disputes: sort((await db.query(b.text, b.values)).rows),
  };
}

async function both(db: Queryable, filter: DisputeFilter) {
  const a = townCountsFromRollup(filter);
  const b = townCountsFromDisputes(filter);
  return {
    rollup: (await db.query(a.text, a.values)).rows,
    disputes: (await db.query(b.text, b.values)).rows,
  };
}

const filters: DisputeFilter[] = [
  {},
  { from: '2021-03-15', to: '2022-08-10' },
  { from: '2022-01-01' },
  { to: '2020-12-31' },
  { from: '2021-02-28', to: '2021-03-01', categories: ['neighbour', 'land_forest'] },
  { town: '430723108', categories: ['marriage_family'], from: '2020-06-01', to: '2023-05-31' },
];

describe.each(backends)('dispute_counts rollup (%s)', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(() => ctx.close());

  it('gives the same town counts as the disputes for town, category and date filters', async () => {
    for (const f of filters) {
      const { rollup, disputes } = await both(ctx.db, f);
      expect(rollup.length).toBeGreaterThan(0);
      expect(rollup, JSON.stringify(f)).toEqual(disputes);
    }
    const { rollup } = await both(ctx.db, {});
    expect(rollup.reduce((n, r) => n + (r.found as number), 0)).toBeGreaterThan(100);
  });

  it('gives the same category mix as the disputes (every status listed makes it read the disputes)', async () => {
    for (const f of filters) {
      const a = categoryMix(f);
      const b = categoryMix({ ...f, statuses: disputeStatuses });
      expect(a.text).toContain('dispute_counts');
      expect(b.text).not.toContain('dispute_counts');
      const rollup = (await ctx.db.query(a.text, a.values)).rows;
      expect(rollup.length).toBeGreaterThan(0);
      expect(rollup, JSON.stringify(f)).toEqual((await ctx.db.query(b.text, b.values)).rows);
    }
  });

  it('gives the same per-town figures (with overdue cases) as the disputes', async () => {
    for (const f of filters) {
      const a = unitCounts(f, 'town');
      const b = unitCounts({ ...f, statuses: disputeStatuses }, 'town');
      expect(a.text).toContain('dispute_counts');
      expect(b.text).not.toContain('dispute_counts');
      const rollup = (await ctx.db.query(a.text, a.values)).rows;
      expect(rollup.length).toBeGreaterThan(0);
      expect(rollup, JSON.stringify(f)).toEqual((await ctx.db.query(b.text, b.values)).rows);
    }
    const all = unitCounts({}, 'town');
    const rows = (await ctx.db.query<{ overdue: number }>(all.text, all.values)).rows;
    expect(rows.reduce((n, r) => n + r.overdue, 0)).toBeGreaterThan(0);
  });

  it('gives the same monthly found / resolved / closed events as the disputes, county and one town', async () => {
    for (const town of [undefined, '430723108']) {
      const { rollup, disputes } = await monthly(ctx.db, town);
      expect(rollup.length).toBeGreaterThan(50);
      expect(rollup).toEqual(disputes);
    }
  });

  it('stays current through inserts, updates, deletes and a day boundary in China Standard Time', async () => {
    await expect(
      ctx.db.transaction(async (tx) => {
        // 2030-01-31 16:30 UTC is already 1 February in the county; the first case starts the month there.
        await tx.query(
          `INSERT INTO disputes (case_no, category, risk_level, status, reported_at, geom, town_code)
           SELECT 'ROLLUP-' || i, 'medical', 'red', 'reported', timestamptz '2030-01-31 16:30Z' + i * interval '1 day',
                  ST_SetSRID(ST_MakePoint(111.76, 29.63), 4326), '430723108'
           FROM generate_series(0, 39) i`,
        );
        const feb: DisputeFilter = { from: '2030-02-01', to: '2030-02-28', categories: ['medical'] };
        let r = await both(tx, feb);
        expect(r.rollup).toEqual(r.disputes);
        expect(r.rollup.find((t) => t.code === '430723108')?.found).toBe(28);
        expect(r.rollup.find((t) => t.code === '430723108')?.open).toBe(28);

        await tx.query(
          `UPDATE disputes SET status = 'resolved', resolution_level = 'village', resolved_at = reported_at + interval '1 day'
           WHERE case_no IN ('ROLLUP-0', 'ROLLUP-1', 'ROLLUP-2')`,
        );
        await tx.query(`UPDATE disputes SET town_code = '430723114' WHERE case_no = 'ROLLUP-3'`);
        await tx.query(`DELETE FROM disputes WHERE case_no IN ('ROLLUP-4', 'ROLLUP-35')`);
        for (const f of [feb, { from: '2030-01-15', to: '2030-03-03' }, {}, { from: '2030-03-01' }]) {
          r = await both(tx, f);
          expect(r.rollup, JSON.stringify(f)).toEqual(r.disputes);
        }
        const m = await monthly(tx);
        expect(m.rollup).toEqual(m.disputes);
        expect(
          m.rollup.find((e) => e.town === '430723108' && e.month === '2030-02' && e.kind === 'resolved'),
        ).toMatchObject({ count: 3 });
        r = await both(tx, feb);
        const town = r.rollup.find((t) => t.code === '430723108');
        expect(town).toMatchObject({ found: 26, resolved: 3, open: 23, resolvedAtVillage: 3 });
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
  });
});
