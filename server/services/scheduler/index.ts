import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import { claimRun, finishRun, heartbeatRun, schedulerNow } from '../../db/queries/scheduler.js';
import type { Db } from '../../db/types.js';
import { periodKey, periodStart, type SchedulePeriod } from '../../domain/schedule-periods.js';

/**
 * A job that runs once per period across every app instance on the same database (claims in
 * `scheduled_runs`, migration 151). Periods are China time, of the database's `app_now()`.
 */
export interface Job {
  /** Stable name, e.g. 'warnings.evaluate'. */
  name: string;
  period: SchedulePeriod;
  /** Not before this China-time hour of the period's first day (e.g. 8: Monday 08:00 for a weekly briefing). */
  afterHour?: number;
  run(ctx: JobContext): Promise<void>;
}

export interface JobContext {
  db: Db;
  config: Config;
  /** The period key, e.g. '2023-05-17', '2023-W20', '2023-05'. */
  period: string;
  now: Date;
}

export interface RunOutcome {
  job: string;
  period: string;
  outcome: 'done' | 'failed' | 'not-due' | 'taken';
  error?: string;
}

export interface RunOptions {
  jobs: readonly Job[];
  config: Config;
  /** Defaults to the database's app_now(). */
  now?: Date;
  /** Identifies this app instance in the claims (default: one id per process). */
  instance?: string;
  /** A failed run is tried again on later ticks until it has been tried this often. */
  maxAttempts?: number;
  /** A running claim whose heartbeat is older than this was abandoned by a dead instance. */
  leaseS?: number;
}

const processInstance = `${process.pid}-${randomUUID().slice(0, 8)}`;

function isDue(job: Job, now: Date): boolean {
  if (job.afterHour === undefined) return true;
  return now.getTime() >= periodStart(job.period, now).getTime() + job.afterHour * 3600_000;
}

/**
 * Runs every job that is due and not yet claimed for its current period, one after the other. Each job opens its
 * own transactions; a job that throws is recorded as failed (and tried again on a later tick) without stopping
 * the others.
 */
export async function runDueJobs(db: Db, options: RunOptions): Promise<RunOutcome[]> {
  const instance = options.instance ?? processInstance;
  const maxAttempts = options.maxAttempts ?? 3;
  const leaseS = options.leaseS ?? 600;
  const now = options.now ?? new Date((await db.query<{ now: Date }>(schedulerNow().text)).rows[0]?.now ?? Date.now());
  const outcomes: RunOutcome[] = [];
  for (const job of options.jobs) {
    const period = periodKey(job.period, now);
    if (!isDue(job, now)) {
      outcomes.push({ job: job.name, period, outcome: 'not-due' });
      continue;
    }
    const claim = claimRun(job.name, period, instance, maxAttempts, leaseS);
    if ((await db.query(claim.text, claim.values)).rowCount === 0) {
      outcomes.push({ job: job.name, period, outcome: 'taken' });
      continue;
    }
    outcomes.push(await runClaimed(db, job, { db, config: options.config, period, now }, instance, leaseS));
  }
  return outcomes;
}

async function runClaimed(db: Db, job: Job, ctx: JobContext, instance: string, leaseS: number): Promise<RunOutcome> {
  const beat = heartbeatRun(job.name, ctx.period, instance);
  const heartbeat = setInterval(() => void db.query(beat.text, beat.values).catch(() => {}), (leaseS * 1000) / 3);
  heartbeat.unref();
  let error: string | null = null;
  try {
    await job.run(ctx);
  } catch (err) {
    error = (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 500) || 'failed';
  } finally {
    clearInterval(heartbeat);
  }
  const done = finishRun(job.name, ctx.period, instance, error);
  await db.query(done.text, done.values);
  return error === null
    ? { job: job.name, period: ctx.period, outcome: 'done' }
    : { job: job.name, period: ctx.period, outcome: 'failed', error };
}

export interface Scheduler {
  /** Stops ticking and waits for a tick in progress. */
  stop(): Promise<void>;
}

/** Ticks `runDueJobs` every `intervalS` seconds (first tick soon after start); errors go to `log`. */
export function startScheduler(
  db: Db,
  config: Config,
  jobs: readonly Job[],
  intervalS: number,
  log: { error(obj: unknown, msg: string): void; info(obj: unknown, msg: string): void },
): Scheduler {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = runDueJobs(db, { jobs, config })
      .then((outcomes) => {
        for (const o of outcomes) {
          if (o.outcome === 'done') log.info({ job: o.job, period: o.period }, 'scheduled job done');
          if (o.outcome === 'failed')
            log.error({ job: o.job, period: o.period, error: o.error }, 'scheduled job failed');
        }
      })
      .catch((err) => log.error({ err }, 'scheduler tick failed'));
  };
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(() => {
    if (!stopped) tick();
  }, intervalS * 1000);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
