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

/** Web Mercator metres across one tile at zoom z. */
const tileSpan = (z: number) => (2 * Math.PI * R) / 2 ** z;

/**
 * Disputes as tile features, aggregated on a grid so that no tile carries an unbounded number of features:
 * each non-empty cell becomes one point at the mean position of its cases with `count`, `open` (unresolved
 * cases) and `riskLevel` (the highest in the cell); a cell holding a single case also carries that case's
 * `id`, `category`, `status` and `townCode`. The grid is a fixed fraction of the tile (see
 * `disputeCellsPerSide`), aligned with the tile's edges. Same filter as the list and the summary.
 *
 * `coarse` (export tokens, issue 8: shared locations are never exact): the cells are at least `metres` wide
 * (Web Mercator metres) at every zoom, and each feature sits at its cell's centre, not at the mean of its cases, so
 * that zooming in never reveals where a case is more closely than the exports do.
 */
export function disputeTile(
  filter: DisputeFilter,
  z: number,
  x: number,
  y: number,
  coarse?: { metres: number },
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
  const cells = coarse
    ? Math.max(1, Math.min(disputeCellsPerSide(z), Math.floor(tileSpan(z) / coarse.metres)))
    : disputeCellsPerSide(z);
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
  // Exact: the mean position of the cell's cases. Coarse: the cell's centre, from its indices and the tile's box.
  const position = coarse
    ? `ST_MakePoint(min(ST_XMin(b.e)) + (${gx} + 0.5) * min(${w}) / ${cells},
                    min(ST_YMin(b.e)) + (${gy} + 0.5) * min(${h}) / ${cells})`
    : 'ST_MakePoint(avg(p.mx), avg(p.my))';
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
