-- Mean days to resolution per town (平均化解天数) for the overview's town table, from the dispute_counts rollup
-- (070) like every other figure there: the sum of days from reported to resolved of the resolved cases, kept by
-- the same statement-level triggers, so mean = resolved_days ÷ resolved without reading disputes. The column is
-- added, the rollup's statement redefined with it, and the rollup rebuilt from the disputes once.
ALTER TABLE dispute_counts ADD COLUMN resolved_days double precision NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION dispute_counts_sql(rows_sql text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    WITH delta AS (
      SELECT r.town_code, r.category, r.status, r.resolution_level, r.s,
             (r.reported_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
             CASE WHEN r.status = 'resolved' AND r.resolved_at IS NOT NULL
                  THEN extract(epoch FROM r.resolved_at - r.reported_at) / 86400 ELSE 0 END AS days
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
               AS resolved_town,
             coalesce(sum(d.s * d.days), 0)::float8 AS resolved_days
      FROM delta d CROSS JOIN (VALUES ('y'), ('m'), ('d')) g (grain)
      GROUP BY 1, 2, 3, 4
    )
    INSERT INTO dispute_counts AS c
      (grain, period, town_code, category, found, resolved, failed, referred, open, resolved_village, resolved_town,
       resolved_days)
    SELECT * FROM grouped
    WHERE found <> 0 OR resolved <> 0 OR failed <> 0 OR referred <> 0 OR open <> 0 OR resolved_village <> 0
       OR resolved_town <> 0 OR resolved_days <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (grain, period, town_code, category) DO UPDATE SET
      found = c.found + excluded.found, resolved = c.resolved + excluded.resolved,
      failed = c.failed + excluded.failed, referred = c.referred + excluded.referred, open = c.open + excluded.open,
      resolved_village = c.resolved_village + excluded.resolved_village,
      resolved_town = c.resolved_town + excluded.resolved_town,
      resolved_days = c.resolved_days + excluded.resolved_days
  $q$, rows_sql);
END
$fn$;

TRUNCATE dispute_counts;
DO $do$ BEGIN EXECUTE dispute_counts_sql('SELECT d.*, 1 AS s FROM disputes d'); END $do$;
