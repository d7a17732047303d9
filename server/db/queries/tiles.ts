import { calendarSegments } from '../../domain/calendar-segments.js';
import {
  type AdminLevel,
  closedStatuses,
  type DisputeStatus,
  disputeStatuses,
  openStatuses,
  type StationKind,
} from '../../domain/vocabulary.js';
import { TILE_BUFFER, TILE_EXTENT, type VectorTileRequest } from '../tiles.js';
import type { Sql } from '../types.js';
import { applyDisputeFilter, type DisputeFilter, sql, Where } from './filters.js';

/** From this zoom on, dispute cells are a few pixels wide: only (nearly) coincident cases merge. */
export const DISPUTE_DETAIL_ZOOM = 14;
/** Grid cells per tile side: 64 below the detail zoom (≈ 8 px clusters on a 512 px tile), 128 from it on. */
export const disputeCellsPerSide = (z: number) => (z < DISPUTE_DETAIL_ZOOM ? 64 : 128);
/**
 * The most features a dispute tile can carry, whatever the number of cases: one per grid cell of the tile and
 * of its buffer (the buffer is a whole number of cells, so neighbouring tiles agree on the clusters).
 */
export const maxDisputeTileFeatures = (z: number) => {
  const cells = disputeCellsPerSide(z);
  return (cells + (2 * TILE_BUFFER * cells) / TILE_EXTENT) ** 2;
};

// Web Mercator (EPSG:3857, a sphere of radius 6378137 m) in plain arithmetic: per point this is much cheaper
// than ST_Transform, and it is exactly the projection's formula.
const R = 6378137;
const mercX = (lon: string) => `(radians(${lon}) * ${R})`;
const mercY = (lat: string) => `(ln(tan(pi() / 4 + radians(${lat}) / 2)) * ${R})`;

/** Web Mercator metres across one tile at zoom z. */
const tileSpan = (z: number) => (2 * Math.PI * R) / 2 ** z;

/** Grid level of the cells a tile at zoom z aggregates on (2^level cells a side over the world). */
export const disputeCellLevel = (z: number) => z + Math.log2(disputeCellsPerSide(z));
/** The finest level `dispute_tile_counts` keeps (migration 170): zoom 14; higher zooms read the disputes. */
export const TILE_ROLLUP_MAX_LEVEL = 21;
/** The finest level with months, years and categories (zoom 10); finer ones hold all time, all categories only. */
export const TILE_ROLLUP_DATED_LEVEL = 16;
/** The level of `dispute_tile_versions` cells (≈ 2.4 km): what a tile's ETag is computed from. */
export const TILE_VERSION_LEVEL = 14;

/** The status group a filter asks for, when it is one the rollup holds: any status, open or closed. */
export function statusGroup(statuses: readonly DisputeStatus[] | undefined): 'any' | boolean | null {
  if (!statuses || statuses.length === 0) return 'any';
  const set = new Set(statuses);
  const is = (xs: readonly DisputeStatus[]) => set.size === xs.length && xs.every((s) => set.has(s));
  if (is(disputeStatuses)) return 'any';
  if (is(openStatuses)) return true;
  if (is(closedStatuses)) return false;
  return null;
}

/** Whether a tile of this filter and zoom is built from `dispute_tile_counts` (else from the disputes alone). */
export function tileFromRollup(filter: DisputeFilter, z: number): boolean {
  const level = disputeCellLevel(z);
  if (level > TILE_ROLLUP_DATED_LEVEL && (filter.from || filter.to || (filter.categories?.length ?? 0) > 0)) {
    return false;
  }
  return (
    level <= TILE_ROLLUP_MAX_LEVEL &&
    !filter.town &&
    !filter.village &&
    !filter.bbox &&
    statusGroup(filter.statuses) !== null
  );
}

/** The cells of tile z/x/y and of its buffer at the tile's own level, inclusive, in XYZ order (y from north). */
export function tileCellRange(z: number, x: number, y: number) {
  const cells = disputeCellsPerSide(z);
  const buffer = (TILE_BUFFER * cells) / TILE_EXTENT;
  return {
    level: disputeCellLevel(z),
    x0: x * cells - buffer,
    x1: (x + 1) * cells + buffer - 1,
    y0: y * cells - buffer,
    y1: (y + 1) * cells + buffer - 1,
  };
}

/**
 * Disputes as tile features, aggregated on a grid so that no tile carries an unbounded number of features:
 * each non-empty cell becomes one point at the mean position of its cases with `count`, `open` (unresolved
 * cases) and `riskLevel` (the highest in the cell); a cell holding a single case is that case, at its own
 * position, with its `id`, `category`, `status` and `townCode`. The grid is a fixed fraction of the tile (see
 * `disputeCellsPerSide`): the Web Mercator cells of level `disputeCellLevel(z)` (migration 170), so neighbouring
 * tiles agree on the clusters. Same filter as the list and the summary.
 *
 * Up to zoom 10, when the filter is one the rollup holds (status group, categories, dates; no town, village or
 * bbox), the cells are read from `dispute_tile_counts`: whole years and months from the rollup, loose days at the
 * range's ends from the disputes; zooms 11 to 14 read it for a status group or no filter. `source: 'disputes'` forces the aggregation of the disputes themselves (what the
 * tests compare the rollup with). Both paths put a case in the same cell (the same SQL functions).
 *
 * `coarse` (export tokens, issue 8: shared locations are never exact): the cells are at least `metres` wide
 * (Web Mercator metres) at every zoom, and each feature sits at its cell's centre, not at the mean of its cases, so
 * that zooming in never reveals where a case is more closely than the exports do. Always from the disputes.
 */
export function disputeTile(
  filter: DisputeFilter,
  z: number,
  x: number,
  y: number,
  coarse?: { metres: number },
  options: { source?: 'auto' | 'disputes' } = {},
): VectorTileRequest {
  if (coarse) return coarseDisputeTile(filter, z, x, y, coarse);
  const rollup = options.source !== 'disputes' && tileFromRollup(filter, z);
  return {
    layer: 'disputes',
    z,
    x,
    y,
    features: disputeTileFeatures(filter, z, x, y, rollup),
    properties: ['count', 'open', 'riskLevel', 'id', 'category', 'status', 'townCode'],
  };
}

/** One row per non-empty cell: cx, cy at the tile's level, n, o (open), red, orange, yellow, sx, sy, sid. */
function disputeTileFeatures(filter: DisputeFilter, z: number, x: number, y: number, rollup: boolean): Sql {
  const r = tileCellRange(z, x, y);
  const values: unknown[] = [];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const parts: string[] = [];
  // The disputes part: every case of the tile (or of the loose days only), with its cell.
  const raw = (days: { first: string; last: string }[] | null) => {
    const { from: _from, to: _to, ...undated } = filter;
    const where = applyDisputeFilter(new Where(values), undated);
    if (days === null) {
      if (filter.from)
        where.add(`d.reported_at >= (${where.param(filter.from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
      if (filter.to)
        where.add(`d.reported_at < ((${where.param(filter.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
    } else {
      where.add(
        `(${days
          .map(
            (d) =>
              `(d.reported_at >= (${where.param(d.first)}::date::timestamp AT TIME ZONE 'Asia/Shanghai') AND ` +
              `d.reported_at < ((${where.param(d.last)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'))`,
          )
          .join(' OR ')})`,
      );
    }
    // Half a cell more than the buffer: the cell range below is the exact cut.
    const margin = (TILE_BUFFER / TILE_EXTENT) * 1.5;
    where.add(
      `ST_Intersects(d.geom, ST_Transform(ST_TileEnvelope(${where.param(z)}::int, ${where.param(x)}::int, ${where.param(y)}::int, margin => ${margin}), 4326))`,
    );
    return `SELECT tile_cell_x(ST_X(d.geom), ${r.level}) AS cx, tile_cell_y(ST_Y(d.geom), ${r.level}) AS cy, 1 AS n,
                   (d.status IN ('reported', 'accepted', 'mediating'))::int AS o, (d.risk_level = 'red')::int AS red,
                   (d.risk_level = 'orange')::int AS orange, (d.risk_level = 'yellow')::int AS yellow,
                   ${mercX('ST_X(d.geom)')} AS sx, ${mercY('ST_Y(d.geom)')} AS sy, d.id AS sid
            FROM disputes d ${where.toSql()}`;
  };
  if (!rollup) {
    parts.push(raw(null));
  } else {
    const group = statusGroup(filter.statuses);
    const cats = filter.categories && filter.categories.length > 0 ? filter.categories : null;
    const segments: { grain: 'a' | 'y' | 'm' | 'd'; first: string; last: string }[] =
      filter.from || filter.to
        ? calendarSegments(filter.from, filter.to)
        : [{ grain: 'a', first: '0001-01-01', last: '0001-01-01' }];
    const days = segments.filter((s) => s.grain === 'd');
    if (days.length > 0) parts.push(raw(days));
    const periods = segments.filter((s) => s.grain !== 'd');
    if (periods.length > 0) {
      const common = [
        `t.lvl = ${p(r.level)}`,
        cats ? `t.category = ANY(${p(cats)}::text[])` : `t.category = ''`,
        // One index range per column of cells (cy bounded), not one range over every cy of the cx strip.
        `t.cx = ANY(${p(Array.from({ length: r.x1 - r.x0 + 1 }, (_, i) => r.x0 + i))}::int[])`,
        `t.cy BETWEEN ${p(r.y0)} AND ${p(r.y1)}`,
      ];
      if (group !== 'any') common.push(`t.open = ${p(group)}`);
      for (const s of periods) {
        parts.push(
          `SELECT t.cx, t.cy, t.n, CASE WHEN t.open THEN t.n ELSE 0 END AS o, t.red, t.orange, t.yellow, t.sx, t.sy,
                  t.sid
           FROM dispute_tile_counts t
           WHERE t.grain = ${p(s.grain)} AND t.period BETWEEN ${p(s.first)}::date AND ${p(s.last)}::date
             AND ${common.join(' AND ')}`,
        );
      }
    }
  }
  const cells = `SELECT u.cx, u.cy, sum(u.n) AS n, sum(u.o) AS o, sum(u.red) AS red, sum(u.orange) AS orange,
                        sum(u.yellow) AS yellow, sum(u.sx) AS sx, sum(u.sy) AS sy, sum(u.sid) AS sid
                 FROM (${parts.join(' UNION ALL ')}) u
                 WHERE u.cx BETWEEN ${p(r.x0)} AND ${p(r.x1)} AND u.cy BETWEEN ${p(r.y0)} AND ${p(r.y1)}
                 GROUP BY u.cx, u.cy
                 HAVING sum(u.n) > 0`;
  // A cell of one case shows that case where it is; a larger one, its cases' mean position.
  return sql(
    `SELECT CASE WHEN c.n = 1 THEN s.geom
                 ELSE ST_Transform(ST_SetSRID(ST_MakePoint(c.sx / c.n, c.sy / c.n), 3857), 4326) END AS geom,
            c.cx, c.cy, c.n::int AS count, c.o::int AS open,
            CASE WHEN c.red > 0 THEN 'red' WHEN c.orange > 0 THEN 'orange' WHEN c.yellow > 0 THEN 'yellow'
                 ELSE 'blue' END AS "riskLevel",
            s.id::int AS id, s.category, s.status, s.town_code AS "townCode"
     FROM (${cells}) c
     LEFT JOIN disputes s ON c.n = 1 AND s.id = c.sid::bigint`,
    values,
  );
}

/** Export tokens' tiles: the grid of `disputeTile`'s `coarse`, from the disputes, features at cell centres. */
function coarseDisputeTile(
  filter: DisputeFilter,
  z: number,
  x: number,
  y: number,
  coarse: { metres: number },
): VectorTileRequest {
  const where = applyDisputeFilter(new Where(), filter);
  const pz = where.param(z);
  const px = where.param(x);
  const py = where.param(y);
  const env = `ST_TileEnvelope(${pz}::int, ${px}::int, ${py}::int)`;
  const margin = TILE_BUFFER / TILE_EXTENT;
  where.add(
    `ST_Intersects(d.geom, ST_Transform(ST_TileEnvelope(${pz}::int, ${px}::int, ${py}::int, margin => ${margin}), 4326))`,
  );
  const cells = Math.max(1, Math.min(disputeCellsPerSide(z), Math.floor(tileSpan(z) / coarse.metres)));
  const w = '(ST_XMax(b.e) - ST_XMin(b.e))';
  const h = '(ST_YMax(b.e) - ST_YMin(b.e))';
  const points = `(SELECT ${mercX('ST_X(d.geom)')} AS mx, ${mercY('ST_Y(d.geom)')} AS my, d.id,
                          CASE d.risk_level WHEN 'red' THEN 4 WHEN 'orange' THEN 3 WHEN 'yellow' THEN 2 ELSE 1 END AS risk,
                          d.status IN ('reported', 'accepted', 'mediating') AS open
                   FROM disputes d ${where.toSql()}) p`;
  const gx = `floor((p.mx - ST_XMin(b.e)) * ${cells} / ${w})`;
  const gy = `floor((p.my - ST_YMin(b.e)) * ${cells} / ${h})`;
  const stats = `count(*)::int AS count, count(*) FILTER (WHERE p.open)::int AS open, max(p.risk) AS risk,
                 CASE WHEN count(*) = 1 THEN min(p.id) END AS single`;
  // The cell's centre, from its indices and the tile's box.
  const position = `ST_MakePoint(min(ST_XMin(b.e)) + (${gx} + 0.5) * min(${w}) / ${cells},
                    min(ST_YMin(b.e)) + (${gy} + 0.5) * min(${h}) / ${cells})`;
  const grouped = `SELECT ST_Transform(ST_SetSRID(${position}, 3857), 4326) AS geom, ${stats}
         FROM ${points}, (SELECT ${env} AS e) b
         GROUP BY ${gx}, ${gy}`;
  // Rows stay narrow through the grouping (numbers only); a cell holding one case looks that case up by id.
  return {
    layer: 'disputes',
    z,
    x,
    y,
    features: sql(
      `SELECT c.geom, c.count, c.open, (ARRAY['blue', 'yellow', 'orange', 'red'])[c.risk] AS "riskLevel",
              s.id::int AS id, s.category, s.status, s.town_code AS "townCode"
       FROM (${grouped}) c
       LEFT JOIN disputes s ON s.id = c.single`,
      where.values,
    ),
    properties: ['count', 'open', 'riskLevel', 'id', 'category', 'status', 'townCode'],
  };
}

/** Administrative units (polygons), optionally one level; the tile encoder simplifies them to the zoom's grid. */
export function adminUnitTile(filter: { level?: AdminLevel }, z: number, x: number, y: number): VectorTileRequest {
  const where = new Where();
  if (filter.level) where.add(`u.level = ${where.param(filter.level)}`);
  return {
    layer: 'admin-units',
    z,
    x,
    y,
    features: sql(
      `SELECT u.geom, u.code, u.name, u.level, u.parent_code AS "parentCode" FROM admin_units u ${where.toSql()}`,
      where.values,
    ),
    properties: ['code', 'name', 'level', 'parentCode'],
  };
}

/** Stations (points): a county has hundreds, so every tile can carry all of its own. */
export function stationTile(
  filter: { kinds?: readonly StationKind[] },
  z: number,
  x: number,
  y: number,
): VectorTileRequest {
  const where = new Where();
  if (filter.kinds && filter.kinds.length > 0) where.add(`s.kind = ANY(${where.param(filter.kinds)}::text[])`);
  return {
    layer: 'stations',
    z,
    x,
    y,
    features: sql(
      `SELECT s.geom, s.id, s.kind, s.name, s.town_code AS "townCode" FROM stations s ${where.toSql()}`,
      where.values,
    ),
    properties: ['id', 'kind', 'name', 'townCode'],
  };
}

/**
 * The data version of tile z/x/y: the sum and number of the `dispute_tile_versions` of the level-14 cells under
 * the tile and its buffer. Every statement that changes a case there gives its cells fresh, larger versions
 * (migration 170), so the sum changes whenever the tile's contents may have; read it before the tile itself.
 */
export function disputeTileVersion(z: number, x: number, y: number): Sql {
  const r = tileCellRange(z, x, y);
  // Cells of the tile's level to cells of the version level: divide (finer) or widen (coarser), inclusive.
  const f = 2 ** (r.level - TILE_VERSION_LEVEL);
  const lo = (v: number) => Math.floor(v / f);
  const hi = (v: number) => Math.ceil((v + 1) / f) - 1;
  return sql(
    `SELECT coalesce(sum(version), 0)::text AS version, count(*)::int AS cells FROM dispute_tile_versions
     WHERE cx BETWEEN $1 AND $2 AND cy BETWEEN $3 AND $4`,
    [lo(r.x0), hi(r.x1), lo(r.y0), hi(r.y1)],
  );
}
