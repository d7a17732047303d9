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
      'hostStationId', s.host_station_id, 'staffedById', s.staffed_by_id,
      -- Derived, not stored: a point outside its registered town (allowed, e.g. a room across a town line) is
      -- flagged, and the flag can never go stale after a move or a boundary update.
      'locationMismatch', NOT ST_Intersects(t.geom, s.geom)))`;

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

/** Where a point lies: inside the county at all, and which town polygon holds it (null outside every town). */
export function locatePoint(lon: number, lat: number): Sql {
  return sql(
    `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS geom)
     SELECT EXISTS (SELECT 1 FROM admin_units c, p WHERE c.level = 'county' AND ST_Intersects(c.geom, p.geom)) AS in_county,
            (SELECT t.code FROM admin_units t, p WHERE t.level = 'town' AND ST_Intersects(t.geom, p.geom)
             ORDER BY t.code LIMIT 1) AS town_code`,
    [lon, lat],
  );
}

/** The fields a station is written with, already validated by the route. */
export interface StationWrite {
  kind: StationKind;
  name: string;
  townCode: string;
  lon: number;
  lat: number;
  staffCount: number;
  openedOn: string | null;
  hostStationId: number | null;
  staffedById: number | null;
}

/** The stored fields of one station, in the shape `StationWrite` takes (for merging a partial edit). */
export function stationRow(id: number): Sql {
  return sql(
    `SELECT kind, name, town_code AS "townCode", ST_X(geom) AS lon, ST_Y(geom) AS lat, staff_count AS "staffCount",
            to_char(opened_on, 'YYYY-MM-DD') AS "openedOn", host_station_id AS "hostStationId",
            staffed_by_id AS "staffedById"
     FROM stations WHERE id = $1`,
    [id],
  );
}

/** Kinds of the given station ids (for checking a room's host and staffing office). */
export function stationKindsOf(ids: readonly number[]): Sql {
  return sql(`SELECT id, kind FROM stations WHERE id = ANY($1::int[])`, [ids]);
}

const writeValues = (s: StationWrite) => [
  s.kind,
  s.name,
  s.townCode,
  s.lon,
  s.lat,
  s.staffCount,
  s.openedOn,
  s.hostStationId,
  s.staffedById,
];

export function insertStation(s: StationWrite): Sql {
  return sql(
    `INSERT INTO stations (kind, name, town_code, geom, staff_count, opened_on, host_station_id, staffed_by_id)
     VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7::date, $8, $9)
     RETURNING id`,
    writeValues(s),
  );
}

export function updateStation(id: number, s: StationWrite): Sql {
  return sql(
    `UPDATE stations SET kind = $1, name = $2, town_code = $3, geom = ST_SetSRID(ST_MakePoint($4, $5), 4326),
            staff_count = $6, opened_on = $7::date, host_station_id = $8, staffed_by_id = $9, updated_at = now()
     WHERE id = $10 RETURNING id`,
    [...writeValues(s), id],
  );
}

/** What still points at a station (cases, case history, rooms it hosts or staffs): it cannot be deleted then. */
export function stationReferences(id: number): Sql {
  return sql(
    `SELECT (SELECT count(*)::int FROM disputes WHERE station_id = $1)
          + (SELECT count(*)::int FROM case_events WHERE station_id = $1 OR to_station_id = $1) AS cases,
            (SELECT count(*)::int FROM stations WHERE host_station_id = $1 OR staffed_by_id = $1) AS stations`,
    [id],
  );
}

export function deleteStation(id: number): Sql {
  return sql(`DELETE FROM stations WHERE id = $1 RETURNING id`, [id]);
}
