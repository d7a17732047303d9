import { geoJSONToTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature, Geometry } from 'geojson';
import type { Queryable, Sql } from './types.js';

/**
 * A vector tile request: `features` selects a `geom` column (SRID 4326) plus the listed property columns.
 * Property names come from code (allow-listed), never from the client.
 */
export interface VectorTileRequest {
  layer: string;
  z: number;
  x: number;
  y: number;
  features: Sql;
  properties: readonly string[];
}

export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;

const quote = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid tile property name ${name}`);
  return `"${name}"`;
};

function tileParams(req: VectorTileRequest) {
  const values = [...req.features.values, req.z, req.x, req.y];
  const n = req.features.values.length;
  return { values, z: `$${n + 1}`, x: `$${n + 2}`, y: `$${n + 3}`, next: n + 4 };
}

/** The ST_AsMVT statement of a tile request (the benchmark runs the very same SQL directly). */
export function mvtSql(req: VectorTileRequest): Sql {
  const p = tileParams(req);
  const props = req.properties.map((c) => `f.${quote(c)}`).join(', ');
  const text = `
    WITH bounds AS (
      SELECT ST_TileEnvelope(${p.z}::int, ${p.x}::int, ${p.y}::int) AS merc,
             ST_Transform(ST_TileEnvelope(${p.z}::int, ${p.x}::int, ${p.y}::int,
                                          margin => ${TILE_BUFFER / TILE_EXTENT}), 4326) AS geo
    ), mvt AS (
      SELECT ST_AsMVTGeom(ST_Transform(f.geom, 3857), bounds.merc, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
             ${props ? `, ${props}` : ''}
      FROM (${req.features.text}) f, bounds
      WHERE ST_Intersects(f.geom, bounds.geo)
    )
    SELECT ST_AsMVT(mvt, $${p.next}::text, ${TILE_EXTENT}, 'geom') AS tile FROM mvt WHERE geom IS NOT NULL`;
  return { text, values: [...p.values, req.layer] };
}

/** PostGIS server: the tile is encoded in the database by ST_AsMVT. */
export async function mvtInDatabase(db: Queryable, req: VectorTileRequest): Promise<Uint8Array> {
  const q = mvtSql(req);
  const { rows } = await db.query<{ tile: Uint8Array | null }>(q.text, q.values);
  return rows[0]?.tile ?? new Uint8Array();
}

/**
 * Embedded PGlite is built without protobuf-c, so ST_AsMVT is missing: the database selects the tile's
 * features as GeoJSON and geojson-vt + vt-pbf (the encoders MapLibre itself uses) cut and encode the tile.
 */
export async function mvtInJavaScript(db: Queryable, req: VectorTileRequest): Promise<Uint8Array> {
  const p = tileParams(req);
  const props = req.properties.map((c) => `f.${quote(c)}`).join(', ');
  const text = `
    WITH bounds AS (
      SELECT ST_Transform(ST_TileEnvelope(${p.z}::int, ${p.x}::int, ${p.y}::int,
                                          margin => ${TILE_BUFFER / TILE_EXTENT}), 4326) AS geo
    )
    SELECT ST_AsGeoJSON(f.geom, 7)::text AS geometry ${props ? `, ${props}` : ''}
    FROM (${req.features.text}) f, bounds
    WHERE ST_Intersects(f.geom, bounds.geo)`;
  const { rows } = await db.query<Record<string, unknown> & { geometry: string }>(text, p.values);
  if (rows.length === 0) return new Uint8Array();
  const features: Feature[] = rows.map(({ geometry, ...properties }) => ({
    type: 'Feature',
    geometry: JSON.parse(geometry) as Geometry,
    properties,
  }));
  const tile = geoJSONToTile({ type: 'FeatureCollection', features }, req.z, req.x, req.y, {
    extent: TILE_EXTENT,
    buffer: TILE_BUFFER,
    maxZoom: req.z,
    clip: true,
  });
  return fromGeojsonVt({ [req.layer]: tile }, { version: 2, extent: TILE_EXTENT });
}
