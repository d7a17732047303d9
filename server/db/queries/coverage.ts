/**
 * Coverage of joint mediation rooms by straight-line distance, measured on geography (metres on the WGS-84
 * spheroid, never degrees). Everything is computed on request from the stations table, so a station that is
 * created, moved or deleted changes the figures at once (there is no cache to invalidate).
 */
import type { Sql } from '../types.js';
import { sql } from './filters.js';

export type VillageBy = 'point' | 'polygon';
export type DemandScope = 'all' | 'open';

const OPEN = `('reported', 'accepted', 'mediating')`;

/**
 * A bounding-box margin in degrees that is never smaller than `metres` at the point's latitude (a degree of
 * latitude is ≥ 110,574 m; of longitude, that times cos(lat)), so `&&` can use the GiST index before the exact
 * geography test.
 */
const marginDeg = (geom: string, metres: string) =>
  `(${metres} / (110574.0 * cos(radians(least(greatest(abs(ST_YMin(${geom})), abs(ST_YMax(${geom}))) + 0.5, 89.0)))))`;

/** True when `geom` (a point or polygon, SRID 4326) lies within `metres` of some joint mediation room. */
const coveredSql = (geom: string, metres: string) =>
  `EXISTS (SELECT 1 FROM stations r WHERE r.kind = 'joint_mediation_room'
     AND r.geom && ST_Expand(${geom}, ${marginDeg(geom, metres)})
     AND ST_DWithin(${geom}::geography, r.geom::geography, ${metres}))`;

const villageGeom = (by: VillageBy) => (by === 'point' ? 'v.label_point' : 'v.geom');

const scopeSql = (scope: DemandScope, alias = 'd') => (scope === 'open' ? `${alias}.status IN ${OPEN}` : 'true');

/** Flags every village and dispute as covered or not; the CTEs the figures below are built from. */
function flagsCte(by: VillageBy): string {
  return `vf AS (
      SELECT v.code, v.name, v.parent_code AS town_code, v.area_km2, ${coveredSql(villageGeom(by), '$1')} AS covered
      FROM admin_units v WHERE v.level = 'village'),
    df AS (
      SELECT d.id, d.town_code, d.village_code, d.status IN ${OPEN} AS open, ${coveredSql('d.geom', '$1')} AS covered
      FROM disputes d)`;
}

/** County totals and one row per town: its police station, the room it hosts, who staffs it, the gaps. */
export function coverageTowns(metres: number, by: VillageBy): Sql {
  return sql(
    `WITH ${flagsCte(by)},
    ps AS (SELECT DISTINCT ON (town_code) id, name, town_code FROM stations
           WHERE kind = 'police_station' ORDER BY town_code, id),
    room AS (SELECT DISTINCT ON (host_station_id) id, name, host_station_id, staffed_by_id FROM stations
             WHERE kind = 'joint_mediation_room' AND host_station_id IS NOT NULL ORDER BY host_station_id, id),
    vt AS (SELECT town_code, count(*)::int AS villages, count(*) FILTER (WHERE NOT covered)::int AS uncovered
           FROM vf GROUP BY town_code),
    dt AS (SELECT town_code, count(*)::int AS disputes, count(*) FILTER (WHERE NOT covered)::int AS uncovered,
                  count(*) FILTER (WHERE open)::int AS open, count(*) FILTER (WHERE open AND NOT covered)::int AS open_uncovered
           FROM df GROUP BY town_code),
    towns AS (
      SELECT t.code, t.name, ps.id AS police_id, ps.name AS police_name, room.id AS room_id, room.name AS room_name,
             jo.id AS staffed_by_id, jo.name AS staffed_by_name,
             coalesce(vt.villages, 0) AS villages, coalesce(vt.uncovered, 0) AS villages_uncovered,
             coalesce(dt.disputes, 0) AS disputes, coalesce(dt.uncovered, 0) AS disputes_uncovered,
             coalesce(dt.open, 0) AS open, coalesce(dt.open_uncovered, 0) AS open_uncovered
      FROM admin_units t
      LEFT JOIN ps ON ps.town_code = t.code
      LEFT JOIN room ON room.host_station_id = ps.id
      LEFT JOIN stations jo ON jo.id = room.staffed_by_id
      LEFT JOIN vt ON vt.town_code = t.code
      LEFT JOIN dt ON dt.town_code = t.code
      WHERE t.level = 'town')
    SELECT json_build_object(
      'totals', (SELECT json_build_object(
          'rooms', (SELECT count(*)::int FROM stations WHERE kind = 'joint_mediation_room'),
          'towns', (SELECT count(*)::int FROM towns),
          'townsWithRoom', (SELECT count(*)::int FROM towns WHERE room_id IS NOT NULL),
          'villages', (SELECT sum(villages)::int FROM towns),
          'villagesCovered', (SELECT sum(villages - villages_uncovered)::int FROM towns),
          'disputes', (SELECT sum(disputes)::int FROM towns),
          'disputesCovered', (SELECT sum(disputes - disputes_uncovered)::int FROM towns),
          'openDisputes', (SELECT sum(open)::int FROM towns),
          'openDisputesCovered', (SELECT sum(open - open_uncovered)::int FROM towns))),
      'towns', (SELECT coalesce(json_agg(json_build_object(
          'code', code, 'name', name,
          'policeStation', CASE WHEN police_id IS NULL THEN NULL ELSE json_build_object('id', police_id, 'name', police_name) END,
          'room', CASE WHEN room_id IS NULL THEN NULL ELSE json_build_object('id', room_id, 'name', room_name) END,
          'staffedBy', CASE WHEN staffed_by_id IS NULL THEN NULL ELSE json_build_object('id', staffed_by_id, 'name', staffed_by_name) END,
          'villages', villages, 'villagesUncovered', villages_uncovered,
          'disputes', disputes, 'disputesUncovered', disputes_uncovered,
          'openDisputes', open, 'openDisputesUncovered', open_uncovered) ORDER BY code), '[]'::json) FROM towns)
    )::text AS body`,
    [metres],
  );
}

/**
 * Every joint mediation room with its workload (open cases it handles, per active mediator of the register serving
 * it — migration 260; the stations' staff count is the head count on paper and stays alongside), average days
 * from report to resolution of the cases it resolved, and what lies within its reach.
 */
export function coverageRooms(metres: number, by: VillageBy): Sql {
  return sql(
    `SELECT coalesce(json_agg(json_build_object(
        'id', r.id, 'name', r.name, 'kind', r.kind, 'townCode', r.town_code, 'townName', t.name,
        'lon', round(ST_X(r.geom)::numeric, 6), 'lat', round(ST_Y(r.geom)::numeric, 6),
        'staffCount', r.staff_count,
        'host', CASE WHEN h.id IS NULL THEN NULL ELSE json_build_object('id', h.id, 'name', h.name) END,
        'staffedBy', CASE WHEN j.id IS NULL THEN NULL ELSE json_build_object('id', j.id, 'name', j.name) END,
        'openCases', w.open_cases,
        'mediators', reg.mediators,
        'openCasesPerMediator', CASE WHEN reg.mediators > 0 THEN round(w.open_cases::numeric / reg.mediators, 2) END,
        'resolvedCases', w.resolved_cases,
        'avgDaysToResolution', round(w.avg_days::numeric, 1),
        'villagesInReach', reach.villages, 'disputesInReach', reach.disputes, 'openDisputesInReach', reach.open
      ) ORDER BY r.town_code, r.id), '[]'::json)::text AS body
     FROM stations r
     JOIN admin_units t ON t.code = r.town_code
     LEFT JOIN stations h ON h.id = r.host_station_id
     LEFT JOIN stations j ON j.id = r.staffed_by_id
     CROSS JOIN LATERAL (
       SELECT count(*) FILTER (WHERE d.status IN ${OPEN})::int AS open_cases,
              count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved_cases,
              avg(extract(epoch FROM d.resolved_at - d.reported_at) / 86400.0) FILTER (WHERE d.status = 'resolved') AS avg_days
       FROM disputes d WHERE d.station_id = r.id) w
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS mediators FROM mediators m WHERE m.station_id = r.id AND m.active) reg
     CROSS JOIN LATERAL (
       SELECT (SELECT count(*)::int FROM admin_units v WHERE v.level = 'village'
                 AND ST_DWithin(${villageGeom(by)}::geography, r.geom::geography, $1)) AS villages,
              count(*)::int AS disputes, count(*) FILTER (WHERE d.status IN ${OPEN})::int AS open
       FROM disputes d
       WHERE d.geom && ST_Expand(r.geom, ${marginDeg('r.geom', '$1')})
         AND ST_DWithin(d.geom::geography, r.geom::geography, $1)) reach
     WHERE r.kind = 'joint_mediation_room'`,
    [metres],
  );
}

/** Service areas: one disc per room (buffered on geography, so its radius is metres) and their union. */
export function coverageAreas(metres: number): Sql {
  return sql(
    `WITH rings AS (
       SELECT r.id, r.name, r.town_code, ST_Buffer(r.geom::geography, $1, 'quad_segs=16')::geometry AS geom
       FROM stations r WHERE r.kind = 'joint_mediation_room')
     SELECT json_build_object('type', 'FeatureCollection', 'features',
       (SELECT coalesce(json_agg(json_build_object('type', 'Feature', 'id', id,
          'geometry', ST_AsGeoJSON(geom, 6)::json,
          'properties', json_build_object('part', 'ring', 'stationId', id, 'name', name, 'townCode', town_code))
          ORDER BY id), '[]'::json) FROM rings)::jsonb
       || coalesce((SELECT jsonb_build_array(jsonb_build_object('type', 'Feature',
          'geometry', ST_AsGeoJSON(ST_Union(geom), 6)::jsonb,
          'properties', jsonb_build_object('part', 'union'))) FROM rings HAVING count(*) > 0), '[]'::jsonb)
     )::text AS body`,
    [metres],
  );
}

/** Villages as polygons, each flagged covered or not, with its disputes (in scope) and their density. */
export function coverageVillages(metres: number, by: VillageBy, scope: DemandScope): Sql {
  return sql(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', v.code,
       'geometry', ST_AsGeoJSON(v.geom, 5)::json,
       'properties', json_build_object('code', v.code, 'name', v.name, 'townCode', v.parent_code, 'townName', t.name,
         'covered', ${coveredSql(villageGeom(by), '$1')}, 'areaKm2', round(v.area_km2::numeric, 3),
         'disputes', coalesce(n.disputes, 0), 'openDisputes', coalesce(n.open, 0),
         'perKm2', round((coalesce(n.disputes, 0) / nullif(v.area_km2, 0))::numeric, 2)))
       ORDER BY v.code), '[]'::json))::text AS body
     FROM admin_units v
     JOIN admin_units t ON t.code = v.parent_code
     LEFT JOIN (SELECT village_code, count(*) FILTER (WHERE ${scopeSql(scope)})::int AS disputes,
                       count(*) FILTER (WHERE d.status IN ${OPEN})::int AS open
                FROM disputes d GROUP BY village_code) n ON n.village_code = v.code
     WHERE v.level = 'village'`,
    [metres],
  );
}

/** Disputes (in scope) outside every room's reach: the demand the gap finder tries to cover. */
export function uncoveredDisputes(metres: number, scope: DemandScope): Sql {
  return sql(
    `SELECT d.id::text AS id, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat FROM disputes d
     WHERE ${scopeSql(scope)} AND NOT ${coveredSql('d.geom', '$1')} ORDER BY d.id`,
    [metres],
  );
}

/**
 * Candidate sites for a new room: village centres (label points) and police stations that host no room yet.
 */
export function candidateSites(kinds: readonly ('village' | 'police_station')[]): Sql {
  return sql(
    `SELECT * FROM (
       SELECT 'village:' || v.code AS id, 'village' AS kind, v.code AS ref, v.name, v.parent_code AS town_code,
              t.name AS town_name, ST_X(v.label_point) AS lon, ST_Y(v.label_point) AS lat
       FROM admin_units v JOIN admin_units t ON t.code = v.parent_code
       WHERE v.level = 'village' AND 'village' = ANY($1::text[])
       UNION ALL
       SELECT 'station:' || s.id, 'police_station', s.id::text, s.name, s.town_code, t.name, ST_X(s.geom), ST_Y(s.geom)
       FROM stations s JOIN admin_units t ON t.code = s.town_code
       WHERE s.kind = 'police_station' AND 'police_station' = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM stations r WHERE r.kind = 'joint_mediation_room' AND r.host_station_id = s.id)
     ) c ORDER BY id`,
    [kinds],
  );
}

/**
 * Which demand points each site reaches, on geography: the PostGIS side of the straight-line service-area
 * method. Points travel as parallel arrays; a degree box prefilters before the exact spheroid distance.
 */
export function reachPairs(
  sites: { ids: string[]; lons: number[]; lats: number[] },
  demand: { ids: string[]; lons: number[]; lats: number[] },
  metres: number,
): Sql {
  return sql(
    `WITH s AS (SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom
                FROM unnest($1::text[], $2::float8[], $3::float8[]) AS u(id, lon, lat)),
          d AS (SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom
                FROM unnest($4::text[], $5::float8[], $6::float8[]) AS u(id, lon, lat))
     SELECT s.id, array_agg(d.id ORDER BY d.id) AS covers
     FROM s JOIN d ON d.geom && ST_Expand(s.geom, ${marginDeg('s.geom', '$7')})
                  AND ST_DWithin(s.geom::geography, d.geom::geography, $7)
     GROUP BY s.id`,
    [sites.ids, sites.lons, sites.lats, demand.ids, demand.lons, demand.lats, metres],
  );
}
