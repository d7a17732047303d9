import { openPostgres } from '../db/postgres.js';
import { today } from '../db/queries/assessment.js';
import { periodHolding, previousPeriod } from '../domain/assessment/period.js';
import { assess } from '../services/assessment/index.js';
import { makeBriefing } from '../services/briefings/index.js';
import type { BenchContext, BenchModule, BenchTable } from './harness.js';
import { scaleDatabase, time } from './scale.js';

/**
 * Issue 17 at scale, on the PostGIS server: one county's monthly briefing PDF (of the 20-county `bench:data`
 * database) — target ≤ 5 s — and the assessment ranking of all 380 towns for that month — target ≤ 1 s. One
 * warm-up, then three timed runs each; the median and the slowest are reported. Quick mode: 20,000 disputes.
 */
const BRIEFING_TARGET_MS = 5000;
const RANKING_TARGET_MS = 1000;

const briefingsBench: BenchModule = {
  name: 'briefings',
  description: 'monthly briefing PDF of one county, assessment ranking of 380 towns',
  async run(ctx: BenchContext) {
    const n = ctx.quick ? 20_000 : 1_000_000;
    const url = await scaleDatabase(ctx, n);
    const db = openPostgres({ connectionString: url, poolSize: 4, statementTimeoutMs: 120_000 });
    try {
      const t = today();
      const day = (await db.query<{ day: string }>(t.text, t.values)).rows[0]?.day as string;
      const period = previousPeriod(periodHolding('month', day));
      const measure = async (fn: () => Promise<unknown>) => {
        await fn();
        const ms: number[] = [];
        for (let i = 0; i < 3; i++) ms.push(await time(fn));
        return ms.sort((a, b) => a - b);
      };
      const briefing = await measure(() => makeBriefing(db, { period, scope: '430723', lang: 'zh-CN', format: 'pdf' }));
      let towns = 0;
      const ranking = await measure(async () => {
        towns = (await assess(db, { by: 'town', period })).units.length;
      });
      const row = (label: string, ms: number[], target: number) => [
        label,
        Math.round(ms[1] as number),
        Math.round(ms[2] as number),
        target,
        (ms[2] as number) <= target ? 'met' : 'missed',
      ];
      const table: BenchTable = {
        title: `Briefings and assessment at ${n.toLocaleString('en-US')} disputes (period ${period.key})`,
        columns: ['what', 'median ms', 'max ms', 'target ms', 'verdict'],
        rows: [
          row('monthly briefing PDF, one county', briefing, BRIEFING_TARGET_MS),
          row(`assessment ranking, ${towns} towns`, ranking, RANKING_TARGET_MS),
        ],
      };
      return {
        tables: [table],
        data: { disputes: n, period: period.key, briefingMs: briefing, rankingMs: ranking, towns },
      };
    } finally {
      await db.close();
    }
  },
};

export default briefingsBench;
