import type { Sql } from '../types.js';
import { sql, Where } from './filters.js';

/** Joint meetings and work meetings (issue 18). A meeting's town_code NULL is a county meeting. */

export interface MeetingFilter {
  town?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function meetingWhere(f: MeetingFilter): Where {
  const w = new Where();
  if (f.town) w.add(`m.town_code = ${w.param(f.town)}`);
  if (f.from) w.add(`m.held_on >= ${w.param(f.from)}::date`);
  if (f.to) w.add(`m.held_on <= ${w.param(f.to)}::date`);
  return w;
}

const SUMMARY = `m.id, m.kind, to_char(m.held_on, 'YYYY-MM-DD') AS "heldOn", m.town_code AS "townCode",
  t.name AS "townName", m.title, m.synthetic,
  (SELECT count(*)::int FROM meeting_attendees a WHERE a.meeting_id = m.id) AS attendees,
  (SELECT count(*)::int FROM meeting_cases c WHERE c.meeting_id = m.id) AS cases,
  (SELECT count(*)::int FROM meeting_decisions d WHERE d.meeting_id = m.id) AS decisions`;

export function meetingList(f: MeetingFilter, limit: number, offset: number): Sql {
  const w = meetingWhere(f);
  return sql(
    `SELECT ${SUMMARY}, count(*) OVER ()::int AS total
     FROM joint_meetings m LEFT JOIN admin_units t ON t.code = m.town_code ${w.toSql()}
     ORDER BY m.held_on DESC, m.id DESC LIMIT ${w.param(limit)} OFFSET ${w.param(offset)}`,
    w.values,
  );
}

export function meetingById(id: number): Sql {
  return sql(
    `SELECT ${SUMMARY}, m.minutes, m.created_by AS "createdBy"
     FROM joint_meetings m LEFT JOIN admin_units t ON t.code = m.town_code WHERE m.id = $1`,
    [id],
  );
}

export function meetingAttendees(id: number): Sql {
  return sql(
    `SELECT a.mediator_id AS "mediatorId", a.account_id AS "accountId", md.name_enc, md.kind,
       ac.display_name AS "displayName", ac.role
     FROM meeting_attendees a LEFT JOIN mediators md ON md.id = a.mediator_id LEFT JOIN accounts ac ON ac.id = a.account_id
     WHERE a.meeting_id = $1 ORDER BY a.id`,
    [id],
  );
}

export function meetingCases(id: number): Sql {
  return sql(
    `SELECT d.id, d.case_no AS "caseNo", d.status, d.category, d.town_code AS "townCode"
     FROM meeting_cases c JOIN disputes d ON d.id = c.dispute_id WHERE c.meeting_id = $1 ORDER BY d.id`,
    [id],
  );
}

export function meetingDecisions(id: number): Sql {
  return sql(
    `SELECT d.id, d.position, d.text, d.station_id AS "stationId", s.name AS "stationName",
       to_char(d.due_on, 'YYYY-MM-DD') AS "dueOn", d.dispute_id AS "disputeId", d.task_id AS "taskId",
       t.status AS "taskStatus"
     FROM meeting_decisions d LEFT JOIN stations s ON s.id = d.station_id LEFT JOIN tasks t ON t.id = d.task_id
     WHERE d.meeting_id = $1 ORDER BY d.position`,
    [id],
  );
}

export function meetingByKey(key: string): Sql {
  return sql('SELECT id FROM joint_meetings WHERE client_key = $1', [key]);
}

export function insertMeeting(m: {
  kind: string;
  heldOn: string;
  townCode: string | null;
  title: string;
  minutes: string;
  clientKey: string | null;
  actor: string;
}): Sql {
  return sql(
    `INSERT INTO joint_meetings (kind, held_on, town_code, title, minutes, client_key, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [m.kind, m.heldOn, m.townCode, m.title, m.minutes, m.clientKey, m.actor],
  );
}

export function insertAttendees(id: number, mediatorIds: readonly number[], accountIds: readonly number[]): Sql[] {
  return [
    sql('INSERT INTO meeting_attendees (meeting_id, mediator_id) SELECT $1, unnest($2::bigint[])', [id, mediatorIds]),
    sql('INSERT INTO meeting_attendees (meeting_id, account_id) SELECT $1, unnest($2::bigint[])', [id, accountIds]),
  ];
}

export function insertMeetingCases(id: number, caseIds: readonly number[]): Sql {
  return sql('INSERT INTO meeting_cases (meeting_id, dispute_id) SELECT $1, unnest($2::bigint[])', [id, caseIds]);
}

export function insertDecision(
  id: number,
  position: number,
  d: { text: string; stationId: number | null; dueOn: string | null; disputeId: number | null; taskId: number | null },
): Sql {
  return sql(
    `INSERT INTO meeting_decisions (meeting_id, position, text, station_id, due_on, dispute_id, task_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [id, position, d.text, d.stationId, d.dueOn, d.disputeId, d.taskId],
  );
}

/** The village a decision's task is about when it names no case: the one holding the station (else the nearest
 * of its town, as boundaries are approximate). */
export function stationVillage(stationId: number): Sql {
  return sql(
    `SELECT v.code FROM stations s JOIN admin_units v ON v.level = 'village' AND v.parent_code = s.town_code
     WHERE s.id = $1 ORDER BY ST_Covers(v.geom, s.geom) DESC, v.geom <-> s.geom, v.code LIMIT 1`,
    [stationId],
  );
}

/** Which of the ids exist (and, for a town meeting, belong to the town): mediators, cases, stations, accounts. */
export function knownIn(
  table: 'mediators' | 'disputes' | 'stations',
  ids: readonly number[],
  town: string | null,
): Sql {
  const tables = { mediators: 'mediators', disputes: 'disputes', stations: 'stations' } as const;
  return town === null
    ? sql(`SELECT id FROM ${tables[table]} WHERE id = ANY($1::bigint[])`, [ids])
    : sql(`SELECT id FROM ${tables[table]} WHERE id = ANY($1::bigint[]) AND town_code = $2`, [ids, town]);
}

/** Accounts that may attend: enabled, of the town or of the county (no town, not a station's). */
export function knownAccounts(ids: readonly number[], town: string | null): Sql {
  return town === null
    ? sql('SELECT id FROM accounts WHERE id = ANY($1::bigint[]) AND NOT disabled', [ids])
    : sql(
        `SELECT a.id FROM accounts a LEFT JOIN stations s ON s.id = a.station_id
         WHERE a.id = ANY($1::bigint[]) AND NOT a.disabled
           AND (a.town_code = $2 OR s.town_code = $2 OR (a.town_code IS NULL AND a.station_id IS NULL))`,
        [ids, town],
      );
}

/** Accounts to offer as attendees of a town's meeting (display names only). */
export function attendeeAccounts(town: string | undefined): Sql {
  const w = new Where().add('NOT a.disabled').add(`a.role IN ('admin', 'leader', 'town_officer', 'station_staff')`);
  if (town)
    w.add(`(a.town_code = ${w.param(town)} OR s.town_code = $1 OR (a.town_code IS NULL AND a.station_id IS NULL))`);
  return sql(
    `SELECT a.id, a.display_name AS "displayName", a.role FROM accounts a LEFT JOIN stations s ON s.id = a.station_id
     ${w.toSql()} ORDER BY a.role, a.id`,
    w.values,
  );
}

/** Meeting dates per town (and the county, town NULL) for the regularity figures. */
export function meetingDates(town: string | undefined): Sql {
  const w = new Where();
  if (town) w.add(`m.town_code = ${w.param(town)}`);
  return sql(
    `SELECT m.town_code AS "townCode", array_agg(to_char(m.held_on, 'YYYY-MM-DD') ORDER BY m.held_on) AS days
     FROM joint_meetings m ${w.toSql()} GROUP BY m.town_code`,
    w.values,
  );
}

export function towns(town: string | undefined): Sql {
  return town
    ? sql(`SELECT code, name FROM admin_units WHERE level = 'town' AND code = $1`, [town])
    : sql(`SELECT code, name FROM admin_units WHERE level = 'town' ORDER BY code`, []);
}

/** Active staff of the register (stationed, not village committees) to offer as attendees. */
export function attendeeMediators(town: string | undefined): Sql {
  const w = new Where().add('m.active').add('m.station_id IS NOT NULL');
  if (town) w.add(`m.town_code = ${w.param(town)}`);
  return sql(
    `SELECT m.id, m.name_enc, m.kind, s.name AS "stationName" FROM mediators m JOIN stations s ON s.id = m.station_id
     ${w.toSql()} ORDER BY m.town_code, m.id`,
    w.values,
  );
}
