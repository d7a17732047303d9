-- Processing progress of running uploads, by Idempotency-Key, so that any app instance behind a load balancer can
-- answer the upload page's poll (the instance doing the work also keeps it in memory). UNLOGGED: progress is
-- worth nothing after a crash, and its frequent small writes should not cost WAL. Rows are short-lived; the app
-- removes those older than an hour as it writes new ones.
CREATE UNLOGGED TABLE upload_progress (
  key        text PRIMARY KEY,
  stage      text NOT NULL,
  done       integer NOT NULL,
  total      integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
