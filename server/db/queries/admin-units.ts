import type { AdminLevel } from '../../domain/vocabulary.js';
import type { Sql } from '../types.js';
import { sql, Where } from './filters.js';

// GeoJSON is assembled in SQL (as pg_featureserv does) and travels as one text value: no per-row JS objects.
// Coordinates keep 6 decimals (~0.1 m), plenty for boundaries drawn on a map.
const featureSql = `json_build_object(
    'type', 'Feature',
    'id', u.code,
    'geometry', ST_AsGeoJSON(u.geom, 6)::json,
    'properties', json_build_object(
      'code', u.code, 'name', u.name, 'level', u.level, 'parentCode', u.parent_code,
      'labelLon', round(ST_X(u.label_point)::numeric, 6), 'labelLat', round(ST_Y(u.label_point)::numeric, 6),
      'areaKm2', round(u.area_km2::numeric, 2)))`;

export function adminUnitCollection(filter: { level?: AdminLevel; parent?: string }): Sql {
  const where = new Where();
  if (filter.level) where.add(`u.level = ${where.param(filter.level)}`);
  if (filter.parent) where.add(`u.parent_code = ${where.param(filter.parent)}`);
  return sql(
    `SELECT json_build_object('type', 'FeatureCollection',
              'features', coalesce(json_agg(${featureSql} ORDER BY u.code), '[]'::json))::text AS body
     FROM admin_units u ${where.toSql()}`,
    where.values,
  );
}

export function adminUnitFeature(code: string): Sql {
  return sql(`SELECT ${featureSql}::text AS body FROM admin_units u WHERE u.code = $1`, [code]);
}

export function adminUnitLevel(code: string): Sql {
  return sql('SELECT level FROM admin_units WHERE code = $1', [code]);
}
