import type { StationKind } from '../../domain/vocabulary.js';
import type { Sql } from '../types.js';
import { sql, Where } from './filters.js';

const featureSql = `json_build_object(
    'type', 'Feature',
    'id', s.id,
    'geometry', ST_AsGeoJSON(s.geom, 6)::json,
    'properties', json_build_object(
      'id', s.id, 'kind', s.kind, 'name', s.name, 'townCode', s.town_code, 'townName', t.name,
      'staffCount', s.staff_count, 'openedOn', to_char(s.opened_on, 'YYYY-MM-DD'),
      'hostStationId', s.host_station_id, 'staffedById', s.staffed_by_id))`;

export function stationCollection(filter: { kinds?: readonly StationKind[]; town?: string }): Sql {
  const where = new Where();
  if (filter.kinds && filter.kinds.length > 0) where.add(`s.kind = ANY(${where.param(filter.kinds)}::text[])`);
  if (filter.town) where.add(`s.town_code = ${where.param(filter.town)}`);
  return sql(
    `SELECT json_build_object('type', 'FeatureCollection',
              'features', coalesce(json_agg(${featureSql} ORDER BY s.id), '[]'::json))::text AS body
     FROM stations s JOIN admin_units t ON t.code = s.town_code ${where.toSql()}`,
    where.values,
  );
}

export function stationFeature(id: number): Sql {
  return sql(
    `SELECT ${featureSql}::text AS body FROM stations s JOIN admin_units t ON t.code = s.town_code WHERE s.id = $1`,
    [id],
  );
}
