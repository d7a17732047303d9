import type { Sql } from '../types.js';
import { REPEAT_WINDOW } from './cases.js';
import { sql } from './filters.js';
import { ZERO_REPORT_NEAR_METRES } from './screenings.js';

/**
 * SQL of the assessment (issue 17): the counts every indicator is computed from (server/domain/assessment),
 * per town, joint mediation room or station, for the cases reported in a period of China-time days; and the
 * versioned standards.
 */
export type AssessmentBy = 'town' | 'room' | 'station';
export const assessmentBys: readonly AssessmentBy[] = ['town', 'room', 'station'];

const OPEN = `('reported', 'accepted', 'mediating')`;
const DAYS = (a: string, b: string) => `(extract(epoch FROM ${b} - ${a}) / 86400)`;

/** The units of a kind (key, name, town), limited to the towns whose code starts with `prefix` when given. */
function unitsSql(by: AssessmentBy, prefix: string): string {
  if (by === 'town') {
    return `SELECT u.code::text AS key, u.name, u.code AS town_code, NULL::text AS kind
            FROM admin_units u WHERE u.level = 'town' AND u.code LIKE ${prefix} || '%'`;
  }
  const kinds =
    by === 'room' ? `('joint_mediation_room')` : `('police_station', 'judicial_office', 'joint_mediation_room')`;
  return `SELECT s.id::text AS key, s.name, s.town_code, s.kind
          FROM stations s WHERE s.kind IN ${kinds} AND s.town_code LIKE ${prefix} || '%'`;
}

/**
 * Per unit, for the cases reported from `from` to `to` (inclusive days) in towns under `prefix` ('' = all): found,
 * accepted, resolved, failed, referred, resolved at village / town level, overdue (handled — to closing, or to
 * app_now() while open — for more whole days than the category's limit), summed days to accept and to resolve,
 * repeats (a party — by the keyed hash of their ID number or phone — was in another case in the 180 days before;
 * the register's wider rule, same category within 300 m, flags most village cases and cannot tell units apart), resolved
 * cases reopened later; and the villages due and reporting (risks, or a zero report within 1 km, by the due
 * date) in the screening rounds due in the period, by town (a station counts its town's villages).
 */
export function assessmentCounts(by: AssessmentBy, from: string, to: string, prefix = ''): Sql {
  const unitKey = by === 'town' ? 'd.town_code' : 'd.station_id::text';
  return sql(
    `WITH p AS MATERIALIZED (
       SELECT ($1::date::timestamp AT TIME ZONE 'Asia/Shanghai') AS t0,
              (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS t1, app_now() AS now
     ),
     cases AS MATERIALIZED (
       SELECT d.id, d.category, d.status, d.geom, d.reported_at, d.accepted_at, d.resolved_at, d.resolution_level,
              ${unitKey} AS unit_key,
              CASE WHEN d.status IN ${OPEN} THEN p.now
                   WHEN d.status = 'resolved' THEN d.resolved_at ELSE d.state_entered_at END AS handled_until,
              coalesce(l.days, 30) AS limit_days
       FROM disputes d CROSS JOIN p LEFT JOIN overdue_limits l ON l.category = d.category
       WHERE d.reported_at >= p.t0 AND d.reported_at < p.t1 AND d.town_code LIKE $3 || '%'
     ),
     c AS (
       SELECT x.unit_key AS key,
              count(*)::int AS found,
              count(x.accepted_at)::int AS accepted,
              count(*) FILTER (WHERE x.status = 'resolved')::int AS resolved,
              count(*) FILTER (WHERE x.status = 'failed')::int AS failed,
              count(*) FILTER (WHERE x.status = 'referred')::int AS referred,
              count(*) FILTER (WHERE x.status = 'resolved' AND x.resolution_level = 'village')::int AS at_village,
              count(*) FILTER (WHERE x.status = 'resolved' AND x.resolution_level = 'town')::int AS at_town,
              count(*) FILTER (WHERE floor(${DAYS('x.reported_at', 'x.handled_until')}) > x.limit_days)::int AS overdue,
              coalesce(sum(${DAYS('x.reported_at', 'x.accepted_at')}), 0)::float8 AS accept_days,
              coalesce(sum(${DAYS('x.reported_at', 'x.resolved_at')}) FILTER (WHERE x.status = 'resolved'), 0)::float8
                AS resolve_days,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM dispute_parties pa
                JOIN dispute_parties pb ON pb.id_number_hash = pa.id_number_hash AND pb.dispute_id <> pa.dispute_id
                JOIN disputes o ON o.id = pb.dispute_id AND (o.reported_at, o.id) < (x.reported_at, x.id)
                  AND o.reported_at >= x.reported_at - interval '${REPEAT_WINDOW.days} days'
                WHERE pa.dispute_id = x.id
              ) OR EXISTS (
                SELECT 1 FROM dispute_parties pa
                JOIN dispute_parties pb ON pb.phone_hash = pa.phone_hash AND pb.dispute_id <> pa.dispute_id
                JOIN disputes o ON o.id = pb.dispute_id AND (o.reported_at, o.id) < (x.reported_at, x.id)
                  AND o.reported_at >= x.reported_at - interval '${REPEAT_WINDOW.days} days'
                WHERE pa.dispute_id = x.id
              ))::int AS repeats,
              count(*) FILTER (WHERE x.status = 'resolved'
                AND EXISTS (SELECT 1 FROM disputes r WHERE r.reopened_from_id = x.id))::int AS reopened
       FROM cases x GROUP BY 1
     ),
     due AS (
       SELECT r.id, r.starts_on, r.due_on, v.code AS village_code, v.parent_code AS town_code, v.geom
       FROM screening_rounds r
       JOIN admin_units v ON v.level = 'village' AND (r.town_codes IS NULL OR v.parent_code = ANY (r.town_codes))
       WHERE r.due_on BETWEEN $1::date AND $2::date AND v.parent_code LIKE $3 || '%'
     ),
     sc AS (
       SELECT due.town_code, count(*)::int AS expected,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM visible_screenings s
                WHERE s.village_code = due.village_code AND s.screened_on <= due.due_on
                  AND (s.round_id = due.id OR (s.round_id IS NULL AND s.screened_on BETWEEN due.starts_on AND due.due_on))
                  AND (EXISTS (SELECT 1 FROM screening_items i WHERE i.screening_id = s.id)
                       OR (s.zero_report AND s.geom IS NOT NULL
                           AND ST_DWithin(s.geom::geography, due.geom::geography, ${ZERO_REPORT_NEAR_METRES})))
              ))::int AS reported
       FROM due GROUP BY 1
     )
     SELECT u.key, u.name, u.town_code AS "townCode", t.name AS "townName", u.kind,
            coalesce(c.found, 0) AS found, coalesce(c.accepted, 0) AS accepted,
            coalesce(c.resolved, 0) AS resolved, coalesce(c.failed, 0) AS failed,
            coalesce(c.referred, 0) AS referred, coalesce(c.at_village, 0) AS "resolvedAtVillage",
            coalesce(c.at_town, 0) AS "resolvedAtTown", coalesce(c.overdue, 0) AS overdue,
            coalesce(c.accept_days, 0) AS "acceptDays", coalesce(c.resolve_days, 0) AS "resolveDays",
            coalesce(c.repeats, 0) AS repeats, coalesce(c.reopened, 0) AS reopened,
            coalesce(sc.expected, 0) AS "screeningExpected", coalesce(sc.reported, 0) AS "screeningReported"
     FROM (${unitsSql(by, '$3')}) u
     JOIN admin_units t ON t.code = u.town_code
     LEFT JOIN c ON c.key = u.key
     LEFT JOIN sc ON sc.town_code = u.town_code
     ORDER BY u.town_code, u.kind NULLS FIRST, u.name, u.key`,
    [from, to, prefix],
  );
}

export function listStandards(): Sql {
  return sql(
    `SELECT s.version, to_char(s.valid_from, 'YYYY-MM-DD') AS "validFrom", s.min_cases AS "minCases",
            s.created_by AS "createdBy", s.created_at AS "createdAt",
            coalesce((SELECT json_agg(json_build_object('key', i.key, 'weight', i.weight::float8, 'target', i.target,
                        'floor', i.floor) ORDER BY i.position)
                      FROM assessment_indicators i WHERE i.version = s.version), '[]'::json) AS indicators
     FROM assessment_standards s ORDER BY s.valid_from, s.version`,
    [],
  );
}

/** Takes the lock that serialises new versions (two administrators saving at once get versions n and n + 1). */
export function lockStandards(): Sql {
  return sql('LOCK TABLE assessment_standards IN SHARE ROW EXCLUSIVE MODE', []);
}

export function insertStandard(validFrom: string, minCases: number, createdBy: string): Sql {
  return sql(
    `INSERT INTO assessment_standards (version, valid_from, min_cases, created_by)
     SELECT coalesce(max(version), 0) + 1, $1::date, $2, $3 FROM assessment_standards
     RETURNING version`,
    [validFrom, minCases, createdBy],
  );
}

export function insertIndicators(
  version: number,
  indicators: readonly { key: string; weight: number; target: number; floor: number }[],
): Sql {
  return sql(
    `INSERT INTO assessment_indicators (version, position, key, weight, target, floor)
     SELECT $1, i.ord - 1, i.key, i.weight, i.target, i.floor
     FROM unnest($2::text[], $3::numeric[], $4::float8[], $5::float8[]) WITH ORDINALITY
          AS i(key, weight, target, floor, ord)`,
    [
      version,
      indicators.map((i) => i.key),
      indicators.map((i) => i.weight),
      indicators.map((i) => i.target),
      indicators.map((i) => i.floor),
    ],
  );
}

export function standardExistsFrom(validFrom: string): Sql {
  return sql('SELECT version FROM assessment_standards WHERE valid_from = $1::date', [validFrom]);
}

export function today(): Sql {
  return sql(`SELECT to_char(app_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day`, []);
}
