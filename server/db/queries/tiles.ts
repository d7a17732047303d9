import type { AdminLevel, StationKind } from '../../domain/vocabulary.js';
import { TILE_BUFFER, TILE_EXTENT, type VectorTileRequest } from '../tiles.js';
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

/**
 * Disputes as tile features, aggregated on a grid so that no tile carries an unbounded number of features:
 * each non-empty cell becomes one point at the mean position of its cases with `count`, `open` (unresolved
 * cases) and `riskLevel` (the highest in the cell); a cell holding a single case also carries that case's
 * `id`, `category`, `status` and `townCode`. The grid is a fixed fraction of the tile (see
 * `disputeCellsPerSide`), aligned with the tile's edges. Same filter as the list and the summary.
 */
export function disputeTile(filter: DisputeFilter, z: number, x: number, y: number): VectorTileRequest {
  const where = applyDisputeFilter(new Where(), filter);
  const pz = where.param(z);
  const px = where.param(x);
  const py = where.param(y);
  const env = `ST_TileEnvelope(${pz}::int, ${px}::int, ${py}::int)`;
  const margin = TILE_BUFFER / TILE_EXTENT;
  where.add(
    `ST_Intersects(d.geom, ST_Transform(ST_TileEnvelope(${pz}::int, ${px}::int, ${py}::int, margin => ${margin}), 4326))`,
  );
  const cells = disputeCellsPerSide(z);
  // Rows stay narrow through the grouping (numbers only); a cell holding one case looks that case up by id.
  return {
    layer: 'disputes',
    z,
    x,
    y,
    features: sql(
      `SELECT c.geom, c.count, c.open, (ARRAY['blue', 'yellow', 'orange', 'red'])[c.risk] AS "riskLevel",
              s.id::int AS id, s.category, s.status, s.town_code AS "townCode"
       FROM (
         SELECT ST_Transform(ST_SetSRID(ST_MakePoint(avg(p.mx), avg(p.my)), 3857), 4326) AS geom,
                count(*)::int AS count, count(*) FILTER (WHERE p.open)::int AS open, max(p.risk) AS risk,
                CASE WHEN count(*) = 1 THEN min(p.id) END AS single
         FROM (SELECT ${mercX('ST_X(d.geom)')} AS mx, ${mercY('ST_Y(d.geom)')} AS my, d.id,
                      CASE d.risk_level WHEN 'red' THEN 4 WHEN 'orange' THEN 3 WHEN 'yellow' THEN 2 ELSE 1 END AS risk,
                      d.status IN ('reported', 'accepted', 'mediating') AS open
               FROM disputes d ${where.toSql()}) p,
              (SELECT ${env} AS e) b
         GROUP BY floor((p.mx - ST_XMin(b.e)) * ${cells} / (ST_XMax(b.e) - ST_XMin(b.e))),
                  floor((p.my - ST_YMin(b.e)) * ${cells} / (ST_YMax(b.e) - ST_YMin(b.e)))
       ) c
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
