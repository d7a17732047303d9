import type { Sql } from '../types.js';

/** Rows a caller may see: towns (null = county) and, for field screeners, their villages (null = no limit). */
export interface RowScope {
  towns: readonly string[] | null;
  villages: readonly string[] | null;
}

export const COUNTY: RowScope = { towns: null, villages: null };

/** Screenings as GeoJSON points (WGS-84), built in SQL; at most `limit`, newest first. */
export function screeningCollection(f: { batch?: number; round?: number; limit: number; scope?: RowScope }): Sql {
  const values: unknown[] = [];
  const where: string[] = ['s.geom IS NOT NULL'];
  if (f.scope?.towns) {
    values.push(f.scope.towns);
    where.push(`s.town_code = ANY($${values.length}::text[])`);
  }
  if (f.scope?.villages) {
    values.push(f.scope.villages);
    where.push(`s.village_code = ANY($${values.length}::text[])`);
  }
  if (f.batch !== undefined) {
    values.push(f.batch);
    where.push(`s.batch_id = $${values.length}`);
  }
  if (f.round !== undefined) {
    values.push(f.round);
    where.push(`s.round_id = $${values.length}`);
  }
  values.push(f.limit);
  return {
    text: `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
             'type', 'Feature', 'id', s.id, 'geometry', ST_AsGeoJSON(s.geom, 7)::json,
             'properties', json_build_object('id', s.id, 'villageCode', s.village_code, 'village', v.name,
               'townCode', s.town_code, 'town', t.name, 'screenedOn', s.screened_on, 'screener', s.screener,
               'zeroReport', s.zero_report, 'locationMismatch', s.location_mismatch, 'batchId', s.batch_id,
               'items', (SELECT count(*) FROM screening_items i WHERE i.screening_id = s.id),
               'riskLevel', (SELECT i.risk_level FROM screening_items i WHERE i.screening_id = s.id
                             ORDER BY array_position(ARRAY['red','orange','yellow','blue'], i.risk_level) LIMIT 1))
           )), '[]'::json))::text AS body
           FROM (SELECT * FROM visible_screenings s WHERE ${where.join(' AND ')} ORDER BY s.id DESC LIMIT $${values.length}) s
           JOIN admin_units v ON v.code = s.village_code
           JOIN admin_units t ON t.code = s.town_code`,
    values,
  };
}

export interface RoundInsert {
  name: string;
  kind: 'monthly' | 'special';
  startsOn: string;
  dueOn: string;
  towns: string[] | null;
}

export function insertRound(r: RoundInsert): Sql {
  return {
    text: `INSERT INTO screening_rounds (name, kind, starts_on, due_on, town_codes) VALUES ($1, $2, $3, $4, $5)
           RETURNING id, name, kind, starts_on::text AS starts_on, due_on::text AS due_on, town_codes`,
    values: [r.name, r.kind, r.startsOn, r.dueOn, r.towns],
  };
}

export function listRounds(): Sql {
  return {
    text: `SELECT id, name, kind, starts_on::text AS starts_on, due_on::text AS due_on, town_codes
           FROM screening_rounds ORDER BY starts_on DESC, id DESC`,
    values: [],
  };
}

/** The county's today (app_now(), pinned to 2023-05-17 on the demo) as a calendar day in China time. */
const TODAY = `(app_now() AT TIME ZONE 'Asia/Shanghai')::date`;

/** How far a zero report's GPS may be from the village boundary and still count (screened on the spot). */
export const ZERO_REPORT_NEAR_METRES = 1000;

/**
 * Each village in the round's scope with its state as of a day (`asOf`, else the county's today): risks found (a report with items), zero report
 * (a 零报告 whose GPS lies inside or within ZERO_REPORT_NEAR_METRES of the village), overdue (neither by the due
 * date), not yet due. Reports count when tied to the round, or untied and dated within the round.
 */
function villageStates(roundId: number, asOf: string | null, limit: RowScope): { cte: string; values: unknown[] } {
  return {
    cte: `WITH round AS (SELECT * FROM screening_rounds WHERE id = $1),
          day AS (SELECT coalesce($2::date, ${TODAY}) AS d),
          scope AS (
            SELECT v.code, v.name, v.parent_code AS town_code, v.geom, v.label_point
            FROM admin_units v, round r
            WHERE v.level = 'village' AND (r.town_codes IS NULL OR v.parent_code = ANY (r.town_codes))
              AND ($3::text[] IS NULL OR v.parent_code = ANY ($3::text[]))
              AND ($4::text[] IS NULL OR v.code = ANY ($4::text[]))
          ),
          reports AS (
            SELECT s.village_code,
                   bool_or(EXISTS (SELECT 1 FROM screening_items i WHERE i.screening_id = s.id)) AS risks,
                   bool_or(s.zero_report AND s.geom IS NOT NULL
                     AND ST_DWithin(s.geom::geography, sc.geom::geography, ${ZERO_REPORT_NEAR_METRES})) AS zero
            FROM visible_screenings s, round r, scope sc, day
            WHERE sc.code = s.village_code AND s.screened_on <= day.d
              AND (s.round_id = r.id OR (s.round_id IS NULL AND s.screened_on BETWEEN r.starts_on AND r.due_on))
            GROUP BY s.village_code
          ),
          states AS (
            SELECT sc.*, CASE WHEN rp.risks THEN 'risks'
                              WHEN rp.zero THEN 'zero'
                              WHEN day.d > r.due_on THEN 'overdue'
                              ELSE 'pending' END AS state
            FROM scope sc CROSS JOIN round r CROSS JOIN day LEFT JOIN reports rp ON rp.village_code = sc.code
          )`,
    values: [roundId, asOf, limit.towns, limit.villages],
  };
}

export function roundVillages(roundId: number, asOf: string | null, limit: RowScope = COUNTY): Sql {
  const { cte, values } = villageStates(roundId, asOf, limit);
  return {
    text: `${cte}
           SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
             'type', 'Feature', 'id', code, 'geometry', ST_AsGeoJSON(geom, 6)::json,
             'properties', json_build_object('code', code, 'name', name, 'townCode', town_code, 'state', state))
           ), '[]'::json))::text AS body FROM states`,
    values,
  };
}

export function roundProgress(roundId: number, asOf: string | null, limit: RowScope = COUNTY): Sql {
  const { cte, values } = villageStates(roundId, asOf, limit);
  return {
    text: `${cte}
           SELECT s.town_code, t.name AS town_name, count(*)::int AS villages,
                  count(*) FILTER (WHERE state = 'risks')::int AS risks,
                  count(*) FILTER (WHERE state = 'zero')::int AS zero,
                  count(*) FILTER (WHERE state = 'overdue')::int AS overdue,
                  count(*) FILTER (WHERE state = 'pending')::int AS pending
           FROM states s JOIN admin_units t ON t.code = s.town_code
           GROUP BY s.town_code, t.name ORDER BY s.town_code`,
    values,
  };
}

/** The villages of a round still to report (overdue or not yet due), for a screener's to-do list. */
export function roundToDo(roundId: number, asOf: string | null, town: string | null, limit: RowScope = COUNTY): Sql {
  const { cte, values } = villageStates(roundId, asOf, limit);
  return {
    text: `${cte}
           SELECT code, name, town_code, state FROM states
           WHERE state IN ('overdue', 'pending') AND ($5::text IS NULL OR town_code = $5)
           ORDER BY town_code, code`,
    values: [...values, town],
  };
}
