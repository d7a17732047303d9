-- The scheduler's claims: one row per (job, period). An app instance runs a job for a period only after its
-- INSERT of that row succeeded (or it took over a failed or abandoned claim in the same single statement), so a
-- job runs once per period however many instances tick at the same moment. `heartbeat_at` is kept fresh while
-- the job runs; a claim whose heartbeat is older than the lease belonged to an instance that died, and the next
-- tick takes it over.
CREATE TABLE scheduled_runs (
  job          text NOT NULL CHECK (job ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  period       text NOT NULL CHECK (length(period) BETWEEN 4 AND 16),
  status       text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  instance     text NOT NULL,
  attempts     integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  started_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  error        text,
  PRIMARY KEY (job, period),
  CHECK (finished_at IS NULL OR finished_at >= started_at)
);
