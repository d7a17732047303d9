-- Disputes per stored hexagon (migration 120's ladder) × category × status group, all time, kept current on write
-- like dispute_counts (070) and dispute_tile_counts (170): the hot spot map (Gi* + FDR), the heat layer and the
-- other hexagon views read a few thousand rollup rows instead of grouping every dispute (1M disputes, county-wide
-- at 400 m: 835 ms for the GROUP BY of the stored ids; the heat layer ≈ 0.5 s, `hex_400` has no index).
-- Keyed by size, category ('' = every category), the status group (open = reported/accepted/mediating) and the
-- cell id. All time only: the dashboard's hot spot and heat views open unfiltered or by category or status group;
-- a date range, a single status, a town, a village or a bbox still groups the disputes (with their indexes). Years
-- and months would multiply the rows by the months a cell has cases in (at 250–600 m, about one row per case per
-- size), the cost the tile rollup already measured (docs/tiles-and-replicas.md).
CREATE TABLE dispute_hex_counts (
  size     smallint NOT NULL CHECK (size IN (250, 400, 600, 1000, 1650, 2700, 4500, 7500)),
  category text NOT NULL,
  open     boolean NOT NULL,
  h        bigint NOT NULL,
  n        integer NOT NULL,
  PRIMARY KEY (size, category, open, h)
);

CREATE FUNCTION dispute_hex_counts_sql(rows_sql text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    WITH r AS (%s),
    cells AS (
      SELECT l.size, CASE l.size WHEN 250 THEN r.hex_250 WHEN 400 THEN r.hex_400 WHEN 600 THEN r.hex_600
                                 WHEN 1000 THEN r.hex_1000 WHEN 1650 THEN r.hex_1650 WHEN 2700 THEN r.hex_2700
                                 WHEN 4500 THEN r.hex_4500 ELSE r.hex_7500 END AS h,
             r.category, r.status IN ('reported', 'accepted', 'mediating') AS open, r.s
      FROM r CROSS JOIN (VALUES (250), (400), (600), (1000), (1650), (2700), (4500), (7500)) l (size)
    ),
    grouped AS (
      SELECT c.size, c.category, c.open, c.h, sum(c.s)::int AS n FROM cells c GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT c.size, '', c.open, c.h, sum(c.s)::int FROM cells c GROUP BY 1, 3, 4
    )
    INSERT INTO dispute_hex_counts AS t (size, category, open, h, n)
    SELECT g.size, g.category, g.open, g.h, g.n FROM grouped g WHERE g.n <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (size, category, open, h) DO UPDATE SET n = t.n + excluded.n
  $q$, rows_sql);
END
$fn$;

-- An UPDATE counts only the cases whose location, category or status changed.
CREATE FUNCTION dispute_hex_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  changed constant text := 'NOT EXISTS (SELECT 1 FROM %s x WHERE x.id = %s.id AND x.geom = %s.geom
    AND x.category = %s.category AND x.status = %s.status)';
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE dispute_hex_counts_sql('SELECT n.*, 1 AS s FROM new_rows n');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE dispute_hex_counts_sql('SELECT o.*, -1 AS s FROM old_rows o');
  ELSE
    EXECUTE dispute_hex_counts_sql(
      'SELECT n.*, 1 AS s FROM new_rows n WHERE ' || format(changed, 'old_rows', 'n', 'n', 'n', 'n') ||
      ' UNION ALL SELECT o.*, -1 AS s FROM old_rows o WHERE ' || format(changed, 'new_rows', 'o', 'o', 'o', 'o'));
  END IF;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION dispute_hex_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE dispute_hex_counts;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER dispute_hex_counts_insert AFTER INSERT ON disputes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_hex_counts_on_write();
CREATE TRIGGER dispute_hex_counts_update AFTER UPDATE ON disputes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dispute_hex_counts_on_write();
CREATE TRIGGER dispute_hex_counts_delete AFTER DELETE ON disputes
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_hex_counts_on_write();
CREATE TRIGGER dispute_hex_counts_truncate AFTER TRUNCATE ON disputes
  FOR EACH STATEMENT EXECUTE FUNCTION dispute_hex_counts_on_truncate();

DO $do$ BEGIN EXECUTE dispute_hex_counts_sql('SELECT d.*, 1 AS s FROM disputes d'); END $do$;
