import type { Sql } from '../types.js';
import { sql, Where } from './filters.js';

/** The NOTIFY channel: payload is a notification event id; each app instance's hub then reads its recipients. */
export const NOTIFY_CHANNEL = 'ljm_notifications';

export interface EventInsert {
  kind: string;
  level: 'town' | 'county';
  townCode: string | null;
  stationId: number | null;
  villageCode: string | null;
  disputeId: number | null;
  taskId: number | null;
  warningId: number | null;
  title: string;
  params: Record<string, string | number>;
  dedupeKey: string | null;
  actorId: number | null;
}

/**
 * Many events in one statement (their kinds checked by the caller: `knownKinds`), in the given order; an event
 * whose dedupe key exists already, or repeats one earlier in the list, is skipped. Returns the new events' ids.
 */
export function insertEvents(events: readonly EventInsert[]): Sql {
  return sql(
    `INSERT INTO notification_events (kind, level, town_code, station_id, village_code, dispute_id, task_id,
       warning_id, title, params, dedupe_key, actor_id)
     SELECT x.kind, x.level, x.town_code, x.station_id, x.village_code, x.dispute_id, x.task_id, x.warning_id,
            x.title, x.params, x.dedupe_key, x.actor_id
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS j(v, i)
     CROSS JOIN LATERAL jsonb_to_record(j.v) AS x(kind text, level text, town_code text, station_id integer,
       village_code text, dispute_id bigint, task_id bigint, warning_id bigint, title text, params jsonb,
       dedupe_key text, actor_id bigint)
     ORDER BY j.i
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [
      JSON.stringify(
        events.map((e) => ({
          kind: e.kind,
          level: e.level,
          town_code: e.townCode,
          station_id: e.stationId,
          village_code: e.villageCode,
          dispute_id: e.disputeId,
          task_id: e.taskId,
          warning_id: e.warningId,
          title: e.title,
          params: e.params,
          dedupe_key: e.dedupeKey,
          actor_id: e.actorId,
        })),
      ),
    ],
  );
}

/** Which of these kinds exist. */
export function knownKinds(kinds: readonly string[]): Sql {
  return sql('SELECT kind FROM notification_kinds WHERE kind = ANY($1::text[])', [kinds]);
}

/** Does each code exist at its level? (a town or village named by an event must be real). */
export function unitLevels(codes: readonly string[]): Sql {
  return sql('SELECT code, level FROM admin_units WHERE code = ANY($1::text[])', [codes]);
}

/**
 * One row per recipient of the event, chosen by the rule table (role × kind × audience) and then limited to the
 * event's scope as the access policy limits reading (server/auth/roles.ts inScope; station staff also see what
 * their own station handles): a rule can widen who is told inside a scope, never beyond it. The actor is not
 * told of their own action.
 */
export function fanOut(eventIds: readonly number[], addressed: readonly number[]): Sql {
  return sql(
    `INSERT INTO notifications (event_id, account_id)
     SELECT e.id, a.id
     FROM notification_events e
     JOIN accounts a ON NOT a.disabled AND a.id IS DISTINCT FROM e.actor_id
     LEFT JOIN stations s ON s.id = a.station_id
     WHERE e.id = ANY($1::bigint[])
       AND EXISTS (
         SELECT 1 FROM notification_rules r
         WHERE r.kind = e.kind AND r.role = a.role AND (
              (r.audience = 'county' AND e.level = 'county')
           OR (r.audience = 'town' AND e.town_code IS NOT NULL
               AND e.town_code = CASE a.role WHEN 'town_officer' THEN a.town_code ELSE s.town_code END)
           OR (r.audience = 'station' AND e.station_id IS NOT NULL AND a.station_id = e.station_id)
           OR (r.audience = 'town_room' AND s.kind = 'joint_mediation_room' AND s.town_code = e.town_code)
           OR (r.audience = 'town_judicial_office' AND s.kind = 'judicial_office' AND s.town_code = e.town_code)
           OR (r.audience = 'town_police_station' AND s.kind = 'police_station' AND s.town_code = e.town_code)
           OR (r.audience = 'villages' AND e.village_code IS NOT NULL AND EXISTS (
                 SELECT 1 FROM account_villages v WHERE v.account_id = a.id AND v.village_code = e.village_code))
           OR (r.audience = 'addressed' AND a.id = ANY($2::bigint[]))))
       AND CASE a.role
         WHEN 'admin' THEN true
         WHEN 'leader' THEN true
         WHEN 'town_officer' THEN e.town_code IS NOT NULL AND a.town_code = e.town_code
         WHEN 'station_staff' THEN (e.town_code IS NOT NULL AND s.town_code = e.town_code)
                                OR (e.station_id IS NOT NULL AND a.station_id = e.station_id)
         WHEN 'screener' THEN e.village_code IS NOT NULL AND EXISTS (
                 SELECT 1 FROM account_villages v WHERE v.account_id = a.id AND v.village_code = e.village_code)
         ELSE false END
     ON CONFLICT (event_id, account_id) DO NOTHING
     RETURNING event_id AS "eventId"`,
    [eventIds, addressed],
  );
}

/** One NOTIFY per event, in id order. */
export function notifyEvents(eventIds: readonly number[]): Sql {
  return sql('SELECT pg_notify($1, x.id::text) FROM unnest($2::bigint[]) AS x(id) ORDER BY x.id', [
    NOTIFY_CHANNEL,
    eventIds,
  ]);
}

/** What a reader may still see of an event: their scope now (an account moved to another town loses the old one). */
export interface ReaderScope {
  accountId: number;
  towns: readonly string[] | null;
  stationId: number | null;
  villages: readonly string[] | null;
}

function readerWhere(where: Where, r: ReaderScope): void {
  where.add(`n.account_id = ${where.param(r.accountId)}`);
  if (r.towns === null) return;
  if (r.villages) {
    where.add(`e.village_code = ANY(${where.param(r.villages)}::text[])`);
    return;
  }
  const towns = where.param(r.towns);
  where.add(
    r.stationId !== null
      ? `(e.town_code = ANY(${towns}::text[]) OR e.station_id = ${where.param(r.stationId)})`
      : `e.town_code = ANY(${towns}::text[])`,
  );
}

const itemSql = `json_build_object(
    'id', n.id, 'eventId', e.id, 'kind', e.kind, 'family', k.family, 'level', e.level,
    'title', e.title, 'params', e.params,
    'townCode', e.town_code, 'townName', t.name, 'villageCode', e.village_code, 'villageName', v.name,
    'stationId', e.station_id, 'stationName', st.name,
    'disputeId', e.dispute_id, 'caseNo', d.case_no, 'taskId', e.task_id, 'warningId', e.warning_id,
    -- Where "go to" lands: the case's point, else a point inside the village, else inside the town.
    'point', CASE WHEN d.id IS NOT NULL THEN json_build_array(round(ST_X(d.geom)::numeric, 6), round(ST_Y(d.geom)::numeric, 6))
                  WHEN v.code IS NOT NULL THEN json_build_array(round(ST_X(ST_PointOnSurface(v.geom))::numeric, 6),
                                                                round(ST_Y(ST_PointOnSurface(v.geom))::numeric, 6))
             END,
    'createdAt', to_char(e.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
    'read', n.read_at IS NOT NULL)`;

const itemFrom = `FROM notifications n
  JOIN notification_events e ON e.id = n.event_id
  JOIN notification_kinds k ON k.kind = e.kind
  LEFT JOIN admin_units t ON t.code = e.town_code
  LEFT JOIN admin_units v ON v.code = e.village_code
  LEFT JOIN stations st ON st.id = e.station_id
  LEFT JOIN disputes d ON d.id = e.dispute_id`;

export interface ListFilter {
  kinds?: readonly string[] | undefined;
  families?: readonly string[] | undefined;
  unread?: boolean | undefined;
  /** Older than this notification id (the next page). */
  before?: number | undefined;
  limit: number;
}

/** The reader's notifications, newest first. */
export function listNotifications(r: ReaderScope, f: ListFilter): Sql {
  const where = new Where();
  readerWhere(where, r);
  if (f.kinds?.length) where.add(`e.kind = ANY(${where.param(f.kinds)}::text[])`);
  if (f.families?.length) where.add(`k.family = ANY(${where.param(f.families)}::text[])`);
  if (f.unread) where.add('n.read_at IS NULL');
  if (f.before !== undefined) where.add(`n.id < ${where.param(f.before)}`);
  return sql(
    `SELECT ${itemSql} AS item ${itemFrom} ${where.toSql()} ORDER BY n.id DESC LIMIT ${where.param(f.limit)}`,
    where.values,
  );
}

export function unreadCount(r: ReaderScope): Sql {
  const where = new Where();
  readerWhere(where, r);
  where.add('n.read_at IS NULL');
  return sql(
    `SELECT count(*)::int AS unread, max(n.id) AS latest
     FROM notifications n JOIN notification_events e ON e.id = n.event_id ${where.toSql()}`,
    where.values,
  );
}

/** What a page missed since `afterId` (SSE resume), oldest first. */
export function notificationsAfter(r: ReaderScope, afterId: number, limit: number): Sql {
  const where = new Where();
  readerWhere(where, r);
  where.add(`n.id > ${where.param(afterId)}`);
  return sql(
    `SELECT n.id, ${itemSql} AS item ${itemFrom} ${where.toSql()} ORDER BY n.id LIMIT ${where.param(limit)}`,
    where.values,
  );
}

/** The recipients of these events with each one's item (the hub delivers them to open pages), in id order. */
export function deliveriesOf(eventIds: readonly number[]): Sql {
  return sql(
    `SELECT n.id, n.account_id, ${itemSql} AS item ${itemFrom} WHERE n.event_id = ANY($1::bigint[]) ORDER BY n.id`,
    [eventIds],
  );
}

/** Marks the reader's notifications read: the ids given, or every unread one up to `upTo` (mark all read). */
export function markRead(r: ReaderScope, ids: readonly number[] | null, upTo: number | null): Sql {
  const where = new Where();
  readerWhere(where, r);
  where.add('n.read_at IS NULL');
  if (ids) where.add(`n.id = ANY(${where.param(ids)}::bigint[])`);
  if (upTo !== null) where.add(`n.id <= ${where.param(upTo)}`);
  return sql(
    `UPDATE notifications SET read_at = now() WHERE id IN (
       SELECT n.id FROM notifications n JOIN notification_events e ON e.id = n.event_id ${where.toSql()})
     RETURNING id`,
    where.values,
  );
}

export function kindsList(): Sql {
  return sql('SELECT kind, family FROM notification_kinds ORDER BY sort_order, kind', []);
}

export function rulesList(): Sql {
  return sql(
    `SELECT r.kind, r.role, r.audience FROM notification_rules r JOIN notification_kinds k ON k.kind = r.kind
     ORDER BY k.sort_order, r.kind, r.role, r.audience`,
    [],
  );
}

export function addRule(kind: string, role: string, audience: string): Sql {
  return sql(
    `INSERT INTO notification_rules (kind, role, audience) VALUES ($1, $2, $3)
     ON CONFLICT (kind, role, audience) DO NOTHING`,
    [kind, role, audience],
  );
}

export function removeRule(kind: string, role: string, audience: string): Sql {
  return sql('DELETE FROM notification_rules WHERE kind = $1 AND role = $2 AND audience = $3', [kind, role, audience]);
}

export function kindExists(kind: string): Sql {
  return sql('SELECT 1 FROM notification_kinds WHERE kind = $1', [kind]);
}

/** A case event with what its notification says: the case's place, handling station, level and number. */
export function caseEventNotice(caseEventId: number): Sql {
  return sql(
    `SELECT ce.kind, ce.to_station_id, ce.to_status, d.id AS dispute_id, d.case_no, d.category, d.risk_level, d.status,
       d.town_code, d.village_code, d.station_id, a.id AS actor_id
     FROM case_events ce JOIN disputes d ON d.id = ce.dispute_id
     LEFT JOIN accounts a ON a.username = ce.actor
     WHERE ce.id = $1`,
    [caseEventId],
  );
}

/** The villages of an upload batch with red or orange risk items, and how many of each (at most `limit`). */
export function batchHighRisks(batchId: number, limit: number): Sql {
  return sql(
    `SELECT s.town_code, s.village_code,
       count(*) FILTER (WHERE i.risk_level = 'red')::int AS red,
       count(*) FILTER (WHERE i.risk_level = 'orange')::int AS orange,
       b.uploaded_by_id AS actor_id
     FROM screenings s JOIN screening_items i ON i.screening_id = s.id JOIN upload_batches b ON b.id = s.batch_id
     WHERE s.batch_id = $1 AND i.risk_level IN ('red', 'orange')
     GROUP BY s.town_code, s.village_code, b.uploaded_by_id
     ORDER BY red DESC, orange DESC, s.village_code
     LIMIT $2`,
    [batchId, limit],
  );
}
