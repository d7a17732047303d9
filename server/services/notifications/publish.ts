import {
  type EventInsert,
  fanOut,
  insertEvents,
  knownKinds,
  notifyEvents,
  unitLevels,
} from '../../db/queries/notifications.js';
import type { Queryable } from '../../db/types.js';
import { KIND_PATTERN, TITLE_PATTERN } from '../../domain/notifications/audiences.js';
import { InvalidInput } from '../errors.js';

/**
 * One thing that happened which people must hear of (信息互通). Final shape (issue 16):
 *
 * ```ts
 * interface NotificationEvent {
 *   kind: string;                // a row of notification_kinds: 'case.created', 'task.assigned', 'warning.raised', …
 *   level: 'town' | 'county';    // county-level events also reach the county roles (rule audience 'county')
 *   townCode: string | null;     // scope: only people who may see this town (or, station staff, this station)
 *   stationId?: number | null;   // the handling station / a task's assignee station (audience 'station')
 *   villageCode?: string | null; // must lie in townCode; screeners are told of their own villages only
 *   disputeId?: number | null;
 *   taskId?: number | null;
 *   warningId?: number | null;
 *   title: string;               // a message code (web/src/i18n …notifications.messages), not text
 *   params?: Record<string, string | number>;  // the message's parameters (no personal data)
 *   dedupeKey?: string;          // same key twice → one event, one notification each (idempotent)
 *   addressed?: number[];        // accounts named directly (audience 'addressed'): a task's assigner, its screener
 *   actorId?: number | null;     // the account that acted: not told of its own action
 * }
 * ```
 *
 * `publish(tx, event)` runs inside the caller's transaction: the event, its recipients (rule table × scope) and
 * the NOTIFY that wakes every app instance's open pages all commit with the change that caused them, or not at
 * all. A new kind needs a row in `notification_kinds` (a migration) and rules; an unknown kind throws
 * InvalidInput('kind').
 */
export interface NotificationEvent {
  kind: string;
  level: 'town' | 'county';
  townCode: string | null;
  stationId?: number | null;
  villageCode?: string | null;
  disputeId?: number | null;
  taskId?: number | null;
  warningId?: number | null;
  title: string;
  params?: Record<string, string | number>;
  dedupeKey?: string;
  addressed?: readonly number[];
  actorId?: number | null;
}

export interface Published {
  /** The event id; null when its dedupe key had been published before. */
  eventId: number | null;
  recipients: number;
}

const PARAM_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

function checked(event: NotificationEvent): EventInsert {
  if (typeof event.kind !== 'string' || !KIND_PATTERN.test(event.kind)) {
    throw new InvalidInput('kind', `'${String(event.kind).slice(0, 40)}' is not an event kind (e.g. case.created)`);
  }
  if (event.level !== 'town' && event.level !== 'county') throw new InvalidInput('level', 'town or county');
  if (typeof event.title !== 'string' || !TITLE_PATTERN.test(event.title)) {
    throw new InvalidInput('title', 'a message code: letters, digits, _ and . (at most 80)');
  }
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(event.params ?? {})) {
    if (!PARAM_KEY.test(k)) throw new InvalidInput('params', `'${k.slice(0, 40)}' is not a parameter name`);
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string' || v.length > 200 || v.includes('\0')) {
      throw new InvalidInput(`params.${k}`, 'a finite number or a text of at most 200 characters');
    }
    params[k] = v;
  }
  if (event.dedupeKey !== undefined && (event.dedupeKey.length < 1 || event.dedupeKey.length > 200)) {
    throw new InvalidInput('dedupeKey', '1 to 200 characters');
  }
  const village = event.villageCode ?? null;
  if (village !== null && (event.townCode === null || village.slice(0, 9) !== event.townCode)) {
    throw new InvalidInput('villageCode', `village ${village} is not in town ${event.townCode}`);
  }
  return {
    kind: event.kind,
    level: event.level,
    townCode: event.townCode,
    stationId: event.stationId ?? null,
    villageCode: village,
    disputeId: event.disputeId ?? null,
    taskId: event.taskId ?? null,
    warningId: event.warningId ?? null,
    title: event.title,
    params,
    dedupeKey: event.dedupeKey ?? null,
    actorId: event.actorId ?? null,
  };
}

/** The towns and villages the events name must exist at their levels. */
async function assertUnits(tx: Queryable, events: readonly EventInsert[]): Promise<void> {
  const codes = [...new Set(events.flatMap((e) => [e.townCode, e.villageCode]).filter((c) => c !== null))];
  if (codes.length === 0) return;
  const u = unitLevels(codes);
  const levels = new Map(
    (await tx.query<{ code: string; level: string }>(u.text, u.values)).rows.map((r) => [r.code, r.level]),
  );
  for (const e of events) {
    if (e.townCode !== null && levels.get(e.townCode) !== 'town')
      throw new InvalidInput('townCode', `no town ${e.townCode}`);
    if (e.villageCode !== null && levels.get(e.villageCode) !== 'village') {
      throw new InvalidInput('villageCode', `no village ${e.villageCode}`);
    }
  }
}

export async function publish(tx: Queryable, event: NotificationEvent): Promise<Published> {
  const { ids, recipients } = await store(tx, [checked(event)], (event.addressed ?? []).map(Number));
  return { eventId: ids[0] ?? null, recipients };
}

/**
 * Many events at once, each told to exactly whom `publish` would tell it, in five statements in all instead of
 * five per event: a full evaluation raises thousands of warnings at scale (11,789 at 100,000 disputes took 11 s
 * one by one). Events naming `addressed` accounts go one by one. Returns how many events were new.
 */
export async function publishAll(tx: Queryable, events: readonly NotificationEvent[]): Promise<number> {
  let created = 0;
  for (const event of events.filter((e) => (e.addressed ?? []).length > 0)) {
    if ((await publish(tx, event)).eventId !== null) created++;
  }
  const batch = events.filter((e) => (e.addressed ?? []).length === 0).map(checked);
  return created + (batch.length === 0 ? 0 : (await store(tx, batch, [])).ids.length);
}

/**
 * Checked events: their towns, villages and kinds must exist; each new one (by dedupe key) is stored, told to its
 * recipients (`addressed` shared by all of them) and announced to the app instances (NOTIFY) if anyone was told.
 */
async function store(tx: Queryable, batch: readonly EventInsert[], addressed: readonly number[]) {
  await assertUnits(tx, batch);
  const kinds = [...new Set(batch.map((e) => e.kind))];
  const k = knownKinds(kinds);
  const known = new Set((await tx.query<{ kind: string }>(k.text, k.values)).rows.map((r) => r.kind));
  const unknown = kinds.find((kind) => !known.has(kind));
  if (unknown !== undefined) throw new InvalidInput('kind', `unknown notification kind '${unknown}'`);
  const ins = insertEvents(batch);
  const ids = (await tx.query<{ id: number }>(ins.text, ins.values)).rows.map((r) => Number(r.id));
  if (ids.length === 0) return { ids, recipients: 0 };
  const f = fanOut(ids, addressed);
  const rows = (await tx.query<{ eventId: number }>(f.text, f.values)).rows;
  const told = [...new Set(rows.map((r) => Number(r.eventId)))];
  if (told.length > 0) {
    const n = notifyEvents(told);
    await tx.query(n.text, n.values);
  }
  return { ids, recipients: rows.length };
}
