import { warningRuleCodes } from '../../contract/vocabulary.js';
import type { WarningDraft } from '../../domain/warnings/evaluate.js';
import type { RuleCode } from '../../domain/warnings/rules.js';
import type { Sql } from '../types.js';
import { REPEAT_COUNTS_OF_OPEN, REPEAT_IDS } from './cases.js';
import { sql, Where } from './filters.js';
import { ZERO_REPORT_NEAR_METRES } from './screenings.js';

/**
 * SQL of the early warnings (issue 16). Each rule gathers its facts in ONE statement over the whole county (or,
 * after a case write, around that one case: `disputeId`), never a query per case; the pure rules of
 * domain/warnings/evaluate.ts decide what fires; one statement inserts every warning, ON CONFLICT DO NOTHING on
 * (rule, subject, period), which is what makes re-evaluation and concurrent evaluators raise each warning once.
 * Times are app_now() (pinned for the demo).
 */

const OPEN = `('reported', 'accepted', 'mediating')`;
const LOCAL = (col: string) => `to_char((${col}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`;

/** The columns of CaseFacts for a disputes row aliased d. */
const CASE_FACTS = `d.id::int AS id, d.case_no AS "caseNo", d.risk_level AS "riskLevel", d.town_code AS "townCode",
  d.village_code AS "villageCode", d.station_id AS "stationId", ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat`;

export function warningRules(): Sql {
  return sql(
    `SELECT code, enabled, thresholds, version, ${LOCAL('updated_at')} AS "updatedAt", updated_by AS "updatedBy"
     FROM warning_rules ORDER BY array_position($1::text[], code)`,
    [warningRuleCodes],
  );
}

export function ruleThresholds(code: RuleCode): Sql {
  return sql('SELECT thresholds FROM warning_rules WHERE code = $1', [code]);
}

export function lockRule(code: RuleCode): Sql {
  return sql('SELECT code, enabled, thresholds, version FROM warning_rules WHERE code = $1 FOR UPDATE', [code]);
}

export function updateRule(code: RuleCode, thresholds: Record<string, number>, enabled: boolean, actor: string): Sql {
  return sql(
    `UPDATE warning_rules SET thresholds = $2::jsonb, enabled = $3, updated_by = $4, updated_at = now(),
       version = version + 1
     WHERE code = $1`,
    [code, JSON.stringify(thresholds), enabled, actor],
  );
}

/** "Now" of the database (the demo's pinned day), for the periods. */
export function evaluationNow(): Sql {
  return sql(`SELECT app_now() AS now`, []);
}

export function caseStation(disputeId: number): Sql {
  return sql(`SELECT station_id AS "stationId" FROM disputes WHERE id = $1`, [disputeId]);
}

// (1) ----------------------------------------------------------------------------------------------------------

/** Red and orange cases still reported after the smaller of the two limits (the domain applies each). */
export function waitingCases(minHours: number, disputeId: number | null): Sql {
  return sql(
    `SELECT ${CASE_FACTS}, extract(epoch FROM app_now() - d.reported_at)::float8 / 3600 AS "hoursWaiting"
     FROM disputes d
     WHERE d.status = 'reported' AND d.risk_level IN ('red', 'orange')
       AND d.reported_at <= app_now() - make_interval(hours => $1::int)
       ${disputeId === null ? '' : 'AND d.id = $2'}`,
    disputeId === null ? [minHours] : [minHours, disputeId],
  );
}

// (2) ----------------------------------------------------------------------------------------------------------

/**
 * Parties (keyed hash of the ID number, and of the phone) in at least `minCases` cases reported in the window,
 * each with its cases. After a write: only the parties of that case.
 */
export function partyGroups(windowDays: number, minCases: number, disputeId: number | null): Sql {
  const only = (col: string) =>
    disputeId === null ? '' : `AND p.${col} IN (SELECT o.${col} FROM dispute_parties o WHERE o.dispute_id = $3)`;
  return sql(
    `WITH recent AS (
       SELECT d.id FROM disputes d
       WHERE d.reported_at > app_now() - make_interval(days => $1::int) AND d.reported_at <= app_now()
     ), keyed AS (
       SELECT 'id' AS kind, p.id_number_hash AS hash, p.dispute_id
       FROM dispute_parties p JOIN recent r ON r.id = p.dispute_id
       WHERE p.id_number_hash IS NOT NULL ${only('id_number_hash')}
       UNION
       SELECT 'phone', p.phone_hash, p.dispute_id
       FROM dispute_parties p JOIN recent r ON r.id = p.dispute_id
       WHERE p.phone_hash IS NOT NULL ${only('phone_hash')}
     ), groups AS (
       SELECT kind, hash FROM keyed GROUP BY kind, hash HAVING count(*) >= $2::int
     )
     SELECT g.kind, g.hash,
            json_agg(json_build_object('id', d.id, 'caseNo', d.case_no, 'riskLevel', d.risk_level,
              'townCode', d.town_code, 'villageCode', d.village_code, 'stationId', d.station_id,
              'lon', ST_X(d.geom), 'lat', ST_Y(d.geom), 'reportedAt', ${LOCAL('d.reported_at')})
              ORDER BY d.reported_at, d.id) AS cases
     FROM groups g JOIN keyed k ON k.kind = g.kind AND k.hash = g.hash JOIN disputes d ON d.id = k.dispute_id
     GROUP BY g.kind, g.hash ORDER BY g.kind, g.hash`,
    disputeId === null ? [windowDays, minCases] : [windowDays, minCases, disputeId],
  );
}

// (3) ----------------------------------------------------------------------------------------------------------

/** Open cases with the escalation score's inputs (as the case page computes them) and last week's lowest score. */
export function openCasesForEscalation(day: string, disputeId: number | null): Sql {
  // One case: its lookups; the county: every open case's count in one set (REPEAT_COUNTS_OF_OPEN).
  const one = disputeId !== null;
  return sql(
    `SELECT ${CASE_FACTS}, d.category, d.threat, d.injury,
            floor(extract(epoch FROM app_now() - d.reported_at) / 86400)::int AS "daysOpen",
            ${one ? `cardinality(${REPEAT_IDS('d')})` : 'coalesce(r.n, 0)'} AS "repeatCount",
            (SELECT min(s.score) FROM warning_escalation_scores s
             WHERE s.dispute_id = d.id AND s.on_day >= $1::date - 7 AND s.on_day < $1::date) AS "lowestLastWeek"
     FROM disputes d ${one ? '' : `LEFT JOIN ${REPEAT_COUNTS_OF_OPEN(OPEN)} r ON r.id = d.id`}
     WHERE d.status IN ${OPEN} ${one ? 'AND d.id = $2' : ''}
     ORDER BY d.id`,
    one ? [day, disputeId] : [day],
  );
}

/** Today's escalation scores; the first evaluation of the day keeps its own (rows in id order: no deadlock). */
export function keepScores(day: string, ids: readonly number[], scores: readonly number[]): Sql {
  return sql(
    `INSERT INTO warning_escalation_scores (dispute_id, on_day, score)
     SELECT x.id, $1::date, x.score FROM unnest($2::bigint[], $3::int[]) AS x(id, score) ORDER BY x.id
     ON CONFLICT (dispute_id, on_day) DO NOTHING`,
    [day, ids, scores],
  );
}

// (4) ----------------------------------------------------------------------------------------------------------

/** The town holding each point (cell centres), in input order. */
export function townsAt(lons: readonly number[], lats: readonly number[]): Sql {
  return sql(
    `SELECT x.i::int AS i,
            (SELECT t.code FROM admin_units t
             WHERE t.level = 'town' AND ST_Covers(t.geom, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326))
             ORDER BY t.code LIMIT 1) AS "townCode"
     FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS x(lon, lat, i) ORDER BY x.i`,
    [lons, lats],
  );
}

// (5) ----------------------------------------------------------------------------------------------------------

/**
 * Villages overdue in the current round of each kind (the latest started on or before `day`) once it is past
 * due: no report with risks and no zero report on the spot, by the same definition as the rounds page
 * (queries/screenings.ts): reports tied to the round, or untied and dated within it.
 */
export function overdueVillages(day: string): Sql {
  return sql(
    `WITH current AS (
       SELECT DISTINCT ON (kind) * FROM screening_rounds WHERE starts_on <= $1::date
       ORDER BY kind, starts_on DESC, id DESC
     ), due AS (
       SELECT * FROM current WHERE due_on < $1::date
     ), scope AS (
       SELECT r.id AS round_id, v.code, v.parent_code AS town_code, v.geom, v.label_point
       FROM due r JOIN admin_units v
         ON v.level = 'village' AND (r.town_codes IS NULL OR v.parent_code = ANY (r.town_codes))
     ), reported AS (
       SELECT DISTINCT sc.round_id, sc.code
       FROM scope sc JOIN due r ON r.id = sc.round_id
       JOIN visible_screenings s ON s.village_code = sc.code AND s.screened_on <= $1::date
         AND (s.round_id = r.id OR (s.round_id IS NULL AND s.screened_on BETWEEN r.starts_on AND r.due_on))
       WHERE EXISTS (SELECT 1 FROM screening_items i WHERE i.screening_id = s.id)
          OR (s.zero_report AND s.geom IS NOT NULL
              AND ST_DWithin(s.geom::geography, sc.geom::geography, ${ZERO_REPORT_NEAR_METRES}))
     )
     SELECT r.id::int AS "roundId", r.name AS "roundName", r.due_on::text AS "dueOn",
            ($1::date - r.due_on)::int AS "daysOverdue", sc.code AS "villageCode", sc.town_code AS "townCode",
            ST_X(sc.label_point) AS lon, ST_Y(sc.label_point) AS lat
     FROM scope sc JOIN due r ON r.id = sc.round_id
     WHERE NOT EXISTS (SELECT 1 FROM reported x WHERE x.round_id = sc.round_id AND x.code = sc.code)
     ORDER BY r.id, sc.code`,
    [day],
  );
}

// (6) ----------------------------------------------------------------------------------------------------------

/**
 * Joint mediation rooms with their open cases and mediators. Mediators are the station's staff count until the
 * mediator register (issue 18) lands. Open cases come from the partial open-cases index, grouped once.
 */
export function roomLoads(stationId: number | null): Sql {
  return sql(
    `WITH open AS (
       SELECT station_id, count(*)::int AS n FROM disputes WHERE status IN ${OPEN} AND station_id IS NOT NULL
       ${stationId === null ? '' : 'AND station_id = $1'}
       GROUP BY station_id
     )
     SELECT s.id AS "stationId", s.name, s.town_code AS "townCode",
            -- The register's active mediators serving the room, as the coverage view counts them.
            (SELECT count(*)::int FROM mediators m WHERE m.station_id = s.id AND m.active) AS mediators,
            coalesce(o.n, 0) AS open, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
     FROM stations s LEFT JOIN open o ON o.station_id = s.id
     WHERE s.kind = 'joint_mediation_room' ${stationId === null ? '' : 'AND s.id = $1'}
     ORDER BY s.id`,
    stationId === null ? [] : [stationId],
  );
}

// (7) ----------------------------------------------------------------------------------------------------------

/** Cases reopened from a resolved one within `withinDays` of its resolution. */
export function reopenedCases(withinDays: number, disputeId: number | null): Sql {
  return sql(
    `SELECT ${CASE_FACTS}, o.id::int AS "fromId", o.case_no AS "fromCaseNo",
            extract(epoch FROM d.reported_at - o.resolved_at)::float8 / 86400 AS "daysAfterResolution"
     FROM disputes d JOIN disputes o ON o.id = d.reopened_from_id
     WHERE d.reopened_from_id IS NOT NULL AND o.resolved_at IS NOT NULL
       AND d.reported_at <= o.resolved_at + make_interval(days => $1::int)
       ${disputeId === null ? '' : 'AND d.id = $2'}`,
    disputeId === null ? [withinDays] : [withinDays, disputeId],
  );
}

// Raising -----------------------------------------------------------------------------------------------------

/**
 * Inserts the drafts in key order (two concurrent evaluators then wait on each other instead of deadlocking);
 * returns only the warnings this statement raised.
 */
export function raiseWarnings(drafts: readonly WarningDraft[]): Sql {
  const rows = drafts.map((d) => ({
    rule: d.rule,
    subject_key: d.subjectKey,
    period: d.period,
    level: d.level,
    town_code: d.townCode,
    village_code: d.villageCode,
    station_id: d.stationId,
    dispute_id: d.disputeId,
    lon: d.lon,
    lat: d.lat,
    evidence: d.evidence,
  }));
  return sql(
    `INSERT INTO warnings (rule_code, subject_key, period, level, town_code, village_code, station_id, dispute_id,
                           geom, evidence, raised_at)
     SELECT r.rule, r.subject_key, r.period, r.level, r.town_code, r.village_code, r.station_id, r.dispute_id,
            CASE WHEN r.lon IS NULL OR r.lat IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326) END,
            r.evidence, app_now()
     FROM json_to_recordset($1::json) AS r(rule text, subject_key text, period text, level text, town_code text,
            village_code text, station_id int, dispute_id bigint, lon float8, lat float8, evidence jsonb)
     ORDER BY r.rule, r.subject_key, r.period
     ON CONFLICT (rule_code, subject_key, period) DO NOTHING
     RETURNING id::int AS id, rule_code AS rule, level, town_code AS "townCode", village_code AS "villageCode",
               station_id AS "stationId", dispute_id::int AS "disputeId"`,
    [JSON.stringify(rows)],
  );
}

// Reading and acting -----------------------------------------------------------------------------------------

/** Whose warnings a caller sees: towns (null = county; county-wide warnings need it) and their own station. */
export interface WarningScope {
  towns: readonly string[] | null;
  stationId: number | null;
}

export interface WarningFilter {
  rules?: readonly RuleCode[] | undefined;
  statuses?: readonly string[] | undefined;
  town?: string | undefined;
  village?: string | undefined;
  period?: string | undefined;
  categories?: readonly string[] | undefined;
  /** Raised on or after / on or before, days in China time. */
  from?: string | undefined;
  to?: string | undefined;
  bbox?: readonly [number, number, number, number] | undefined;
  id?: number | undefined;
}

const ITEM = `json_build_object(
    'id', w.id, 'rule', w.rule_code, 'status', w.status, 'level', w.level, 'period', w.period,
    'townCode', w.town_code, 'townName', t.name, 'villageCode', w.village_code, 'villageName', v.name,
    'stationId', w.station_id, 'stationName', s.name, 'disputeId', w.dispute_id, 'caseNo', d.case_no,
    'category', d.category,
    'lon', round(ST_X(w.geom)::numeric, 6), 'lat', round(ST_Y(w.geom)::numeric, 6),
    'evidence', w.evidence, 'dismissReason', w.dismiss_reason, 'taskId', w.task_id,
    'raisedAt', ${LOCAL('w.raised_at')}, 'updatedAt', ${LOCAL('w.updated_at')}, 'updatedBy', w.updated_by,
    'version', w.version)`;

const FROM = `FROM warnings w
  LEFT JOIN admin_units t ON t.code = w.town_code
  LEFT JOIN admin_units v ON v.code = w.village_code
  LEFT JOIN stations s ON s.id = w.station_id
  LEFT JOIN disputes d ON d.id = w.dispute_id`;

function where(f: WarningFilter, scope: WarningScope): Where {
  const w = new Where();
  if (scope.towns !== null) {
    const towns = w.param(scope.towns);
    w.add(
      scope.stationId === null
        ? `w.town_code = ANY(${towns}::text[])`
        : `(w.town_code = ANY(${towns}::text[]) OR w.station_id = ${w.param(scope.stationId)} OR d.station_id = ${w.param(scope.stationId)})`,
    );
  }
  if (f.id !== undefined) w.add(`w.id = ${w.param(f.id)}`);
  if (f.rules?.length) w.add(`w.rule_code = ANY(${w.param(f.rules)}::text[])`);
  if (f.statuses?.length) w.add(`w.status = ANY(${w.param(f.statuses)}::text[])`);
  if (f.town) w.add(`w.town_code = ${w.param(f.town)}`);
  if (f.village) w.add(`w.village_code = ${w.param(f.village)}`);
  if (f.period) w.add(`w.period = ${w.param(f.period)}`);
  // The dashboard's category filter narrows case warnings; warnings about a place or a room are kept.
  if (f.categories?.length) w.add(`(d.id IS NULL OR d.category = ANY(${w.param(f.categories)}::text[]))`);
  if (f.from) w.add(`w.raised_at >= (${w.param(f.from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.to) w.add(`w.raised_at < ((${w.param(f.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.bbox) {
    const [a, b, c, e] = f.bbox;
    w.add(`ST_Intersects(w.geom, ST_MakeEnvelope(${w.param(a)}, ${w.param(b)}, ${w.param(c)}, ${w.param(e)}, 4326))`);
  }
  return w;
}

export function warningPage(f: WarningFilter, scope: WarningScope, limit: number, offset: number): Sql {
  const w = where(f, scope);
  return sql(
    `SELECT ${ITEM} AS item ${FROM} ${w.toSql()}
     ORDER BY w.raised_at DESC, array_position(ARRAY['county', 'town'], w.level), w.id DESC
     LIMIT ${w.param(limit)} OFFSET ${w.param(offset)}`,
    w.values,
  );
}

/** Totals of the filtered warnings, by rule and by status (the overview's chips). */
export function warningCounts(f: WarningFilter, scope: WarningScope): Sql {
  const w = where(f, scope);
  return sql(
    `SELECT w.rule_code AS rule, w.status, count(*)::int AS n ${FROM} ${w.toSql()} GROUP BY 1, 2 ORDER BY 1, 2`,
    w.values,
  );
}

/** Every filtered warning with a place, as GeoJSON points (the map's warnings layer). */
export function warningFeatures(f: WarningFilter, scope: WarningScope, limit: number): Sql {
  const w = where(f, scope);
  w.add('w.geom IS NOT NULL');
  return sql(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
       'type', 'Feature', 'id', x.id, 'geometry', ST_AsGeoJSON(x.geom, 6)::json,
       'properties', json_build_object('id', x.id, 'rule', x.rule_code, 'status', x.status, 'level', x.level,
         'townCode', x.town_code, 'villageCode', x.village_code, 'stationId', x.station_id,
         'disputeId', x.dispute_id, 'caseNo', x.case_no, 'raisedAt', ${LOCAL('x.raised_at')}))), '[]'::json))::text
       AS body
     FROM (SELECT w.*, d.case_no ${FROM} ${w.toSql()}
           ORDER BY w.raised_at DESC, w.id DESC LIMIT ${w.param(limit)}) x`,
    w.values,
  );
}

export function lockWarning(id: number): Sql {
  return sql(
    `SELECT w.id, w.status, w.version, w.town_code, w.station_id, d.station_id AS case_station_id,
       w.dispute_id, w.village_code, w.task_id, ST_X(w.geom) AS lon, ST_Y(w.geom) AS lat
     FROM warnings w LEFT JOIN disputes d ON d.id = w.dispute_id WHERE w.id = $1 FOR UPDATE OF w`,
    [id],
  );
}

export function setWarningStatus(
  id: number,
  status: 'acknowledged' | 'dismissed' | 'tasked',
  reason: string | null,
  actor: string,
  taskId: number | null = null,
): Sql {
  return sql(
    `UPDATE warnings SET status = $2, dismiss_reason = $3, updated_by = $4, task_id = coalesce($5, task_id),
       updated_at = now(), version = version + 1
     WHERE id = $1`,
    [id, status, reason, actor, taskId],
  );
}

// The benchmark's data (server/bench/warnings.ts) ----------------------------------------------------------------

export const bench = {
  parties: (): Sql => sql('SELECT count(*)::int AS n FROM dispute_parties', []),
  /** Two parties per case of the last 180 days, keyed hashes drawn from a pool a third of their count. */
  addParties: (): Sql =>
    sql(
      `INSERT INTO dispute_parties (dispute_id, role, name_enc, phone_hash, id_number_hash)
       SELECT d.id, x.role, 'pd1:00000000:bench',
              md5('phone' || ((d.id * 7919 + x.k) % greatest(1, c.n / 3))),
              md5('id' || ((d.id * 104729 + x.k) % greatest(1, c.n / 3)))
       FROM disputes d
       CROSS JOIN (SELECT count(*) AS n FROM disputes WHERE reported_at > app_now() - interval '180 days') c
       CROSS JOIN (VALUES (1, 'applicant'), (2, 'respondent')) AS x(k, role)
       WHERE d.reported_at > app_now() - interval '180 days'`,
      [],
    ),
  /** Open cases of each town with a joint mediation room go to that room. */
  roomCases: (): Sql =>
    sql(
      `UPDATE disputes d SET station_id = s.id FROM stations s
       WHERE s.kind = 'joint_mediation_room' AND s.town_code = d.town_code AND d.status IN ${OPEN}`,
      [],
    ),
  clear: (): Sql => sql('TRUNCATE warnings, warning_escalation_scores', []),
  openCases: (): Sql => sql(`SELECT count(*)::int AS n FROM disputes WHERE status IN ${OPEN}`, []),
};

/**
 * Where each register warning is drawn (RegisterPlace): an active mediator at their station, else a point inside
 * their village, else inside their town; a joint mediation room at its station.
 */
export function registerPlaces(): Sql {
  return sql(
    `SELECT 'mediator' AS subject, m.id::int AS id, m.station_id AS "stationId", m.village_code AS "villageCode",
       ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
     FROM mediators m
       LEFT JOIN stations s ON s.id = m.station_id
       LEFT JOIN admin_units v ON v.code = m.village_code
       JOIN admin_units t ON t.code = m.town_code
       CROSS JOIN LATERAL (SELECT coalesce(s.geom, ST_PointOnSurface(v.geom), ST_PointOnSurface(t.geom)) AS geom) p
     WHERE m.active
     UNION ALL
     SELECT 'station', r.id, r.id, NULL, ST_X(r.geom), ST_Y(r.geom)
     FROM stations r WHERE r.kind = 'joint_mediation_room'`,
    [],
  );
}
