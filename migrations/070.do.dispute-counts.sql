-- Dispute counts per town, category and calendar period (year / month / day in China Standard Time), kept
-- current on write by statement-level triggers, so that /api/summary (the KPI cards and the town breakdown)
-- reads a few thousand rollup rows instead of every dispute. A date range is cut into whole years, whole months
-- and loose days (server/domain/calendar-segments.ts), so any [from, to] reads at most 2 × 11 months and
-- 2 × 30 days besides the years. Filters the rollup cannot answer (status, village, bbox) still read disputes.
--
-- EXPLAIN (ANALYZE) evidence, PostGIS server (PostgreSQL 15.18 / PostGIS 3.3.2, 2 shared cores, JIT off),
-- 1,000,000 synthetic disputes over 20 counties (380 towns), `npm run bench:data -- --disputes 1000000`:
--   no filter:         before  Parallel Seq Scan on disputes (333,333 rows × 3 workers) + HashAggregate  309.4 ms
--                      after   Bitmap Index Scan on dispute_counts_pkey (17,100 'y' rows) + HashAggregate   5.0 ms
--   2021-03-15…2022-08-10, medical:
--                      before  Parallel Bitmap Heap Scan on disputes (35,526 rows)                        151.9 ms
--                      after   4 Bitmap Index Scans on dispute_counts_pkey (d, d, m, m: 7,727 rows)       12.2 ms
--   one town, 2022:    before  Bitmap Heap Scan on disputes via disputes_town_status_idx (1,776 rows)       2.5 ms
--                      after   Index Scan using dispute_counts_pkey (9 rows)                               0.2 ms
-- Cost on write: the 1M-row COPY into disputes (indexes and this trigger) took 65.9 s on the same machine; one
-- statement-level aggregate per INSERT/UPDATE/DELETE statement, not one per row.
CREATE TABLE dispute_counts (
  grain            text NOT NULL CHECK (grain IN ('y', 'm', 'd')),
  -- First day of the period: 1 January for 'y', the 1st for 'm', the day itself for 'd'.
  period           date NOT NULL,
  town_code        text NOT NULL,
  category         text NOT NULL,
  found            integer NOT NULL DEFAULT 0,
  resolved         integer NOT NULL DEFAULT 0,
  failed           integer NOT NULL DEFAULT 0,
  referred         integer NOT NULL DEFAULT 0,
  open             integer NOT NULL DEFAULT 0,
  resolved_village integer NOT NULL DEFAULT 0,
  resolved_town    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, period, town_code, category)
);

-- The statement adding the rows of `rows_sql` (a SELECT of dispute rows with a sign column `s`, +1 or -1) to the
-- counts: one upsert per (grain, period, town, category), in key order so that concurrent writers lock rows in
-- one order. Returned as text and EXECUTEd by the trigger function itself: transition tables are visible only
-- there, not in functions it calls.
CREATE FUNCTION dispute_counts_sql(rows_sql text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    WITH delta AS (
      SELECT r.town_code, r.category, r.status, r.resolution_level, r.s,
             (r.reported_at AT TIME ZONE 'Asia/Shanghai')::date AS day
      FROM (%s) r
    ),
    grouped AS (
      SELECT g.grain,
             CASE g.grain WHEN 'y' THEN make_date(extract(year FROM d.day)::int, 1, 1)
                          WHEN 'm' THEN make_date(extract(year FROM d.day)::int, extract(month FROM d.day)::int, 1)
                          ELSE d.day END AS period,
             d.town_code, d.category,
             sum(d.s)::int AS found,
             coalesce(sum(d.s) FILTER (WHERE d.status = 'resolved'), 0)::int AS resolved,
             coalesce(sum(d.s) FILTER (WHERE d.status = 'failed'), 0)::int AS failed,
             coalesce(sum(d.s) FILTER (WHERE d.status = 'referred'), 0)::int AS referred,
             coalesce(sum(d.s) FILTER (WHERE d.status IN ('reported', 'accepted', 'mediating')), 0)::int AS open,
             coalesce(sum(d.s) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'village'), 0)::int
               AS resolved_village,
             coalesce(sum(d.s) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'town'), 0)::int
               AS resolved_town
      FROM delta d CROSS JOIN (VALUES ('y'), ('m'), ('d')) g (grain)
      GROUP BY 1, 2, 3, 4
    )
    INSERT INTO dispute_counts AS c
      (grain, period, town_code, category, found, resolved, failed, referred, open, resolved_village, resolved_town)
    SELECT * FROM grouped
    WHERE found <> 0 OR resolved <> 0 OR failed <> 0 OR referred <> 0 OR open <> 0 OR resolved_village <> 0
       OR resolved_town <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (grain, period, town_code, category) DO UPDATE SET
      found = c.found + excluded.found, resolved = c.resolved + excluded.resolved,
      failed = c.failed + excluded.failed, referred = c.referred + excluded.referred, open = c.open + excluded.open,
      resolved_village = c.resolved_village + excluded.resolved_village,
      resolved_town = c.resolved_town + excluded.resolved_town
  $q$, rows_sql);
END
$fn$;

CREATE FUNCTION dispute_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE dispute_counts_sql('SELECT n.*, 1 AS s FROM new_rows n');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE dispute_counts_sql('SELECT o.*, -1 AS s FROM old_rows o');
  ELSE
    EXECUTE dispute_counts_sql('SELECT n.*, 1 AS s FROM new_rows n UNION ALL SELECT o.*, -1 AS s FROM old_rows o');
  END IF;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION dispute_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE dispute_counts;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER dispute_counts_insert AFTER INSERT ON disputes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_counts_on_write();
CREATE TRIGGER dispute_counts_update AFTER UPDATE ON disputes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_counts_on_write();
CREATE TRIGGER dispute_counts_delete AFTER DELETE ON disputes
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_counts_on_write();
CREATE TRIGGER dispute_counts_truncate AFTER TRUNCATE ON disputes
  FOR EACH STATEMENT EXECUTE FUNCTION dispute_counts_on_truncate();

-- Disputes already stored.
DO $do$ BEGIN EXECUTE dispute_counts_sql('SELECT d.*, 1 AS s FROM disputes d'); END $do$;
