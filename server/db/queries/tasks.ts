import type { TaskAction, TaskStatus, TaskSubject } from '../../domain/tasks/state-machine.js';
import type { Sql } from '../types.js';
import { sql, Where } from './filters.js';

/** Today in the county (China date of app_now()), as YYYY-MM-DD. */
export function today(): Sql {
  return sql(`SELECT to_char((app_now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS today`, []);
}

export function escalationSetting(): Sql {
  return sql(`SELECT value FROM app_settings WHERE key = 'task_escalate_after_days'`, []);
}

export function caseSubject(disputeId: number): Sql {
  return sql(
    `SELECT d.id, d.case_no, d.town_code, d.village_code, d.station_id, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat
     FROM disputes d WHERE d.id = $1`,
    [disputeId],
  );
}

export function villageSubject(code: string): Sql {
  return sql(
    `SELECT v.code AS village_code, v.parent_code AS town_code, ST_X(v.label_point) AS lon, ST_Y(v.label_point) AS lat
     FROM admin_units v WHERE v.level = 'village' AND v.code = $1`,
    [code],
  );
}

/** The village holding a point (a hot-spot cell's centre, a warning's place, a report's location). */
export function villageAt(lon: number, lat: number): Sql {
  return sql(
    `SELECT v.code AS village_code, v.parent_code AS town_code FROM admin_units v
     WHERE v.level = 'village' AND ST_Covers(v.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
     ORDER BY v.code LIMIT 1`,
    [lon, lat],
  );
}

export function stationBrief(id: number): Sql {
  return sql('SELECT id, kind, name, town_code FROM stations WHERE id = $1', [id]);
}

export function screenerBrief(accountId: number): Sql {
  return sql(
    `SELECT a.id, a.role, a.disabled, a.display_name,
       coalesce((SELECT array_agg(v.village_code ORDER BY v.village_code) FROM account_villages v
                 WHERE v.account_id = a.id), '{}') AS villages
     FROM accounts a WHERE a.id = $1`,
    [accountId],
  );
}

export interface TaskInsert {
  action: TaskAction;
  subjectKind: TaskSubject;
  townCode: string;
  villageCode: string | null;
  disputeId: number | null;
  warningId: number | null;
  cellId: string | null;
  cellSize: number | null;
  lon: number;
  lat: number;
  assigneeStationId: number | null;
  assigneeAccountId: number | null;
  instructions: string;
  dueOn: string;
  assignedById: number | null;
  assignedByName: string;
  assignedByRole: string;
  clientKey: string | null;
  demo?: boolean;
}

/** Inserts the task; a client key seen before inserts nothing (the caller then reads the first task). */
export function insertTask(t: TaskInsert): Sql {
  return sql(
    `INSERT INTO tasks (action, subject_kind, town_code, village_code, dispute_id, warning_id, cell_id, cell_size,
       geom, assignee_kind, assignee_station_id, assignee_account_id, instructions, due_on, assigned_by_id,
       assigned_by_name, assigned_by_role, client_key, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7::bigint, $8, ST_SetSRID(ST_MakePoint($9, $10), 4326),
       CASE WHEN $11::int IS NOT NULL THEN 'station' ELSE 'screener' END, $11, $12, $13, $14::date, $15, $16, $17,
       $18::uuid, $19)
     ON CONFLICT (client_key) DO NOTHING
     RETURNING id`,
    [
      t.action,
      t.subjectKind,
      t.townCode,
      t.villageCode,
      t.disputeId,
      t.warningId,
      t.cellId,
      t.cellSize,
      t.lon,
      t.lat,
      t.assigneeStationId,
      t.assigneeAccountId,
      t.instructions,
      t.dueOn,
      t.assignedById,
      t.assignedByName,
      t.assignedByRole,
      t.clientKey,
      t.demo ?? false,
    ],
  );
}

export function taskByClientKey(key: string): Sql {
  return sql('SELECT id FROM tasks WHERE client_key = $1::uuid', [key]);
}

export interface TaskEventInsert {
  taskId: number;
  kind: 'created' | 'accepted' | 'reported' | 'closed' | 'sent_back' | 'reminded' | 'escalated';
  fromStatus: TaskStatus | null;
  toStatus: TaskStatus | null;
  actorId: number | null;
  actorName: string;
  note: string;
  details: Record<string, unknown>;
}

/** Appends a step; a reminder or escalation already recorded for that day is not recorded twice. */
export function insertTaskEvent(e: TaskEventInsert): Sql {
  return sql(
    `INSERT INTO task_events (task_id, kind, from_status, to_status, actor_id, actor_name, note, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [e.taskId, e.kind, e.fromStatus, e.toStatus, e.actorId, e.actorName, e.note, JSON.stringify(e.details)],
  );
}

export interface LockedTask {
  id: number;
  status: TaskStatus;
  version: number;
  action: TaskAction;
  town_code: string;
  village_code: string | null;
  dispute_id: number | null;
  warning_id: number | null;
  assignee_station_id: number | null;
  assignee_account_id: number | null;
  assigned_by_id: number | null;
  assigned_by_role: string;
  due_on: string;
}

const lockedColumns = `id, status, version, action, town_code, village_code, dispute_id, warning_id,
  assignee_station_id, assignee_account_id, assigned_by_id, assigned_by_role, to_char(due_on, 'YYYY-MM-DD') AS due_on`;

export function lockTask(id: number): Sql {
  return sql(`SELECT ${lockedColumns} FROM tasks WHERE id = $1 FOR UPDATE`, [id]);
}

export function taskHead(id: number): Sql {
  return sql(`SELECT ${lockedColumns} FROM tasks WHERE id = $1`, [id]);
}

/** Moves the task to `to`, stamping the time of that step; a report stores its note and optional point. */
export function moveTask(
  id: number,
  to: TaskStatus,
  report: { note: string; lon: number | null; lat: number | null } | null,
): Sql {
  const stamp: Record<TaskStatus, string> = {
    assigned: '',
    accepted: ', accepted_at = app_now()',
    reported: ', reported_at = app_now()',
    sent_back: '',
    closed: ', closed_at = app_now()',
  };
  const values: unknown[] = [id, to];
  let extra = stamp[to];
  if (report) {
    values.push(report.note, report.lon, report.lat);
    extra += `, report_note = $3, report_geom = CASE WHEN $4::float8 IS NULL THEN NULL
               ELSE ST_SetSRID(ST_MakePoint($4::float8, $5::float8), 4326) END`;
  }
  return sql(`UPDATE tasks SET status = $2, version = version + 1${extra} WHERE id = $1 RETURNING version`, values);
}

export function pointInCounty(lon: number, lat: number): Sql {
  return sql(
    `SELECT EXISTS (SELECT 1 FROM admin_units c WHERE c.level = 'county'
       AND ST_Intersects(c.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))) AS inside`,
    [lon, lat],
  );
}

/** Who sees which tasks: the county all; a town officer their town's; station staff their station's; a screener theirs. */
export interface TaskReader {
  role: string;
  accountId: number;
  towns: readonly string[] | null;
  stationId: number | null;
}

function visible(where: Where, r: TaskReader): void {
  if (r.role === 'screener') where.add(`t.assignee_account_id = ${where.param(r.accountId)}`);
  else if (r.role === 'station_staff') where.add(`t.assignee_station_id = ${where.param(r.stationId ?? 0)}`);
  else if (r.towns !== null) where.add(`t.town_code = ANY(${where.param(r.towns)}::text[])`);
}

const itemSql = `json_build_object(
    'id', t.id, 'action', t.action, 'subjectKind', t.subject_kind, 'status', t.status, 'version', t.version,
    'townCode', t.town_code, 'townName', tu.name, 'villageCode', t.village_code, 'villageName', vu.name,
    'disputeId', t.dispute_id, 'caseNo', d.case_no, 'warningId', t.warning_id,
    'cellId', t.cell_id::text, 'cellSize', t.cell_size,
    'point', json_build_array(round(ST_X(t.geom)::numeric, 6), round(ST_Y(t.geom)::numeric, 6)),
    'assigneeKind', t.assignee_kind, 'assigneeStationId', t.assignee_station_id, 'assigneeStationName', st.name,
    'assigneeStationKind', st.kind, 'assigneeAccountId', t.assignee_account_id, 'assigneeName', aa.display_name,
    'instructions', t.instructions, 'dueOn', to_char(t.due_on, 'YYYY-MM-DD'),
    'assignedById', t.assigned_by_id, 'assignedByName', t.assigned_by_name, 'assignedByRole', t.assigned_by_role,
    'reportNote', t.report_note,
    'reportPoint', CASE WHEN t.report_geom IS NULL THEN NULL
                   ELSE json_build_array(round(ST_X(t.report_geom)::numeric, 6), round(ST_Y(t.report_geom)::numeric, 6)) END,
    'createdAt', to_char(t.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
    'closedAt', to_char(t.closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
    'overdue', t.status IN ('assigned', 'accepted', 'sent_back') AND t.due_on < n.today,
    'daysOverdue', CASE WHEN t.status IN ('assigned', 'accepted', 'sent_back') AND t.due_on < n.today
                        THEN n.today - t.due_on ELSE 0 END,
    'escalated', t.escalated_at IS NOT NULL, 'demo', t.demo)`;

const itemFrom = `FROM tasks t
  CROSS JOIN (SELECT (app_now() AT TIME ZONE 'Asia/Shanghai')::date AS today) n
  JOIN admin_units tu ON tu.code = t.town_code
  LEFT JOIN admin_units vu ON vu.code = t.village_code
  LEFT JOIN disputes d ON d.id = t.dispute_id
  LEFT JOIN stations st ON st.id = t.assignee_station_id
  LEFT JOIN accounts aa ON aa.id = t.assignee_account_id`;

export interface TaskFilter {
  town?: string | undefined;
  statuses?: readonly TaskStatus[] | undefined;
  open?: boolean | undefined;
  overdue?: boolean | undefined;
  disputeId?: number | undefined;
  villageCode?: string | undefined;
  limit: number;
  offset: number;
}

export function taskList(r: TaskReader, f: TaskFilter): Sql {
  const where = new Where();
  visible(where, r);
  if (f.town) where.add(`t.town_code = ${where.param(f.town)}`);
  if (f.statuses?.length) where.add(`t.status = ANY(${where.param(f.statuses)}::text[])`);
  if (f.open) where.add(`t.status <> 'closed'`);
  if (f.overdue) where.add(`t.status IN ('assigned', 'accepted', 'sent_back') AND t.due_on < n.today`);
  if (f.disputeId !== undefined) where.add(`t.dispute_id = ${where.param(f.disputeId)}`);
  if (f.villageCode) where.add(`t.village_code = ${where.param(f.villageCode)}`);
  return sql(
    `SELECT ${itemSql} AS item, count(*) OVER () AS total ${itemFrom} ${where.toSql()}
     ORDER BY (t.status = 'closed'), t.due_on, t.id DESC
     LIMIT ${where.param(f.limit)} OFFSET ${where.param(f.offset)}`,
    where.values,
  );
}

export function taskItem(r: TaskReader, id: number): Sql {
  const where = new Where();
  visible(where, r);
  where.add(`t.id = ${where.param(id)}`);
  return sql(`SELECT ${itemSql} AS item ${itemFrom} ${where.toSql()}`, where.values);
}

export function taskEvents(id: number): Sql {
  return sql(
    `SELECT id, kind, from_status AS "fromStatus", to_status AS "toStatus", actor_name AS "actorName", note, details,
       to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS at
     FROM task_events WHERE task_id = $1 ORDER BY id`,
    [id],
  );
}

/** Tasks still waiting on their assignee after their due date (督办), oldest due first. */
export function overdueTasks(todayDate: string): Sql {
  return sql(
    `SELECT ${lockedColumns}, escalated_at IS NOT NULL AS escalated, reminded_on::text AS reminded_on
     FROM tasks WHERE status IN ('assigned', 'accepted', 'sent_back') AND due_on < $1::date ORDER BY due_on, id`,
    [todayDate],
  );
}

export function markReminded(id: number, day: string): Sql {
  return sql(
    'UPDATE tasks SET reminded_on = $2::date WHERE id = $1 AND reminded_on IS DISTINCT FROM $2::date RETURNING id',
    [id, day],
  );
}

export function markEscalated(id: number): Sql {
  return sql('UPDATE tasks SET escalated_at = app_now() WHERE id = $1 AND escalated_at IS NULL RETURNING id', [id]);
}

/**
 * Figures per town or per assignee station: issued, closed, closed on time (closed on or before the due date),
 * overdue now (still waiting on the assignee after the due date) and open.
 */
export function taskFigures(by: 'town' | 'station', town: string | undefined): Sql {
  const values: unknown[] = [];
  const townFilter = town ? `AND t.town_code = $${values.push(town)}` : '';
  const key = by === 'town' ? 't.town_code' : 't.assignee_station_id::text';
  const unit =
    by === 'town'
      ? `JOIN admin_units u ON u.code = f.key`
      : `JOIN stations s ON s.id::text = f.key JOIN admin_units u ON u.code = s.town_code`;
  const name = by === 'town' ? 'u.name' : 's.name';
  return sql(
    `WITH n AS (SELECT (app_now() AT TIME ZONE 'Asia/Shanghai')::date AS today),
     f AS (
       SELECT ${key} AS key,
         count(*)::int AS issued,
         count(*) FILTER (WHERE t.status = 'closed')::int AS closed,
         count(*) FILTER (WHERE t.status = 'closed'
           AND (t.closed_at AT TIME ZONE 'Asia/Shanghai')::date <= t.due_on)::int AS closed_on_time,
         count(*) FILTER (WHERE t.status IN ('assigned', 'accepted', 'sent_back') AND t.due_on < n.today)::int AS overdue,
         count(*) FILTER (WHERE t.status <> 'closed')::int AS open
       FROM tasks t CROSS JOIN n
       WHERE ${by === 'station' ? 't.assignee_station_id IS NOT NULL' : 'true'} ${townFilter}
       GROUP BY 1)
     SELECT f.key, ${name} AS name, u.code AS town_code, f.issued, f.closed, f.closed_on_time, f.overdue, f.open
     FROM f ${unit} ORDER BY f.issued DESC, f.key`,
    values,
  );
}

/** Who a task in `town` can go to: its stations, and the active field screeners reporting for its villages. */
export function assigneesOf(town: string): Sql {
  return sql(
    `SELECT json_build_object(
       'stations', coalesce((SELECT json_agg(json_build_object('id', s.id, 'kind', s.kind, 'name', s.name) ORDER BY s.kind, s.id)
                             FROM stations s WHERE s.town_code = $1), '[]'::json),
       'screeners', coalesce((SELECT json_agg(json_build_object('id', a.id, 'displayName', a.display_name,
                                'villages', (SELECT json_agg(v.village_code ORDER BY v.village_code) FROM account_villages v
                                             WHERE v.account_id = a.id AND left(v.village_code, 9) = $1)) ORDER BY a.id)
                              FROM accounts a
                              WHERE a.role = 'screener' AND NOT a.disabled AND EXISTS (
                                SELECT 1 FROM account_villages v WHERE v.account_id = a.id AND left(v.village_code, 9) = $1)),
                             '[]'::json))::text AS body`,
    [town],
  );
}
