-- Disputes found, resolved and closed per town and calendar month of the event (China Standard Time), kept
-- current on write like dispute_counts (070): the monthly series of the dashboard (/api/analytics/monthly)
-- without a date, status, village or bbox filter reads it instead of scanning disputes three times.
-- found: by the month reported; resolved: by the month resolved (status resolved); closed: by the month of
-- coalesce(resolved_at, accepted_at, reported_at) for resolved, failed and referred cases (what monthlyEvents
-- in server/db/queries/analytics.ts counts). Not keyed by category: 380 towns × 53 months stay a few thousand
-- rows at any table size; a category filter reads disputes.
--
-- EXPLAIN (ANALYZE): see README "Benchmarks" (the `summary` module's monthly row, before on 10k and 1M).
CREATE TABLE dispute_month_events (
  month     date NOT NULL,
  town_code text NOT NULL,
  found     integer NOT NULL DEFAULT 0,
  resolved  integer NOT NULL DEFAULT 0,
  closed    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (month, town_code)
);

CREATE FUNCTION dispute_month_events_sql(rows_sql text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    WITH r AS (%s),
    events AS (
      SELECT r.town_code, r.reported_at AS at, r.s AS found, 0 AS resolved, 0 AS closed FROM r
      UNION ALL
      SELECT r.town_code, r.resolved_at, 0, r.s, 0 FROM r WHERE r.status = 'resolved'
      UNION ALL
      SELECT r.town_code, coalesce(r.resolved_at, r.accepted_at, r.reported_at), 0, 0, r.s
      FROM r WHERE r.status IN ('resolved', 'failed', 'referred')
    ),
    grouped AS (
      SELECT date_trunc('month', e.at AT TIME ZONE 'Asia/Shanghai')::date AS month, e.town_code,
             sum(e.found)::int AS found, sum(e.resolved)::int AS resolved, sum(e.closed)::int AS closed
      FROM events e GROUP BY 1, 2
    )
    INSERT INTO dispute_month_events AS c (month, town_code, found, resolved, closed)
    SELECT * FROM grouped WHERE found <> 0 OR resolved <> 0 OR closed <> 0
    ORDER BY 1, 2
    ON CONFLICT (month, town_code) DO UPDATE SET
      found = c.found + excluded.found, resolved = c.resolved + excluded.resolved, closed = c.closed + excluded.closed
  $q$, rows_sql);
END
$fn$;

CREATE FUNCTION dispute_month_events_on_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE dispute_month_events_sql('SELECT n.*, 1 AS s FROM new_rows n');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE dispute_month_events_sql('SELECT o.*, -1 AS s FROM old_rows o');
  ELSE
    EXECUTE dispute_month_events_sql(
      'SELECT n.*, 1 AS s FROM new_rows n UNION ALL SELECT o.*, -1 AS s FROM old_rows o');
  END IF;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION dispute_month_events_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE dispute_month_events;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER dispute_month_events_insert AFTER INSERT ON disputes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_month_events_on_write();
CREATE TRIGGER dispute_month_events_update AFTER UPDATE ON disputes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dispute_month_events_on_write();
CREATE TRIGGER dispute_month_events_delete AFTER DELETE ON disputes
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_month_events_on_write();
CREATE TRIGGER dispute_month_events_truncate AFTER TRUNCATE ON disputes
  FOR EACH STATEMENT EXECUTE FUNCTION dispute_month_events_on_truncate();

DO $do$ BEGIN EXECUTE dispute_month_events_sql('SELECT d.*, 1 AS s FROM disputes d'); END $do$;
