import pg from 'pg';
import { openPostgres } from '../db/postgres.js';
import { bench } from '../db/queries/warnings.js';
import { ruleCodes } from '../domain/warnings/rules.js';
import { evaluateAll } from '../services/warnings/index.js';
import type { BenchContext, BenchModule, BenchTable } from './harness.js';
import { scaleDatabase } from './scale.js';

/**
 * A full time-based evaluation of the early warnings (every rule over every county) on a generated database:
 * the first run (everything raised) and a re-run (nothing new: the unique key), with each rule's time. The scale
 * data carries no parties or stations' cases, so two parties (keyed hashes drawn from a pool, so that some
 * repeat) are added to every case of the last 180 days, and the open cases of each demo town go to its joint
 * mediation room. Target: ≤ 5 s for a full evaluation at 1M disputes on the PostGIS server.
 */
export const WARNINGS_TARGET_MS = 5000;

async function prepare(url: string, log: (m: string) => void) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('SET statement_timeout = 0');
    const run = (q: { text: string; values: unknown[] }) => c.query(q.text, q.values);
    const { rows } = await run(bench.parties());
    if ((rows[0]?.n ?? 0) === 0) {
      const r = await run(bench.addParties());
      log(`added ${r.rowCount} synthetic parties`);
      await run(bench.roomCases());
      await c.query('ANALYZE dispute_parties');
      await c.query('ANALYZE disputes');
    }
    await run(bench.clear());
  } finally {
    await c.end();
  }
}

const warningsBench: BenchModule = {
  name: 'warnings',
  description: 'full time-based evaluation of the early-warning rules (first run and re-run), per rule',
  async run(ctx: BenchContext) {
    const sizes = ctx.quick ? [100_000] : [1_000_000];
    const rows: BenchTable['rows'] = [];
    const data: unknown[] = [];
    for (const n of sizes) {
      const url = await scaleDatabase(ctx, n);
      await prepare(url, ctx.log);
      const db = openPostgres({ connectionString: url, poolSize: 2, statementTimeoutMs: 600_000 });
      try {
        const { rows: open } = await db.query<{ n: number }>(bench.openCases().text);
        for (const run of ['first', 're-run'] as const) {
          const t0 = performance.now();
          const r = await evaluateAll(db);
          const total = performance.now() - t0;
          ctx.log(`${n}: ${run} ${total.toFixed(0)} ms, raised ${r.raised.length}`);
          rows.push([
            n.toLocaleString('en-US'),
            run,
            (open[0]?.n ?? 0).toLocaleString('en-US'),
            ...ruleCodes.map((c) => `${r.ms[c] ?? 0} (${r.fired[c] ?? 0})`),
            String(r.ms.raise ?? 0),
            r.raised.length.toLocaleString('en-US'),
            `${total.toFixed(0)} ${total <= WARNINGS_TARGET_MS ? 'ok' : 'MISSED'}`,
          ]);
          data.push({ disputes: n, run, ms: r.ms, fired: r.fired, raised: r.raised.length, totalMs: total });
        }
      } finally {
        await db.close();
      }
    }
    const table: BenchTable = {
      title: 'Early warnings: a full evaluation over 20 counties (ms per rule, warnings that fired in brackets)',
      columns: ['disputes', 'run', 'open cases', ...ruleCodes, 'insert', 'raised', 'total ms'],
      rows,
      notes: [
        `target ≤ ${WARNINGS_TARGET_MS} ms at 1M${ctx.quick ? ' (quick: 100k instead of 1M)' : ''}`,
        'one transaction per run; the re-run raises nothing (unique key on rule, subject, period)',
      ],
    };
    return { tables: [table], data };
  },
};

export default warningsBench;
