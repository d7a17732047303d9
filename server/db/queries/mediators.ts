import type { Sql } from '../types.js';
import { sql, Where } from './filters.js';

/** The register of mediators and staff (issue 18). Names are ciphertexts: the service decrypts and masks. */

export interface MediatorFilter {
  town?: string | undefined;
  station?: number | undefined;
  kind?: string | undefined;
  active?: boolean | undefined;
  ids?: readonly number[] | undefined;
}

/** Training hours count over the last 365 days to app_now(): a yearly requirement checked mid-year, not a calendar year's hours that every mediator lacks in January. */
const YEAR = `((app_now() AT TIME ZONE 'Asia/Shanghai')::date - 365)`;

const MEDIATOR_COLUMNS = `m.id, m.name_enc, m.kind, m.station_id AS "stationId", s.name AS "stationName",
  s.kind AS "stationKind", m.village_code AS "villageCode", v.name AS "villageName", m.town_code AS "townCode",
  t.name AS "townName", m.appointment_no AS "appointmentNo", m.appointed_by AS "appointedBy",
  to_char(m.appointed_from, 'YYYY-MM-DD') AS "appointedFrom", to_char(m.appointed_to, 'YYYY-MM-DD') AS "appointedTo",
  m.qualification, to_char(m.qualification_expires_on, 'YYYY-MM-DD') AS "qualificationExpiresOn", m.active,
  m.synthetic, m.version,
  (SELECT coalesce(sum(tr.hours), 0)::float8 FROM mediator_trainings tr
    WHERE tr.mediator_id = m.id AND tr.trained_on >= ${YEAR}) AS "hoursThisYear",
  f.cases, f.resolved, f.closed, f.open, f.mean_days AS "meanDays"`;

/** Cases named to the mediator: how many, resolved, closed (resolved + failed + referred), open, mean days. */
const FIGURES = `LEFT JOIN LATERAL (
    SELECT count(*)::int AS cases,
           count(*) FILTER (WHERE d.status = 'resolved')::int AS resolved,
           count(*) FILTER (WHERE d.status IN ('resolved', 'failed', 'referred'))::int AS closed,
           count(*) FILTER (WHERE d.status IN ('reported', 'accepted', 'mediating'))::int AS open,
           round((avg(extract(epoch FROM d.resolved_at - d.reported_at) / 86400.0)
             FILTER (WHERE d.status = 'resolved'))::numeric, 1)::float8 AS mean_days
    FROM case_mediators cm JOIN disputes d ON d.id = cm.dispute_id WHERE cm.mediator_id = m.id) f ON true`;

const FROM = `FROM mediators m
  JOIN admin_units t ON t.code = m.town_code
  LEFT JOIN stations s ON s.id = m.station_id
  LEFT JOIN admin_units v ON v.code = m.village_code
  ${FIGURES}`;

function mediatorWhere(f: MediatorFilter): Where {
  const w = new Where();
  if (f.town) w.add(`m.town_code = ${w.param(f.town)}`);
  if (f.station !== undefined) w.add(`m.station_id = ${w.param(f.station)}`);
  if (f.kind) w.add(`m.kind = ${w.param(f.kind)}`);
  if (f.active !== undefined) w.add(`m.active = ${w.param(f.active)}`);
  if (f.ids) w.add(`m.id = ANY(${w.param(f.ids)}::bigint[])`);
  return w;
}

export function mediatorList(f: MediatorFilter, limit: number, offset: number): Sql {
  const w = mediatorWhere(f);
  return sql(
    `SELECT ${MEDIATOR_COLUMNS}, count(*) OVER ()::int AS total ${FROM} ${w.toSql()}
     ORDER BY m.town_code, m.station_id NULLS LAST, m.village_code, m.kind, m.id
     LIMIT ${w.param(limit)} OFFSET ${w.param(offset)}`,
    w.values,
  );
}

export function mediatorById(id: number): Sql {
  return sql(`SELECT ${MEDIATOR_COLUMNS} ${FROM} WHERE m.id = $1`, [id]);
}

export function mediatorTown(id: number): Sql {
  return sql('SELECT id, town_code, version, name_enc FROM mediators WHERE id = $1', [id]);
}

export function lockMediator(id: number): Sql {
  return sql('SELECT id, town_code, version, station_id, village_code FROM mediators WHERE id = $1 FOR UPDATE', [id]);
}

export function trainingsOf(id: number): Sql {
  return sql(
    `SELECT id, to_char(trained_on, 'YYYY-MM-DD') AS "trainedOn", hours::float8 AS hours, course
     FROM mediator_trainings WHERE mediator_id = $1 ORDER BY trained_on DESC, id DESC`,
    [id],
  );
}

/** The recent cases a mediator worked, for the detail (newest first). */
export function casesOfMediator(id: number, limit: number): Sql {
  return sql(
    `SELECT d.id, d.case_no AS "caseNo", d.status, d.category, d.town_code AS "townCode",
       to_char(d.reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "reportedOn"
     FROM case_mediators cm JOIN disputes d ON d.id = cm.dispute_id
     WHERE cm.mediator_id = $1 ORDER BY d.reported_at DESC, d.id DESC LIMIT $2`,
    [id, limit],
  );
}

/** Where a mediator serves: a station of a serving kind, or a village; its town comes along. */
export function servingPlace(stationId: number | null, villageCode: string | null): Sql {
  return stationId !== null
    ? sql(`SELECT town_code, kind FROM stations WHERE id = $1`, [stationId])
    : sql(`SELECT parent_code AS town_code, 'village' AS kind FROM admin_units WHERE code = $1 AND level = 'village'`, [
        villageCode,
      ]);
}

export interface MediatorColumns {
  name_enc: string;
  kind: string;
  station_id: number | null;
  village_code: string | null;
  town_code: string;
  appointment_no: string | null;
  appointed_by: string | null;
  appointed_from: string | null;
  appointed_to: string | null;
  qualification: string | null;
  qualification_expires_on: string | null;
  active: boolean;
}

const COLS = [
  'name_enc',
  'kind',
  'station_id',
  'village_code',
  'town_code',
  'appointment_no',
  'appointed_by',
  'appointed_from',
  'appointed_to',
  'qualification',
  'qualification_expires_on',
  'active',
] as const;

export function insertMediator(c: MediatorColumns, actor: string, synthetic = false): Sql {
  const values: unknown[] = COLS.map((k) => c[k]);
  values.push(actor, synthetic);
  return sql(
    `INSERT INTO mediators (${COLS.join(', ')}, created_by, synthetic)
     VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    values,
  );
}

/** Changes the columns given (names from the allow-list COLS) and bumps the version. */
export function updateMediator(id: number, c: Partial<MediatorColumns>): Sql {
  const values: unknown[] = [id];
  const sets: string[] = [];
  for (const k of COLS) {
    if (k in c) {
      values.push(c[k]);
      sets.push(`${k} = $${values.length}`);
    }
  }
  sets.push('version = version + 1', 'updated_at = now()');
  return sql(`UPDATE mediators SET ${sets.join(', ')} WHERE id = $1`, values);
}

export function insertTraining(
  id: number,
  t: { trainedOn: string; hours: number; course: string },
  actor: string,
): Sql {
  return sql(
    `INSERT INTO mediator_trainings (mediator_id, trained_on, hours, course, created_by) VALUES ($1, $2, $3, $4, $5)
     RETURNING id`,
    [id, t.trainedOn, t.hours, t.course, actor],
  );
}

export function setting(key: string): Sql {
  return sql('SELECT value FROM app_settings WHERE key = $1', [key]);
}

/** Today in China time (YYYY-MM-DD) by app_now(). */
export function today(): Sql {
  return sql(`SELECT to_char(app_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today`, []);
}

/** Facts for the register's checks: active mediators (expiries, this year's hours) of a town or the county. */
export function findingFacts(town: string | undefined): Sql {
  const w = new Where().add('m.active');
  if (town) w.add(`m.town_code = ${w.param(town)}`);
  return sql(
    `SELECT m.id, m.town_code AS "townCode", m.active, to_char(m.appointed_to, 'YYYY-MM-DD') AS "appointedTo",
       to_char(m.qualification_expires_on, 'YYYY-MM-DD') AS "qualificationExpiresOn",
       (SELECT coalesce(sum(tr.hours), 0)::float8 FROM mediator_trainings tr
         WHERE tr.mediator_id = m.id AND tr.trained_on >= ${YEAR}) AS "hoursThisYear"
     FROM mediators m ${w.toSql()} ORDER BY m.id`,
    w.values,
  );
}

/** Joint mediation rooms with their count of active judicial assistants. */
export function roomFacts(town: string | undefined): Sql {
  const w = new Where().add(`r.kind = 'joint_mediation_room'`);
  if (town) w.add(`r.town_code = ${w.param(town)}`);
  return sql(
    `SELECT r.id, r.town_code AS "townCode", r.name,
       (SELECT count(*)::int FROM mediators m WHERE m.station_id = r.id AND m.active
          AND m.kind = 'judicial_assistant') AS "activeJudicialAssistants"
     FROM stations r ${w.toSql()} ORDER BY r.id`,
    w.values,
  );
}

/** Names (ciphertexts) of mediators for masking in findings. */
export function mediatorNames(ids: readonly number[]): Sql {
  return sql(
    `SELECT m.id, m.name_enc, m.kind, m.station_id AS "stationId", s.name AS "stationName", v.name AS "villageName"
     FROM mediators m LEFT JOIN stations s ON s.id = m.station_id LEFT JOIN admin_units v ON v.code = m.village_code
     WHERE m.id = ANY($1::bigint[])`,
    [ids],
  );
}

export function stationNames(ids: readonly number[]): Sql {
  return sql('SELECT id, name FROM stations WHERE id = ANY($1::int[])', [ids]);
}

/** The mediators named on a case (with their ciphertext names, for masking). */
export function mediatorsOfCase(disputeId: number): Sql {
  return sql(
    `SELECT m.id, m.name_enc, m.kind, m.town_code AS "townCode", m.station_id AS "stationId", s.name AS "stationName"
     FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id LEFT JOIN stations s ON s.id = m.station_id
     WHERE cm.dispute_id = $1 ORDER BY m.id`,
    [disputeId],
  );
}

/** Candidates to name on a case: active, serving its town or its station. */
export function eligibleMediators(disputeId: number, ids: readonly number[]): Sql {
  return sql(
    `SELECT m.id FROM mediators m JOIN disputes d ON d.id = $1
     WHERE m.id = ANY($2::bigint[]) AND m.active AND (m.town_code = d.town_code OR m.station_id = d.station_id)`,
    [disputeId, ids],
  );
}

export function replaceCaseMediators(disputeId: number, ids: readonly number[], actor: string): Sql[] {
  return [
    sql('DELETE FROM case_mediators WHERE dispute_id = $1 AND NOT (mediator_id = ANY($2::bigint[]))', [disputeId, ids]),
    sql(
      `INSERT INTO case_mediators (dispute_id, mediator_id, added_by)
       SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING`,
      [disputeId, ids, actor],
    ),
  ];
}

export function lockDispute(id: number): Sql {
  return sql('SELECT id, status, town_code, station_id FROM disputes WHERE id = $1 FOR UPDATE', [id]);
}

/** Mediators whose name is not under the current key (key rotation), in id order, locked for the batch. */
export function mediatorsNotUnderKey(after: number, keyId: string, limit: number): Sql {
  return sql(
    `SELECT id, name_enc FROM mediators WHERE id > $1 AND name_enc NOT LIKE $2 ORDER BY id LIMIT $3 FOR UPDATE`,
    [after, `pd1:${keyId}:%`, limit],
  );
}

/** New ciphertexts of the same names: not an edit, so neither the version nor updated_at moves. */
export function setMediatorNames(rows: readonly { id: number; name_enc: string }[]): Sql {
  return sql(
    `UPDATE mediators m SET name_enc = r.name_enc
     FROM json_to_recordset($1::json) AS r(id bigint, name_enc text) WHERE m.id = r.id`,
    [JSON.stringify(rows)],
  );
}
