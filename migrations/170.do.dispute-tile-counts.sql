-- Dispute counts per Web Mercator grid cell (issue 19), kept current on write like dispute_counts (070), so that
-- a dispute tile below zoom 15 reads the rollup rows of its own cells instead of every case under it.
--
-- The grid: level L has 2^L × 2^L cells over the world, x from the antimeridian, y from the north edge, so that a
-- tile z/x/y at level L holds cells [x·2^(L−z), (x+1)·2^(L−z)) (XYZ order). Tiles aggregate on 64 cells a side
-- below zoom 14 and 128 from it on (server/db/queries/tiles.ts), so zoom z reads level z + 6 (z + 7 from 14 on):
-- levels 6…21 serve zooms 0…14. Higher zooms hold few cases per tile and read the disputes themselves.
-- Every level is derived from level 21 by shifting, which equals the functions at the level itself (both scale
-- one rounded fraction by a power of two, exactly): the raw tile path calls them at its level, so rollup and
-- disputes agree on every point's cell.
--
-- Keys: level, grain ('a' all time, 'y' year, 'm' month, China Standard Time; period = the first day, 0001-01-01
-- for 'a'), cell, category ('' = every category, so that an unfiltered tile reads one row per cell and status
-- group, not nine) and the status group (open = reported/accepted/mediating). A date range is cut into whole
-- years, months and loose days (server/domain/calendar-segments.ts); loose days read the disputes. Filters the
-- rollup does not hold (one status out of a group, town, village) read the disputes.
-- Levels 6…16 (zooms 0…10) hold every grain and category. Levels 17…21 (zooms 11…14) hold all time and every
-- category only (the unfiltered map and the status groups): there cells hold a case or two, so months and
-- categories would store about one row per case per level (36 rows per case in all, measured on the demo's
-- 27,013 cases: 983,000 rows, 43 s to fill on the loaded machine), for tiles that read few cases anyway; a
-- category or date filter at those zooms reads the disputes.
-- Values: the count, the counts per risk level (the highest in a cell is the first non-zero; blue = the rest),
-- sums of the Web Mercator coordinates (the cell's mean position) and the sum of the ids (the case itself when
-- the cell holds one: any mix of inserts and deletes leaves exactly its id).
CREATE FUNCTION tile_cell_x(lon float8, lvl integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN least(2::float8 ^ lvl - 1::float8,
             greatest(0::float8, floor((lon + 180::float8) / 360::float8 * 2::float8 ^ lvl)))::integer;

CREATE FUNCTION tile_cell_y(lat float8, lvl integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN least(2::float8 ^ lvl - 1::float8,
             greatest(0::float8, floor((1::float8 - ln(tan(pi() / 4::float8 + radians(lat) / 2::float8)) / pi())
                                       / 2::float8 * 2::float8 ^ lvl)))::integer;

CREATE TABLE dispute_tile_counts (
  lvl      smallint NOT NULL CHECK (lvl BETWEEN 6 AND 21),
  grain    text NOT NULL CHECK (grain IN ('a', 'y', 'm')),
  category text NOT NULL,
  period   date NOT NULL,
  cx       integer NOT NULL,
  cy       integer NOT NULL,
  open     boolean NOT NULL,
  n        integer NOT NULL,
  red      integer NOT NULL,
  orange   integer NOT NULL,
  yellow   integer NOT NULL,
  sx       float8 NOT NULL,
  sy       float8 NOT NULL,
  sid      bigint NOT NULL,
  -- A tile reads one level, grain and category, a range of periods, then a range of cells.
  PRIMARY KEY (lvl, grain, category, period, cx, cy, open)
);

-- The data version of each level-14 cell (≈ 2.4 km): bumped by every statement that changes a case in it, so a
-- tile's ETag (the sum of the versions of the cells it covers) changes whenever anything shown in it may have.
-- Each bump takes a fresh sequence value after the row lock, so a cell's version only grows and the sum with it.
CREATE SEQUENCE dispute_tile_version_seq;
CREATE TABLE dispute_tile_versions (
  cx      integer NOT NULL,
  cy      integer NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (cx, cy)
);

-- The statement adding the rows of `rows_sql` (dispute rows with a sign column `s`, +1 or −1) to the counts: the
-- rows are grouped once at level 21 by month, every coarser level is grouped from that, the years and all time
-- from the months, and the all-categories rows from those; one upsert in key order.
CREATE FUNCTION dispute_tile_counts_sql(rows_sql text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    WITH base AS (
      SELECT tile_cell_x(ST_X(r.geom), 21) AS cx, tile_cell_y(ST_Y(r.geom), 21) AS cy,
             date_trunc('month', r.reported_at AT TIME ZONE 'Asia/Shanghai')::date AS period, r.category,
             r.status IN ('reported', 'accepted', 'mediating') AS open,
             sum(r.s)::int AS n,
             coalesce(sum(r.s) FILTER (WHERE r.risk_level = 'red'), 0)::int AS red,
             coalesce(sum(r.s) FILTER (WHERE r.risk_level = 'orange'), 0)::int AS orange,
             coalesce(sum(r.s) FILTER (WHERE r.risk_level = 'yellow'), 0)::int AS yellow,
             sum(r.s * radians(ST_X(r.geom)) * 6378137) AS sx,
             sum(r.s * ln(tan(pi() / 4 + radians(ST_Y(r.geom)) / 2)) * 6378137) AS sy,
             sum(r.s * r.id)::bigint AS sid
      FROM (%s) r
      GROUP BY 1, 2, 3, 4, 5
    ),
    months AS (
      SELECT l.lvl, b.cx >> (21 - l.lvl) AS cx, b.cy >> (21 - l.lvl) AS cy, b.period, b.category, b.open,
             sum(b.n) AS n, sum(b.red) AS red, sum(b.orange) AS orange, sum(b.yellow) AS yellow,
             sum(b.sx) AS sx, sum(b.sy) AS sy, sum(b.sid) AS sid
      FROM base b CROSS JOIN generate_series(6, 16) l (lvl)
      GROUP BY 1, 2, 3, 4, 5, 6
    ),
    fine AS (
      SELECT 'a' AS grain, l.lvl, b.cx >> (21 - l.lvl) AS cx, b.cy >> (21 - l.lvl) AS cy, date '0001-01-01' AS period,
             '' AS category, b.open, sum(b.n) AS n, sum(b.red) AS red, sum(b.orange) AS orange,
             sum(b.yellow) AS yellow, sum(b.sx) AS sx, sum(b.sy) AS sy, sum(b.sid) AS sid
      FROM base b CROSS JOIN generate_series(17, 21) l (lvl)
      GROUP BY 2, 3, 4, 7
    ),
    grains AS (
      SELECT 'm' AS grain, m.* FROM months m
      UNION ALL
      SELECT 'y', m.lvl, m.cx, m.cy, date_trunc('year', m.period)::date, m.category, m.open,
             sum(m.n), sum(m.red), sum(m.orange), sum(m.yellow), sum(m.sx), sum(m.sy), sum(m.sid)
      FROM months m GROUP BY 2, 3, 4, 5, 6, 7
      UNION ALL
      SELECT 'a', m.lvl, m.cx, m.cy, date '0001-01-01', m.category, m.open,
             sum(m.n), sum(m.red), sum(m.orange), sum(m.yellow), sum(m.sx), sum(m.sy), sum(m.sid)
      FROM months m GROUP BY 2, 3, 4, 6, 7
    ),
    keyed AS (
      SELECT g.* FROM grains g
      UNION ALL
      SELECT g.grain, g.lvl, g.cx, g.cy, g.period, '', g.open,
             sum(g.n), sum(g.red), sum(g.orange), sum(g.yellow), sum(g.sx), sum(g.sy), sum(g.sid)
      FROM grains g GROUP BY 1, 2, 3, 4, 5, 7
      UNION ALL
      SELECT f.* FROM fine f
    )
    INSERT INTO dispute_tile_counts AS c (lvl, grain, category, period, cx, cy, open, n, red, orange, yellow, sx, sy, sid)
    SELECT k.lvl, k.grain, k.category, k.period, k.cx, k.cy, k.open, k.n, k.red, k.orange, k.yellow, k.sx, k.sy, k.sid
    FROM keyed k
    WHERE k.n <> 0 OR k.red <> 0 OR k.orange <> 0 OR k.yellow <> 0 OR k.sx <> 0 OR k.sy <> 0 OR k.sid <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (lvl, grain, category, period, cx, cy, open) DO UPDATE SET
      n = c.n + excluded.n, red = c.red + excluded.red, orange = c.orange + excluded.orange,
      yellow = c.yellow + excluded.yellow, sx = c.sx + excluded.sx, sy = c.sy + excluded.sy, sid = c.sid + excluded.sid
  $q$, rows_sql);
END
$fn$;

-- Bumps the versions of the level-14 cells of `rows_sql` (dispute rows).
CREATE FUNCTION dispute_tile_versions_sql(rows_sql text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    INSERT INTO dispute_tile_versions AS v (cx, cy, version)
    SELECT c.cx, c.cy, nextval('dispute_tile_version_seq')
    FROM (SELECT DISTINCT tile_cell_x(ST_X(r.geom), 21) >> 7 AS cx, tile_cell_y(ST_Y(r.geom), 21) >> 7 AS cy
          FROM (%s) r ORDER BY 1, 2) c
    ON CONFLICT (cx, cy) DO UPDATE SET version = nextval('dispute_tile_version_seq')
  $q$, rows_sql);
END
$fn$;

-- An UPDATE counts only the cases whose tile-visible columns changed (a note or a deadline changes no tile).
CREATE FUNCTION dispute_tile_counts_on_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  changed constant text := 'NOT EXISTS (SELECT 1 FROM %s x WHERE x.id = %s.id AND x.geom = %s.geom
    AND x.category = %s.category AND x.status = %s.status AND x.risk_level = %s.risk_level
    AND x.reported_at = %s.reported_at AND x.town_code = %s.town_code)';
  old_changed text := format(changed, 'new_rows', 'o', 'o', 'o', 'o', 'o', 'o', 'o');
  new_changed text := format(changed, 'old_rows', 'n', 'n', 'n', 'n', 'n', 'n', 'n');
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE dispute_tile_counts_sql('SELECT n.*, 1 AS s FROM new_rows n');
    EXECUTE dispute_tile_versions_sql('SELECT n.geom FROM new_rows n');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE dispute_tile_counts_sql('SELECT o.*, -1 AS s FROM old_rows o');
    EXECUTE dispute_tile_versions_sql('SELECT o.geom FROM old_rows o');
  ELSE
    EXECUTE dispute_tile_counts_sql(
      'SELECT n.*, 1 AS s FROM new_rows n WHERE ' || new_changed ||
      ' UNION ALL SELECT o.*, -1 AS s FROM old_rows o WHERE ' || old_changed);
    EXECUTE dispute_tile_versions_sql(
      'SELECT n.geom FROM new_rows n WHERE ' || new_changed ||
      ' UNION ALL SELECT o.geom FROM old_rows o WHERE ' || old_changed);
  END IF;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION dispute_tile_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE dispute_tile_counts;
  UPDATE dispute_tile_versions SET version = nextval('dispute_tile_version_seq');
  RETURN NULL;
END
$fn$;

CREATE TRIGGER dispute_tile_counts_insert AFTER INSERT ON disputes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_tile_counts_on_write();
CREATE TRIGGER dispute_tile_counts_update AFTER UPDATE ON disputes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dispute_tile_counts_on_write();
CREATE TRIGGER dispute_tile_counts_delete AFTER DELETE ON disputes
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_tile_counts_on_write();
CREATE TRIGGER dispute_tile_counts_truncate AFTER TRUNCATE ON disputes
  FOR EACH STATEMENT EXECUTE FUNCTION dispute_tile_counts_on_truncate();

-- Disputes already stored.
DO $do$ BEGIN EXECUTE dispute_tile_counts_sql('SELECT d.*, 1 AS s FROM disputes d'); END $do$;
DO $do$ BEGIN EXECUTE dispute_tile_versions_sql('SELECT d.geom FROM disputes d'); END $do$;
