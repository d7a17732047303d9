import type { Sql } from '../types.js';
import { sql } from './filters.js';

/**
 * SQL of the leaders' briefing (专报, issue 17). A briefing covers one scope — a county or a town, named by its
 * code; its cases are those whose town code starts with it — and a period of China-time days (inclusive).
 * Figures of a period count the cases reported in it, with their state as of app_now().
 */
const OPEN = `('reported', 'accepted', 'mediating')`;
const T0 = (p: string) => `(${p}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const T1 = (p: string) => `((${p}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const AGE = `floor(extract(epoch FROM app_now() - d.reported_at) / 86400)::int`;

/** The scope's unit (county or town); without a code, the first county. Also whether the data is the demo's. */
export function briefingScope(code: string | null): Sql {
  return sql(
    `SELECT u.code, u.name, u.level,
            EXISTS (SELECT 1 FROM app_settings WHERE key = 'as_of') AS demo,
            to_char(app_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "asOf"
     FROM admin_units u
     WHERE CASE WHEN $1::text IS NULL THEN u.level = 'county' ELSE u.code = $1 AND u.level IN ('county', 'town') END
     ORDER BY u.code LIMIT 1`,
    [code],
  );
}

/** The KPI counts of a period: found, accepted, resolved, failed, referred, open, resolved at village / town. */
export function periodCounts(from: string, to: string, prefix: string): Sql {
  return sql(
    `SELECT count(*)::int AS found, count(d.accepted_at)::int AS accepted,
            count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved,
            count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
            count(*) FILTER (WHERE d.status = 'referred')::int AS referred,
            count(*) FILTER (WHERE d.status IN ${OPEN})::int AS open,
            count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'village')::int AS "resolvedAtVillage",
            count(*) FILTER (WHERE d.status = 'resolved' AND d.resolution_level = 'town')::int AS "resolvedAtTown"
     FROM disputes d
     WHERE d.reported_at >= ${T0('$1')} AND d.reported_at < ${T1('$2')} AND d.town_code LIKE $3 || '%'`,
    [from, to, prefix],
  );
}

/** Cases found per town (or per village of a town scope), most first. */
export function periodByUnit(from: string, to: string, prefix: string, level: 'town' | 'village', limit: number): Sql {
  const column = level === 'town' ? 'd.town_code' : 'd.village_code';
  return sql(
    `SELECT u.code, u.name, c.found, c.resolved, c.open
     FROM (SELECT ${column} AS code, count(*)::int AS found,
                  count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved,
                  count(*) FILTER (WHERE d.status IN ${OPEN})::int AS open
           FROM disputes d
           WHERE d.reported_at >= ${T0('$1')} AND d.reported_at < ${T1('$2')} AND d.town_code LIKE $3 || '%'
           GROUP BY 1) c
     JOIN admin_units u ON u.code = c.code
     ORDER BY c.found DESC, u.code LIMIT $4`,
    [from, to, prefix, limit],
  );
}

export function periodByCategory(from: string, to: string, prefix: string): Sql {
  return sql(
    `SELECT d.category, count(*)::int AS found, count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved
     FROM disputes d
     WHERE d.reported_at >= ${T0('$1')} AND d.reported_at < ${T1('$2')} AND d.town_code LIKE $3 || '%'
     GROUP BY 1 ORDER BY 2 DESC, 1`,
    [from, to, prefix],
  );
}

/**
 * Open cases past their category's limit today (app_now()), reported by the period's last day: the oldest
 * `limit` of them and how many there are. Read through the partial index of open cases.
 */
export function overdueCases(to: string, prefix: string, limit: number): Sql {
  return sql(
    `WITH o AS (
       SELECT d.id, d.case_no, d.category, d.risk_level, d.status, d.town_code, d.village_code, ${AGE} AS age,
              coalesce(l.days, 30) AS limit_days,
              to_char(d.reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS reported
       FROM disputes d LEFT JOIN overdue_limits l ON l.category = d.category
       WHERE d.status IN ${OPEN} AND d.reported_at < ${T1('$1')} AND d.town_code LIKE $2 || '%'
         AND ${AGE} > coalesce(l.days, 30)
     )
     SELECT (SELECT count(*)::int FROM o) AS total,
            coalesce((SELECT json_agg(x ORDER BY x.age DESC, x."caseNo") FROM (
              SELECT o.case_no AS "caseNo", o.category, o.risk_level AS "riskLevel", o.status, o.age,
                     o.limit_days AS "limitDays", o.reported, t.name AS town, v.name AS village
              FROM o JOIN admin_units t ON t.code = o.town_code LEFT JOIN admin_units v ON v.code = o.village_code
              ORDER BY o.age DESC, o.case_no LIMIT $3) x), '[]'::json) AS cases`,
    [to, prefix, limit],
  );
}

/** Open red and orange cases (today), reported by the period's last day: the map's markers. */
export function openHighRisk(to: string, prefix: string): Sql {
  return sql(
    `SELECT d.risk_level AS "riskLevel", ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat
     FROM disputes d
     WHERE d.status IN ${OPEN} AND d.risk_level IN ('red', 'orange') AND d.reported_at < ${T1('$1')}
       AND d.town_code LIKE $2 || '%'
     ORDER BY d.id LIMIT 2000`,
    [to, prefix],
  );
}

/**
 * The map's shapes: the towns of a county, or the villages of a town, as GeoJSON simplified to about 100 m
 * (a page's resolution), each with its label point.
 */
export function mapUnits(code: string, level: 'town' | 'village'): Sql {
  return sql(
    `SELECT u.code, u.name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(u.geom, 0.001), 5)::json AS geometry,
            ST_X(u.label_point) AS lon, ST_Y(u.label_point) AS lat
     FROM admin_units u WHERE u.level = $2 AND u.parent_code = $1 ORDER BY u.code`,
    [code, level],
  );
}

export function schedulesOf(frequency: 'weekly' | 'monthly'): Sql {
  return sql(
    `SELECT scope_code AS "scopeCode", lang FROM briefing_schedules WHERE enabled AND frequency = $1 ORDER BY id`,
    [frequency],
  );
}

export function listSchedules(): Sql {
  return sql(
    `SELECT s.id, s.scope_code AS "scopeCode", u.name AS "scopeName", s.frequency, s.lang, s.enabled,
            s.updated_by AS "updatedBy", s.updated_at AS "updatedAt"
     FROM briefing_schedules s JOIN admin_units u ON u.code = s.scope_code ORDER BY s.scope_code, s.frequency, s.lang`,
    [],
  );
}

/** Sets a schedule (a repeated call changes nothing more): unique on scope, frequency and language. */
export function upsertSchedule(scope: string, frequency: string, lang: string, enabled: boolean, by: string): Sql {
  return sql(
    `INSERT INTO briefing_schedules (scope_code, frequency, lang, enabled, updated_by)
     SELECT code, $2, $3, $4, $5 FROM admin_units WHERE code = $1 AND level IN ('county', 'town')
     ON CONFLICT (scope_code, frequency, lang)
       DO UPDATE SET enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING id, scope_code AS "scopeCode", frequency, lang, enabled`,
    [scope, frequency, lang, enabled, by],
  );
}

export function storedBriefingExists(scope: string, period: string, lang: string): Sql {
  return sql('SELECT 1 FROM briefings WHERE scope_code = $1 AND period = $2 AND lang = $3', [scope, period, lang]);
}

export function insertBriefing(b: {
  scope: string;
  period: string;
  from: string;
  to: string;
  lang: string;
  pdf: Buffer;
  xlsx: Buffer;
  found: number;
  resolved: number;
  madeBy: string;
}): Sql {
  return sql(
    `INSERT INTO briefings (scope_code, period, period_from, period_to, lang, pdf, xlsx, found, resolved, made_by)
     VALUES ($1, $2, $3::date, $4::date, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (scope_code, period, lang) DO NOTHING RETURNING id`,
    [b.scope, b.period, b.from, b.to, b.lang, b.pdf, b.xlsx, b.found, b.resolved, b.madeBy],
  );
}

export function listBriefings(limit: number): Sql {
  return sql(
    `SELECT b.id::int AS id, b.scope_code AS "scopeCode", u.name AS "scopeName", b.period,
            to_char(b.period_from, 'YYYY-MM-DD') AS "from", to_char(b.period_to, 'YYYY-MM-DD') AS "to", b.lang,
            b.found, b.resolved, b.made_by AS "madeBy",
            to_char(b.made_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS "madeAt",
            octet_length(b.pdf) AS "pdfBytes"
     FROM briefings b JOIN admin_units u ON u.code = b.scope_code
     ORDER BY b.period_to DESC, b.id DESC LIMIT $1`,
    [limit],
  );
}

export function storedBriefingFile(id: number, format: 'pdf' | 'xlsx'): Sql {
  const column = format === 'pdf' ? 'pdf' : 'xlsx';
  return sql(`SELECT ${column} AS body, scope_code AS scope, period FROM briefings WHERE id = $1`, [id]);
}

/**
 * Early warnings (issue 16) per rule: raised in the period, and still open now, in the scope (a county scope
 * also counts the county-level warnings that span towns).
 */
export function periodWarnings(from: string, to: string, prefix: string): Sql {
  return sql(
    `SELECT r.code AS rule,
            count(w.id) FILTER (WHERE w.raised_at >= ${T0('$1')} AND w.raised_at < ${T1('$2')})::int AS raised,
            count(w.id) FILTER (WHERE w.status = 'open')::int AS open
     FROM warning_rules r
     LEFT JOIN warnings w ON w.rule_code = r.code
       AND (w.town_code LIKE $3 || '%' OR (w.town_code IS NULL AND length($3) = 6))
     GROUP BY r.code ORDER BY r.code`,
    [from, to, prefix],
  );
}

/**
 * The early warnings raised in the period, newest first (the first `limit`, and how many), with where and what
 * they are about and their status now. A county scope includes the county-level warnings that span towns.
 */
export function periodWarningList(from: string, to: string, prefix: string, limit: number): Sql {
  return sql(
    `WITH w AS (
       SELECT w.* FROM warnings w
       WHERE w.raised_at >= ${T0('$1')} AND w.raised_at < ${T1('$2')}
         AND (w.town_code LIKE $3 || '%' OR (w.town_code IS NULL AND length($3) = 6))
     )
     SELECT (SELECT count(*)::int FROM w) AS total,
            coalesce((SELECT json_agg(x ORDER BY x.raised DESC, x.id DESC) FROM (
              SELECT w.id, w.rule_code AS rule, w.status, w.level,
                     to_char(w.raised_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS raised,
                     t.name AS town, v.name AS village, d.case_no AS "caseNo"
              FROM w LEFT JOIN admin_units t ON t.code = w.town_code
              LEFT JOIN admin_units v ON v.code = w.village_code
              LEFT JOIN disputes d ON d.id = w.dispute_id
              ORDER BY w.raised_at DESC, w.id DESC LIMIT $4) x), '[]'::json) AS items`,
    [from, to, prefix, limit],
  );
}

/** Still waiting on the assignee after its due date (as services/tasks counts it). */
const TASK_WAITING = `t.status IN ('assigned', 'accepted', 'sent_back')`;
const TODAY = `(app_now() AT TIME ZONE 'Asia/Shanghai')::date`;

/**
 * Tasks (交办 / 督办, issue 16) in the scope: issued and closed in the period, open and overdue now, and the
 * overdue ones, longest overdue first (the first `limit`). The assignee is named by its station; a screener's
 * name stays out of a document that travels.
 */
export function periodTasks(from: string, to: string, prefix: string, limit: number): Sql {
  return sql(
    `WITH t AS (SELECT t.* FROM tasks t WHERE t.town_code LIKE $3 || '%'),
     o AS (SELECT t.*, ${TODAY} - t.due_on AS days_overdue FROM t WHERE ${TASK_WAITING} AND t.due_on < ${TODAY})
     SELECT (SELECT count(*)::int FROM t WHERE t.created_at >= ${T0('$1')} AND t.created_at < ${T1('$2')}) AS issued,
            (SELECT count(*)::int FROM t WHERE t.status = 'closed'
               AND t.closed_at >= ${T0('$1')} AND t.closed_at < ${T1('$2')}) AS closed,
            (SELECT count(*)::int FROM t WHERE t.status <> 'closed') AS open,
            (SELECT count(*)::int FROM o) AS overdue,
            coalesce((SELECT json_agg(x ORDER BY x."daysOverdue" DESC, x.id) FROM (
              SELECT o.id, o.action, o.status, o.assignee_kind AS "assigneeKind", s.name AS station,
                     to_char(o.due_on, 'YYYY-MM-DD') AS "dueOn", o.days_overdue AS "daysOverdue",
                     tu.name AS town, vu.name AS village, d.case_no AS "caseNo"
              FROM o JOIN admin_units tu ON tu.code = o.town_code
              LEFT JOIN admin_units vu ON vu.code = o.village_code
              LEFT JOIN stations s ON s.id = o.assignee_station_id
              LEFT JOIN disputes d ON d.id = o.dispute_id
              ORDER BY o.days_overdue DESC, o.id LIMIT $4) x), '[]'::json) AS items`,
    [from, to, prefix, limit],
  );
}
