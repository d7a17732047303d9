import type { Sql } from '../types.js';
import { sql } from './filters.js';

/** The scheduler's clock: the database's `app_now()` (pinned on the demo, so its periods are the demo's). */
export const schedulerNow = (): Sql => sql(`SELECT app_now() AS now`, []);

/**
 * Claims (job, period) for `instance` in one statement: a new row, or a failed claim with attempts left, or a
 * running claim whose heartbeat is older than the lease (its instance died). Returns a row only to the one
 * instance that got the claim — two instances racing on the primary key are serialised by it.
 */
export function claimRun(job: string, period: string, instance: string, maxAttempts: number, leaseS: number): Sql {
  return sql(
    `INSERT INTO scheduled_runs (job, period, status, instance)
     VALUES ($1, $2, 'running', $3)
     ON CONFLICT (job, period) DO UPDATE
       SET status = 'running', instance = excluded.instance, attempts = scheduled_runs.attempts + 1,
           started_at = now(), heartbeat_at = now(), finished_at = NULL, error = NULL
       WHERE (scheduled_runs.status = 'failed' AND scheduled_runs.attempts < $4)
          OR (scheduled_runs.status = 'running' AND scheduled_runs.heartbeat_at < now() - make_interval(secs => $5))
     RETURNING attempts`,
    [job, period, instance, maxAttempts, leaseS],
  );
}

export const heartbeatRun = (job: string, period: string, instance: string): Sql =>
  sql(
    `UPDATE scheduled_runs SET heartbeat_at = now()
     WHERE job = $1 AND period = $2 AND instance = $3 AND status = 'running'`,
    [job, period, instance],
  );

/** Ends a claim the instance still holds ('done', or 'failed' with the error's first line). */
export const finishRun = (job: string, period: string, instance: string, error: string | null): Sql =>
  sql(
    `UPDATE scheduled_runs
     SET status = CASE WHEN $4::text IS NULL THEN 'done' ELSE 'failed' END, error = $4::text,
         finished_at = greatest(now(), started_at)
     WHERE job = $1 AND period = $2 AND instance = $3 AND status = 'running'`,
    [job, period, instance, error],
  );

export const scheduledRuns = (job?: string): Sql =>
  sql(
    `SELECT job, period, status, instance, attempts, error,
            to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startedAt",
            to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "finishedAt"
     FROM scheduled_runs WHERE ($1::text IS NULL OR job = $1) ORDER BY job, period`,
    [job ?? null],
  );

/** Expired sign-in sessions: kept only until they can no longer be used (the audit log keeps the sign-ins). */
export const purgeExpiredSessions = (): Sql => sql(`DELETE FROM sessions WHERE expires_at < now()`, []);
