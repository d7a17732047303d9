import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { openPostgres } from '../../server/db/postgres.js';
import { scheduledRuns } from '../../server/db/queries/scheduler.js';
import type { Db } from '../../server/db/types.js';
import { type Job, runDueJobs } from '../../server/services/scheduler/index.js';
import { jobs as appJobs } from '../../server/services/scheduler/jobs.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

const config = loadConfig({ LOG_LEVEL: 'silent' });

/** A job that counts its runs per period, optionally failing the first `failures` of them. */
function countingJob(name: string, period: Job['period'], failures = 0): Job & { runs: string[] } {
  const runs: string[] = [];
  let failed = 0;
  return {
    name,
    period,
    runs,
    async run({ period: key }) {
      await new Promise((r) => setTimeout(r, 20));
      if (failed < failures) {
        failed += 1;
        throw new Error(`boom ${failed}\nsecond line`);
      }
      runs.push(key);
    },
  };
}

async function runs(db: Db, job: string) {
  const q = scheduledRuns(job);
  return (await db.query<{ period: string; status: string; attempts: number; error: string | null }>(q.text, q.values))
    .rows;
}

describe.each(backends)('scheduler (%s)', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('runs a job once per period, again in the next period, and not before its hour', async () => {
    const job = countingJob('test.once', 'day');
    const weekly = { ...countingJob('test.weekly', 'week'), afterHour: 8 };
    const day1 = new Date('2023-05-17T02:00:00Z'); // 10:00 China time, a Wednesday
    expect((await runDueJobs(ctx.db, { jobs: [job], config, now: day1 }))[0]?.outcome).toBe('done');
    expect((await runDueJobs(ctx.db, { jobs: [job], config, now: day1 }))[0]?.outcome).toBe('taken');
    await runDueJobs(ctx.db, { jobs: [job], config, now: new Date('2023-05-17T15:00:00Z') }); // 23:00, same day
    await runDueJobs(ctx.db, { jobs: [job], config, now: new Date('2023-05-17T16:30:00Z') }); // 00:30 on the 18th
    expect(job.runs).toEqual(['2023-05-17', '2023-05-18']);

    // Monday 07:59 China time: the weekly job is not due; 08:00: it runs.
    const early = await runDueJobs(ctx.db, { jobs: [weekly], config, now: new Date('2023-05-21T23:59:00Z') });
    expect(early[0]).toMatchObject({ outcome: 'not-due', period: '2023-W21' });
    await runDueJobs(ctx.db, { jobs: [weekly], config, now: new Date('2023-05-22T00:00:00Z') });
    expect(weekly.runs).toEqual(['2023-W21']);
  });

  it('runs a job once when two app instances tick at the same moment', async () => {
    const job = countingJob('test.race', 'hour');
    const now = new Date('2023-05-17T03:10:00Z');
    // On the server, the second instance is a pool of its own, as another app process would have.
    const second: Db =
      backend === 'server'
        ? openPostgres({ connectionString: await urlOf(ctx.db), poolSize: 2, statementTimeoutMs: 60_000 })
        : ctx.db;
    try {
      const outcomes = await Promise.all([
        runDueJobs(ctx.db, { jobs: [job], config, now, instance: 'a' }),
        runDueJobs(second, { jobs: [job], config, now, instance: 'b' }),
        runDueJobs(ctx.db, { jobs: [job], config, now, instance: 'c' }),
      ]);
      expect(job.runs).toEqual(['2023-05-17T11']);
      expect(
        outcomes
          .flat()
          .map((o) => o.outcome)
          .sort(),
      ).toEqual(['done', 'taken', 'taken']);
    } finally {
      if (second !== ctx.db) await second.close();
    }
  });

  it('records a failure with its first line, tries again on later ticks, and gives up after the attempts', async () => {
    const flaky = countingJob('test.flaky', 'day', 1);
    const now = new Date('2023-05-17T02:00:00Z');
    const first = await runDueJobs(ctx.db, { jobs: [flaky], config, now });
    expect(first[0]).toMatchObject({ outcome: 'failed', error: 'boom 1' });
    expect(await runs(ctx.db, 'test.flaky')).toMatchObject([{ status: 'failed', attempts: 1, error: 'boom 1' }]);
    await runDueJobs(ctx.db, { jobs: [flaky], config, now });
    expect(flaky.runs).toEqual(['2023-05-17']);
    expect(await runs(ctx.db, 'test.flaky')).toMatchObject([{ status: 'done', attempts: 2, error: null }]);

    const broken = countingJob('test.broken', 'day', 99);
    for (let i = 0; i < 5; i++) await runDueJobs(ctx.db, { jobs: [broken], config, now, maxAttempts: 3 });
    expect(await runs(ctx.db, 'test.broken')).toMatchObject([{ status: 'failed', attempts: 3 }]);
  });

  it('takes over a claim whose instance stopped sending heartbeats', async () => {
    const job = countingJob('test.abandoned', 'day');
    await ctx.db.query(
      `INSERT INTO scheduled_runs (job, period, status, instance, started_at, heartbeat_at)
       VALUES ('test.abandoned', '2023-05-17', 'running', 'dead', now() - interval '2 hours', now() - interval '2 hours')`,
    );
    const now = new Date('2023-05-17T02:00:00Z');
    expect((await runDueJobs(ctx.db, { jobs: [job], config, now, leaseS: 7200 + 60 }))[0]?.outcome).toBe('taken');
    expect((await runDueJobs(ctx.db, { jobs: [job], config, now, leaseS: 600 }))[0]?.outcome).toBe('done');
    expect(await runs(ctx.db, 'test.abandoned')).toMatchObject([{ status: 'done', attempts: 2 }]);
  });

  it("runs the app's own jobs on the database's clock (the demo's pinned day)", async () => {
    await ctx.db.query(
      `INSERT INTO sessions (id_hash, account_id, expires_at)
       SELECT 'expired-test-session', id, now() - interval '1 day' FROM accounts ORDER BY id LIMIT 1`,
    );
    const outcomes = await runDueJobs(ctx.db, { jobs: appJobs, config });
    expect(outcomes.find((o) => o.job === 'sessions.purge')).toMatchObject({ outcome: 'done', period: '2023-05-17' });
    const left = await ctx.db.query(`SELECT 1 FROM sessions WHERE id_hash = 'expired-test-session'`);
    expect(left.rowCount).toBe(0);
  });
});

/** The connection URL of the server database `db` is on (the test's own database). */
async function urlOf(db: Db): Promise<string> {
  const { rows } = await db.query<{ name: string }>('SELECT current_database() AS name');
  const base = new URL(process.env.TEST_DATABASE_URL as string);
  base.pathname = `/${rows[0]?.name}`;
  return base.toString();
}
