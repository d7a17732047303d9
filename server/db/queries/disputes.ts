import type { Sql } from '../types.js';
import { applyDisputeFilter, type DisputeFilter, sql, Where } from './filters.js';

/** Sort keys offered to clients → SQL; identifiers only ever come from this allow-list. */
export const disputeSorts = {
  '-reportedAt': 'd.reported_at DESC, d.id DESC',
  reportedAt: 'd.reported_at ASC, d.id ASC',
  risk: `array_position(ARRAY['red','orange','yellow','blue'], d.risk_level), d.reported_at ASC, d.id ASC`,
} as const;
export type DisputeSort = keyof typeof disputeSorts;

// Properties shared by the JSON list and the GeoJSON layer. No summary text and no parties here: lists and
// map layers are shared widely; the summary is in the detail only.
const propertiesSql = `json_build_object(
    'id', d.id, 'caseNo', d.case_no, 'category', d.category, 'riskLevel', d.risk_level, 'status', d.status,
    'channel', d.mediation_channel, 'resolutionLevel', d.resolution_level,
    'reportedAt', to_char(d.reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
    'acceptedAt', to_char(d.accepted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
    'resolvedAt', to_char(d.resolved_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
    'townCode', d.town_code, 'townName', t.name, 'villageCode', d.village_code, 'villageName', v.name,
    'stationId', d.station_id,
    'ageDays', CASE WHEN d.status IN ('reported', 'accepted', 'mediating')
                    THEN floor(extract(epoch FROM app_now() - d.reported_at) / 86400)::int END,
    'daysToResolve', CASE WHEN d.resolved_at IS NOT NULL
                    THEN round((extract(epoch FROM d.resolved_at - d.reported_at) / 86400)::numeric, 1) END)`;

const fromSql = `FROM disputes d
     JOIN admin_units t ON t.code = d.town_code
     LEFT JOIN admin_units v ON v.code = d.village_code`;

export interface Page {
  limit: number;
  offset: number;
  sort: DisputeSort;
}

export function disputeCount(filter: DisputeFilter): Sql {
  const where = applyDisputeFilter(new Where(), filter);
  return sql(`SELECT count(*)::int AS total FROM disputes d ${where.toSql()}`, where.values);
}

export function disputeList(filter: DisputeFilter, page: Page): Sql {
  const where = applyDisputeFilter(new Where(), filter);
  const limit = where.param(page.limit);
  const offset = where.param(page.offset);
  return sql(
    `SELECT (${propertiesSql}::jsonb || jsonb_build_object('lon', round(ST_X(d.geom)::numeric, 6),
                                                          'lat', round(ST_Y(d.geom)::numeric, 6)))::text AS item
     ${fromSql} ${where.toSql()}
     ORDER BY ${disputeSorts[page.sort]} LIMIT ${limit} OFFSET ${offset}`,
    where.values,
  );
}

export function disputeFeatureCollection(filter: DisputeFilter, page: Page): Sql {
  const where = applyDisputeFilter(new Where(), filter);
  const limit = where.param(page.limit);
  const offset = where.param(page.offset);
  return sql(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f.feature), '[]'::json))::text
              AS body
     FROM (
       SELECT json_build_object('type', 'Feature', 'id', d.id, 'geometry', ST_AsGeoJSON(d.geom, 6)::json,
                                'properties', ${propertiesSql}) AS feature
       ${fromSql} ${where.toSql()}
       ORDER BY ${disputeSorts[page.sort]} LIMIT ${limit} OFFSET ${offset}
     ) f`,
    where.values,
  );
}

export function disputeDetail(id: number): Sql {
  return sql(
    `SELECT (${propertiesSql}::jsonb || jsonb_build_object('lon', round(ST_X(d.geom)::numeric, 6),
              'lat', round(ST_Y(d.geom)::numeric, 6), 'summary', d.summary,
              'locationMismatch', d.location_mismatch, 'version', d.version,
              'stationName', s.name))::text AS item
     ${fromSql} LEFT JOIN stations s ON s.id = d.station_id
     WHERE d.id = $1`,
    [id],
  );
}
