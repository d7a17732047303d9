import type { Sql } from '../types.js';
import { sql, Where } from './filters.js';

/** The case dossier, judicial confirmation and the facts documents are made from (issue 18). */

const FACTS = `d.id, d.status, d.town_code AS "townCode", d.station_id AS "stationId",
  (SELECT a.kind FROM case_agreements a WHERE a.dispute_id = d.id ORDER BY a.agreed_on DESC, a.id DESC LIMIT 1)
    AS "agreementKind",
  (SELECT to_char(a.agreed_on, 'YYYY-MM-DD') FROM case_agreements a WHERE a.dispute_id = d.id AND a.kind <> 'oral'
    ORDER BY a.agreed_on DESC, a.id DESC LIMIT 1) AS "writtenAgreedOn",
  (SELECT count(*)::int FROM follow_up_visits v WHERE v.dispute_id = d.id) AS visits,
  EXISTS (SELECT 1 FROM judicial_confirmations j WHERE j.dispute_id = d.id) AS confirmation,
  coalesce((SELECT json_object_agg(i.item, i.state) FROM dossier_items i WHERE i.dispute_id = d.id), '{}'::json)
    AS marked`;

export function dossierFacts(id: number): Sql {
  return sql(
    `SELECT ${FACTS}, to_char(app_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today FROM disputes d WHERE d.id = $1`,
    [id],
  );
}

/** Facts of the cases resolved in a period (default: the last 365 days), for completeness per town and room. */
export function resolvedFacts(town: string | undefined, from: string | undefined, to: string | undefined): Sql {
  const w = new Where().add(`d.status = 'resolved'`);
  if (town) w.add(`d.town_code = ${w.param(town)}`);
  w.add(
    from
      ? `d.resolved_at >= (${w.param(from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`
      : `d.resolved_at >= app_now() - interval '365 days'`,
  );
  if (to) w.add(`d.resolved_at < ((${w.param(to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  return sql(`SELECT ${FACTS} FROM disputes d ${w.toSql()} ORDER BY d.id`, w.values);
}

export function unitNames(): Sql {
  return sql(
    `SELECT 'town' AS level, code AS key, name FROM admin_units WHERE level = 'town'
     UNION ALL SELECT 'station', id::text, name FROM stations`,
    [],
  );
}

export function upsertDossierItem(id: number, item: string, state: string, actor: string): Sql {
  return sql(
    `INSERT INTO dossier_items (dispute_id, item, state, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dispute_id, item) DO UPDATE SET state = excluded.state, updated_by = excluded.updated_by,
       updated_at = now()`,
    [id, item, state, actor],
  );
}

export function clearDossierItem(id: number, item: string): Sql {
  return sql('DELETE FROM dossier_items WHERE dispute_id = $1 AND item = $2', [id, item]);
}

export function confirmationOf(id: number): Sql {
  return sql(
    `SELECT to_char(applied_on, 'YYYY-MM-DD') AS "appliedOn", court, result,
       to_char(decided_on, 'YYYY-MM-DD') AS "decidedOn", version
     FROM judicial_confirmations WHERE dispute_id = $1`,
    [id],
  );
}

export function upsertConfirmation(
  id: number,
  c: { appliedOn: string; court: string; result: string; decidedOn: string | null },
  actor: string,
): Sql {
  return sql(
    `INSERT INTO judicial_confirmations (dispute_id, applied_on, court, result, decided_on, actor)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (dispute_id) DO UPDATE SET applied_on = excluded.applied_on, court = excluded.court,
       result = excluded.result, decided_on = excluded.decided_on, actor = excluded.actor,
       version = judicial_confirmations.version + 1, updated_at = now()`,
    [id, c.appliedOn, c.court, c.result, c.decidedOn, actor],
  );
}

export function lockForDossier(id: number): Sql {
  return sql(
    `SELECT d.id, d.status, to_char(app_now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS today,
       (SELECT version FROM judicial_confirmations j WHERE j.dispute_id = d.id) AS "confirmationVersion"
     FROM disputes d WHERE d.id = $1 FOR UPDATE`,
    [id],
  );
}

/** What a document is made from: the case, its place and station, its latest agreement. */
export function documentCase(id: number): Sql {
  return sql(
    `SELECT d.case_no AS "caseNo", d.category, d.summary,
       to_char(d.reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "reportedOn",
       to_char(d.resolved_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "resolvedOn",
       v.name AS "villageName", t.name AS "townName", s.name AS "stationName",
       (SELECT json_build_object('agreedOn', to_char(a.agreed_on, 'YYYY-MM-DD'), 'kind', a.kind, 'note', a.note,
          'followUpOn', to_char(a.follow_up_on, 'YYYY-MM-DD'))
        FROM case_agreements a WHERE a.dispute_id = d.id ORDER BY a.agreed_on DESC, a.id DESC LIMIT 1) AS agreement
     FROM disputes d JOIN admin_units t ON t.code = d.town_code LEFT JOIN admin_units v ON v.code = d.village_code
     LEFT JOIN stations s ON s.id = d.station_id WHERE d.id = $1`,
    [id],
  );
}
