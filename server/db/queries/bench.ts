import type { Sql } from '../types.js';
import { sql } from './filters.js';

/** The statements of the notification bench (server/bench/sse.ts), on its own throwaway database. */

/**
 * The demo's pinned "now" (app_settings.as_of) off: notification events are stamped with app_now(), and the bench
 * times delivery from that stamp, so on its database it must be the real clock (the write's transaction start).
 */
export function realClock(): Sql {
  return sql(`DELETE FROM app_settings WHERE key = 'as_of'`, []);
}

/** Towns of the demo county with the stations that hear of a town's cases, and one village each for the writes. */
export function benchTowns(limit: number): Sql {
  return sql(
    `SELECT t.code, t.name,
       (SELECT array_agg(v.code ORDER BY v.code) FROM admin_units v WHERE v.parent_code = t.code AND v.level = 'village')
         AS villages,
       (SELECT json_agg(json_build_object('id', s.id, 'kind', s.kind) ORDER BY s.id) FROM stations s
         WHERE s.town_code = t.code AND s.kind IN ('police_station', 'judicial_office', 'joint_mediation_room'))
         AS stations
     FROM admin_units t
     WHERE t.level = 'town' AND EXISTS (SELECT 1 FROM admin_units v WHERE v.parent_code = t.code AND v.level = 'village')
     ORDER BY t.code
     LIMIT $1`,
    [limit],
  );
}

/** The events of the bench's cases with their stamp (the write's transaction start) in epoch milliseconds. */
export function eventsOfDisputes(disputeIds: readonly number[]): Sql {
  return sql(
    `SELECT id, dispute_id, extract(epoch FROM created_at)::float8 * 1000 AS at_ms
     FROM notification_events WHERE dispute_id = ANY($1::bigint[])`,
    [disputeIds],
  );
}

/** Who was to be told of each of those events (the rows the hub delivers). */
export function recipientsOfEvents(eventIds: readonly number[]): Sql {
  return sql('SELECT event_id, account_id FROM notifications WHERE event_id = ANY($1::bigint[])', [eventIds]);
}

const DATABASE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

function databaseName(name: string): string {
  if (!DATABASE_NAME.test(name)) throw new Error(`not a bench database name: ${name}`);
  return `"${name}"`;
}

/** The bench's own database next to the bench database (a name it made itself, checked). */
export function dropDatabase(name: string): Sql {
  return sql(`DROP DATABASE IF EXISTS ${databaseName(name)} WITH (FORCE)`, []);
}

export function createDatabase(name: string): Sql {
  return sql(`CREATE DATABASE ${databaseName(name)}`, []);
}
