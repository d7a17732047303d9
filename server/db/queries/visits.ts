import type { Sql } from '../types.js';
import { sql, Where } from './filters.js';

/** Follow-up visits (回访) of resolved cases (issue 18). */

const DAY = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

/** The case's facts for a visit: status, resolved day, the agreement's follow-up date. */
export function visitCase(disputeId: number, lock: boolean): Sql {
  return sql(
    `SELECT d.id, d.status, d.town_code, d.station_id, d.version, ${DAY('d.resolved_at')} AS resolved_on,
       to_char(d.follow_up_on, 'YYYY-MM-DD') AS follow_up_on,
       to_char(app_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today
     FROM disputes d WHERE d.id = $1${lock ? ' FOR UPDATE' : ''}`,
    [disputeId],
  );
}

export function visitsOfCase(disputeId: number): Sql {
  return sql(
    `SELECT v.id, to_char(v.visited_on, 'YYYY-MM-DD') AS "visitedOn", v.mediator_id AS "mediatorId",
       v.performance, v.satisfaction, v.note, v.reopened_as_id AS "reopenedAsId", r.case_no AS "reopenedAsCaseNo",
       v.actor, v.synthetic
     FROM follow_up_visits v LEFT JOIN disputes r ON r.id = v.reopened_as_id
     WHERE v.dispute_id = $1 ORDER BY v.visited_on DESC, v.id DESC`,
    [disputeId],
  );
}

export function visitByKey(key: string): Sql {
  return sql('SELECT id, dispute_id FROM follow_up_visits WHERE client_key = $1', [key]);
}

export interface VisitColumns {
  disputeId: number;
  visitedOn: string;
  mediatorId: number | null;
  performance: string;
  satisfaction: string;
  note: string;
  clientKey: string | null;
  actor: string;
  synthetic?: boolean;
}

export function insertVisit(v: VisitColumns): Sql {
  return sql(
    `INSERT INTO follow_up_visits (dispute_id, visited_on, mediator_id, performance, satisfaction, note, client_key,
       actor, synthetic)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      v.disputeId,
      v.visitedOn,
      v.mediatorId,
      v.performance,
      v.satisfaction,
      v.note,
      v.clientKey,
      v.actor,
      v.synthetic ?? false,
    ],
  );
}

export function visitOfCase(disputeId: number, visitId: number, lock: boolean): Sql {
  return sql(
    `SELECT id, performance, satisfaction, reopened_as_id FROM follow_up_visits WHERE id = $1 AND dispute_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [visitId, disputeId],
  );
}

export function linkReopened(visitId: number, newId: number): Sql {
  return sql('UPDATE follow_up_visits SET reopened_as_id = $2 WHERE id = $1 AND reopened_as_id IS NULL', [
    visitId,
    newId,
  ]);
}

export function mediatorServes(mediatorId: number, disputeId: number): Sql {
  return sql(
    `SELECT 1 FROM mediators m JOIN disputes d ON d.id = $2
     WHERE m.id = $1 AND (m.town_code = d.town_code OR m.station_id = d.station_id)`,
    [mediatorId, disputeId],
  );
}

/** Resolved cases within the horizon with no visit yet, whose first visit is due before today. */
function dueCases(where: Where): string {
  return `WITH s AS (
      SELECT (app_now() AT TIME ZONE 'Asia/Shanghai')::date AS today,
        coalesce((SELECT value::int FROM app_settings WHERE key = 'follow_up_default_days'), 30) AS default_days,
        coalesce((SELECT value::int FROM app_settings WHERE key = 'follow_up_horizon_days'), 180) AS horizon_days
    ), due AS (
      SELECT d.id, d.case_no, d.town_code, d.station_id, d.category,
        (d.resolved_at AT TIME ZONE 'Asia/Shanghai')::date AS resolved_on,
        coalesce(d.follow_up_on, (d.resolved_at AT TIME ZONE 'Asia/Shanghai')::date + s.default_days) AS due_on,
        s.today
      FROM disputes d CROSS JOIN s
      ${where.toSql()} ${where.toSql() ? 'AND' : 'WHERE'} d.status = 'resolved'
        AND d.resolved_at >= (s.today - s.horizon_days)::timestamp AT TIME ZONE 'Asia/Shanghai'
        AND NOT EXISTS (SELECT 1 FROM follow_up_visits v WHERE v.dispute_id = d.id)
    )`;
}

export function overdueVisits(town: string | undefined, limit: number, offset: number): Sql {
  const w = new Where();
  if (town) w.add(`d.town_code = ${w.param(town)}`);
  const cte = dueCases(w);
  const l = w.param(limit);
  const o = w.param(offset);
  return sql(
    `${cte}
     SELECT due.id, due.case_no AS "caseNo", due.town_code AS "townCode", t.name AS "townName",
       due.station_id AS "stationId", st.name AS "stationName", due.category,
       to_char(due.resolved_on, 'YYYY-MM-DD') AS "resolvedOn", to_char(due.due_on, 'YYYY-MM-DD') AS "dueOn",
       (due.today - due.due_on)::int AS "daysOverdue", count(*) OVER ()::int AS total
     FROM due JOIN admin_units t ON t.code = due.town_code LEFT JOIN stations st ON st.id = due.station_id
     WHERE due.due_on < due.today
     ORDER BY due.due_on, due.id LIMIT ${l} OFFSET ${o}`,
    w.values,
  );
}

/** Overdue and due-soon counts per town. */
export function overdueCounts(town: string | undefined): Sql {
  const w = new Where();
  if (town) w.add(`d.town_code = ${w.param(town)}`);
  return sql(
    `${dueCases(w)}
     SELECT due.town_code AS "townCode", t.name AS "townName",
       count(*) FILTER (WHERE due.due_on < due.today)::int AS overdue,
       count(*) FILTER (WHERE due.due_on >= due.today)::int AS upcoming
     FROM due JOIN admin_units t ON t.code = due.town_code
     GROUP BY due.town_code, t.name ORDER BY due.town_code`,
    w.values,
  );
}

/** Visits' satisfaction per town or per handling station (room), counting each visit. */
export function satisfactionBy(by: 'town' | 'station', town: string | undefined, from?: string, to?: string): Sql {
  const w = new Where();
  if (town) w.add(`d.town_code = ${w.param(town)}`);
  if (from) w.add(`v.visited_on >= ${w.param(from)}::date`);
  if (to) w.add(`v.visited_on <= ${w.param(to)}::date`);
  const key = by === 'town' ? 'd.town_code' : 'd.station_id';
  const name = by === 'town' ? 't.name' : 's.name';
  return sql(
    `SELECT ${key}::text AS key, ${name} AS name, min(d.town_code) AS "townCode",
       count(*)::int AS visits,
       count(*) FILTER (WHERE v.satisfaction = 'satisfied')::int AS satisfied,
       count(*) FILTER (WHERE v.satisfaction = 'basically')::int AS basically,
       count(*) FILTER (WHERE v.satisfaction = 'not')::int AS not,
       count(*) FILTER (WHERE v.performance = 'broken')::int AS broken
     FROM follow_up_visits v JOIN disputes d ON d.id = v.dispute_id
     JOIN admin_units t ON t.code = d.town_code LEFT JOIN stations s ON s.id = d.station_id
     ${w.toSql()}
     GROUP BY ${key}, ${name} ORDER BY ${key}`,
    w.values,
  );
}
