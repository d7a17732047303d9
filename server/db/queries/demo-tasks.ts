import type { Sql } from '../types.js';
import { sql } from './filters.js';

/**
 * What the demo's tasks and notifications are made from (services/tasks/demo.ts): the demo accounts, the first
 * villages and the stations of the demo officer's town, and its latest high-risk open cases.
 */

/** A demo account by username (town.wjc, screener.wjc): null unless the demo accounts were made. */
export function demoAccount(username: string): Sql {
  return sql('SELECT id, display_name, town_code FROM accounts WHERE username = $1 AND demo', [username]);
}

/** The town's first `limit` villages by code, with their label points. */
export function firstVillagesOfTown(town: string, limit: number): Sql {
  return sql(
    `SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units
     WHERE level = 'village' AND parent_code = $1 ORDER BY code LIMIT $2`,
    [town, limit],
  );
}

export function stationsOfTown(town: string): Sql {
  return sql('SELECT id, kind FROM stations WHERE town_code = $1 ORDER BY id', [town]);
}

/** The town's latest red and orange cases still open, newest first. */
export function latestHighRiskOpenCases(town: string, limit: number): Sql {
  return sql(
    `SELECT id, case_no, category, risk_level, status, village_code, station_id FROM disputes
     WHERE town_code = $1 AND risk_level IN ('red', 'orange') AND status IN ('reported', 'accepted', 'mediating')
     ORDER BY reported_at DESC, id DESC LIMIT $2`,
    [town, limit],
  );
}
