import {
  type AppProcess,
  type BenchContext,
  type BenchModule,
  type BenchTable,
  percentile,
  startApp,
} from './harness.js';
import { scaleDatabase, time } from './scale.js';

/**
 * The dashboard's KPI endpoints at a large table ÷ at a small one, each on its own generated database
 * (20 counties, 380 towns): p95 of sequential requests after a warm-up. /api/summary reads the dispute_counts
 * rollup (migration 070): target p95(1M) ÷ p95(10k) ≤ 2 (≤ 3 at 10M, run only with BENCH_10M=1). The other
 * KPI endpoints of the dashboard (per-town figures with overdue counts, monthly series, category mix) are
 * measured alongside and reported against the same target.
 */
export const SUMMARY_TARGET = 2;
export const SUMMARY_TARGET_10M = 3;

export const KPI_PATHS: { label: string; path: string; rollup: boolean }[] = [
  { label: 'summary, all', path: '/api/summary', rollup: true },
  {
    label: 'summary, dates + category',
    path: '/api/summary?from=2021-03-15&to=2022-08-10&category=medical',
    rollup: true,
  },
  { label: 'summary, one town, 2022', path: '/api/summary?town=430723108&from=2022-01-01&to=2022-12-31', rollup: true },
  { label: 'units (towns)', path: '/api/analytics/units?level=town', rollup: false },
  { label: 'monthly', path: '/api/analytics/monthly', rollup: false },
  { label: 'categories', path: '/api/analytics/categories', rollup: false },
];

/** p95 (and p50) per path, `runs` sequential requests after two warm-ups. */
export async function measurePaths(app: AppProcess, runs: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const { path } of KPI_PATHS) {
    for (let i = 0; i < 2; i++) {
      const res = await app.fetch(path);
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      ms.push(
        await time(async () => {
          const res = await app.fetch(path);
          await res.arrayBuffer();
        }),
      );
    }
    out.set(path, ms);
  }
  return out;
}

const summaryBench: BenchModule = {
  name: 'summary',
  description: 'KPI endpoints (summary with the rollup, per-town, monthly, categories) at 1M vs 10k disputes',
  async run(ctx: BenchContext) {
    const small = 10_000;
    const sizes = ctx.quick ? [100_000] : [1_000_000, ...(process.env.BENCH_10M === '1' ? [10_000_000] : [])];
    const runs = ctx.quick ? 10 : 30;
    const measured = new Map<number, Map<string, number[]>>();
    for (const n of [small, ...sizes]) {
      const url = await scaleDatabase(ctx, n);
      const app = await startApp(url, ctx.log);
      try {
        measured.set(n, await measurePaths(app, runs));
      } finally {
        await app.stop();
      }
    }
    const base = measured.get(small) as Map<string, number[]>;
    const rows: BenchTable['rows'] = [];
    const data: unknown[] = [];
    for (const { label, path, rollup } of KPI_PATHS) {
      const p95s = sizes.map((n) => percentile(measured.get(n)?.get(path) ?? [], 95));
      const b95 = percentile(base.get(path) ?? [], 95);
      const ratios = p95s.map((p) => p / b95);
      rows.push([
        label + (rollup ? ' (rollup)' : ''),
        b95.toFixed(1),
        ...p95s.map((p) => p.toFixed(1)),
        ...ratios.map(
          (r, i) =>
            `${r.toFixed(2)} ${r <= (sizes[i] === 10_000_000 ? SUMMARY_TARGET_10M : SUMMARY_TARGET) ? 'ok' : 'MISSED'}`,
        ),
      ]);
      data.push({
        path,
        p95: Object.fromEntries([small, ...sizes].map((n) => [n, measured.get(n)?.get(path)])),
        ratios,
      });
    }
    const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
    const table: BenchTable = {
      title: `Dashboard KPI endpoints: p95 at ${sizes.map(label).join(' / ')} ÷ p95 at 10k disputes (ms, ${runs} sequential requests, 20 counties)`,
      columns: [
        'endpoint',
        'p95 10k',
        ...sizes.map((n) => `p95 ${label(n)}`),
        ...sizes.map((n) => `${label(n)} ÷ 10k`),
      ],
      rows,
      notes: [
        `target ≤ ${SUMMARY_TARGET} at 1M${sizes.includes(10_000_000) ? `, ≤ ${SUMMARY_TARGET_10M} at 10M` : '; 10M not run (BENCH_10M=1 to run it)'}${ctx.quick ? ' (quick: 100k instead of 1M)' : ''}`,
      ],
    };
    return { tables: [table], data };
  },
};

export default summaryBench;
