import { randomBytes } from 'node:crypto';
import {
  caseAgreements,
  caseEvents,
  caseRow,
  casesBrief,
  type EventRow,
  insertEvent,
  locate,
  lockCase,
  nextCaseNo,
  reopenedAs,
} from '../../db/queries/cases.js';
import type { Db, Queryable } from '../../db/types.js';
import { type EscalationScore, escalationScore } from '../../domain/cases/escalation.js';
import { allowedTransitions, canReopen, isAllowed, missingForTransition } from '../../domain/cases/state-machine.js';
import type { Keyring } from '../../domain/personal-data.js';
import { insertParties, maskedParties, type PartyInput, partiesInClear } from '../../domain/personal-data-store.js';
import type {
  DisputeCategory,
  DisputeStatus,
  MediationChannel,
  ReferralKind,
  ResolutionLevel,
  RiskLevel,
} from '../../domain/vocabulary.js';
import { badRequest, HttpError, notFound } from '../../plugins/errors.js';

/**
 * The case workflow over the database. Every write runs in one transaction: lock the case row, check the
 * client's version (optimistic concurrency: the second of two edits gets 409, nothing is lost), change the
 * case, append the event. The actor is the signed-in caller's username, passed by the route (never a body field).
 */

export interface CaseRow {
  id: number;
  caseNo: string;
  category: DisputeCategory;
  riskLevel: RiskLevel;
  status: DisputeStatus;
  threat: boolean;
  injury: boolean;
  daysOpen: number | null;
  repeatIds: number[];
  [k: string]: unknown;
}

export function withScore(row: CaseRow): CaseRow & { escalation: EscalationScore } {
  return {
    ...row,
    escalation: escalationScore({
      category: row.category,
      riskLevel: row.riskLevel,
      repeatCount: row.repeatIds.length,
      threat: row.threat,
      injury: row.injury,
      daysOpen: row.daysOpen,
    }),
  };
}

export const conflict = (message: string) => new HttpError(409, message);

/** 409 for an illegal move, listing the legal ones. */
export class TransitionConflict extends HttpError {
  constructor(
    readonly from: DisputeStatus,
    readonly to: string,
  ) {
    const allowed = allowedTransitions(from);
    super(
      409,
      `cannot move a case from ${from} to ${to}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
      'to',
    );
  }
}

export class VersionConflict extends HttpError {
  constructor(readonly current: number) {
    super(
      409,
      `the case was changed by someone else (now version ${current}); reload it and apply your change again`,
      'version',
    );
  }
}

interface Locked {
  id: number;
  status: DisputeStatus;
  version: number;
  station_id: number | null;
  mediation_channel: MediationChannel | null;
  category: DisputeCategory;
  town_code: string;
}

async function lock(tx: Queryable, id: number, version: number): Promise<Locked> {
  const q = lockCase(id);
  const row = (await tx.query<Locked>(q.text, q.values)).rows[0];
  if (!row) throw notFound(`dispute ${id}`);
  if (row.version !== version) throw new VersionConflict(row.version);
  return row;
}

async function bump(tx: Queryable, id: number, sets: string, values: unknown[]): Promise<void> {
  await tx.query(
    `UPDATE disputes SET ${sets}${sets ? ', ' : ''}version = version + 1, updated_at = now() WHERE id = $1`,
    [id, ...values],
  );
}

async function event(tx: Queryable, e: EventRow): Promise<void> {
  const q = insertEvent(e);
  await tx.query(q.text, q.values);
}

let cachedKey: { db: Db; key: string } | null = null;
/** The party-hash key: configuration first; else one random key, made once and kept in the settings. */
export async function partyKey(db: Queryable & object, configured: string | null): Promise<string> {
  if (configured) return configured;
  if (cachedKey && cachedKey.db === db) return cachedKey.key;
  await db.query(`INSERT INTO app_settings (key, value) VALUES ('party_hash_key', $1) ON CONFLICT (key) DO NOTHING`, [
    randomBytes(32).toString('hex'),
  ]);
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM app_settings WHERE key = 'party_hash_key'`);
  const key = rows[0]?.value as string;
  cachedKey = { db: db as Db, key };
  return key;
}

export type { PartyInput };

/** Keys for parties: the keyed hash that matches them across cases, and the keyring that encrypts them at rest. */
export interface PartyKeys {
  hash: string;
  ring: Keyring;
}

export interface Location {
  lon?: number | undefined;
  lat?: number | undefined;
  villageCode?: string | undefined;
}

async function resolveLocation(tx: Queryable, loc: Location) {
  const hasPoint = loc.lon !== undefined && loc.lat !== undefined;
  if (!hasPoint && !loc.villageCode) throw badRequest('lon', 'give a point (lon, lat) or a villageCode');
  const q = locate(
    hasPoint ? (loc.lon as number) : null,
    hasPoint ? (loc.lat as number) : null,
    loc.villageCode ?? null,
  );
  const row = (await tx.query<{ village_code: string; town_code: string; lon: number; lat: number }>(q.text, q.values))
    .rows[0];
  if (!row) {
    throw hasPoint
      ? badRequest('lon', `the point ${loc.lon}, ${loc.lat} is outside the county's villages`)
      : badRequest('villageCode', `no village ${loc.villageCode}`);
  }
  return row;
}

async function checkStation(tx: Queryable, stationId: number, field: string) {
  const { rows } = await tx.query<{ id: number; kind: string; town_code: string }>(
    'SELECT id, kind, town_code FROM stations WHERE id = $1',
    [stationId],
  );
  if (!rows[0]) throw badRequest(field, `no station ${stationId}`);
  return rows[0];
}

/**
 * Where a scoped caller (town officer, station staff) may place or route a case: their towns (null = the county)
 * and their own station. A place or station outside is a 400 naming the field, and nothing is written.
 */
export interface CaseScope {
  towns: readonly string[] | null;
  stationId: number | null;
}

function assertPlaceInScope(scope: CaseScope | undefined, place: { town_code: string }, loc: Location) {
  if (!scope?.towns || scope.towns.includes(place.town_code)) return;
  const field = loc.villageCode !== undefined && loc.lon === undefined ? 'villageCode' : 'lon';
  throw badRequest(field, `the place is in town ${place.town_code}, outside your scope (${scope.towns.join(', ')})`);
}

function assertStationInScope(scope: CaseScope | undefined, station: { id: number; town_code: string }, field: string) {
  if (!scope?.towns || scope.towns.includes(station.town_code)) return;
  if (scope.stationId !== null && Number(station.id) === scope.stationId) return;
  throw badRequest(field, `station ${station.id} is in town ${station.town_code}, outside your scope`);
}

export interface CreateInput extends Location {
  /** Who acts: the signed-in caller, never a body field. */
  actor: string;
  scope?: CaseScope | undefined;
  category: DisputeCategory;
  riskLevel: RiskLevel;
  summary?: string | undefined;
  stationId?: number | undefined;
  channel?: MediationChannel | undefined;
  threat?: boolean | undefined;
  injury?: boolean | undefined;
  parties?: PartyInput[] | undefined;
  screeningItemId?: number | undefined;
  reopenedFromId?: number | undefined;
  note?: string | undefined;
}

export async function createCase(db: Db, key: PartyKeys, input: CreateInput): Promise<number> {
  return db.transaction(async (tx) => {
    const place = await resolveLocation(tx, input);
    assertPlaceInScope(input.scope, place, input);
    if (input.stationId !== undefined) {
      assertStationInScope(input.scope, await checkStation(tx, input.stationId, 'stationId'), 'stationId');
    }
    if (input.screeningItemId !== undefined) {
      const { rows } = await tx.query('SELECT 1 FROM screening_items WHERE id = $1', [input.screeningItemId]);
      if (!rows[0]) throw badRequest('screeningItemId', `no screening item ${input.screeningItemId}`);
    }
    // No station named: the town's police station takes it first (the fastest to respond); it can hand over.
    let stationId = input.stationId ?? null;
    if (stationId === null) {
      const { rows: ps } = await tx.query<{ id: number }>(
        `SELECT id FROM stations WHERE town_code = $1 AND kind = 'police_station' ORDER BY id LIMIT 1`,
        [place.town_code],
      );
      stationId = ps[0] ? Number(ps[0].id) : null;
    }
    const n = nextCaseNo();
    const caseNo = (await tx.query<{ case_no: string }>(n.text, n.values)).rows[0]?.case_no;
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO disputes (case_no, category, risk_level, status, mediation_channel, reported_at, geom,
         village_code, town_code, station_id, summary, threat, injury, screening_item_id, reopened_from_id,
         state_entered_at, created_by)
       VALUES ($1, $2, $3, 'reported', $4, app_now(), ST_SetSRID(ST_MakePoint($5, $6), 4326), $7, $8, $9, $10,
         $11, $12, $13, $14, app_now(), $15)
       RETURNING id`,
      [
        caseNo,
        input.category,
        input.riskLevel,
        input.channel ?? null,
        place.lon,
        place.lat,
        place.village_code,
        place.town_code,
        stationId,
        input.summary ?? '',
        input.threat ?? false,
        input.injury ?? false,
        input.screeningItemId ?? null,
        input.reopenedFromId ?? null,
        input.actor,
      ],
    );
    const id = Number(rows[0]?.id);
    await insertParties(tx, key.ring, key.hash, id, input.parties ?? []);
    await event(tx, {
      disputeId: id,
      kind: 'created',
      toStatus: 'reported',
      actor: input.actor,
      stationId,
      channel: input.channel ?? null,
      linkedDisputeId: input.reopenedFromId ?? null,
      note: input.note ?? '',
      details: input.screeningItemId !== undefined ? { screeningItemId: input.screeningItemId } : {},
    });
    return id;
  });
}

export interface EditInput extends Location {
  actor: string;
  scope?: CaseScope | undefined;
  version: number;
  category?: DisputeCategory | undefined;
  riskLevel?: RiskLevel | undefined;
  summary?: string | undefined;
  threat?: boolean | undefined;
  injury?: boolean | undefined;
  followUpOn?: string | undefined;
  note?: string | undefined;
}

export async function editCase(db: Db, id: number, input: EditInput): Promise<void> {
  await db.transaction(async (tx) => {
    await lock(tx, id, input.version);
    const sets: string[] = [];
    const values: unknown[] = [];
    const changed: string[] = [];
    const set = (col: string, value: unknown, name: string) => {
      values.push(value);
      sets.push(`${col} = $${values.length + 1}`);
      changed.push(name);
    };
    if (input.category !== undefined) set('category', input.category, 'category');
    if (input.riskLevel !== undefined) set('risk_level', input.riskLevel, 'riskLevel');
    if (input.summary !== undefined) set('summary', input.summary, 'summary');
    if (input.threat !== undefined) set('threat', input.threat, 'threat');
    if (input.injury !== undefined) set('injury', input.injury, 'injury');
    if (input.followUpOn !== undefined) set('follow_up_on', input.followUpOn, 'followUpOn');
    if (input.lon !== undefined || input.lat !== undefined || input.villageCode !== undefined) {
      if ((input.lon === undefined) !== (input.lat === undefined)) {
        throw badRequest(input.lon === undefined ? 'lon' : 'lat', 'give both lon and lat');
      }
      const place = await resolveLocation(tx, input);
      assertPlaceInScope(input.scope, place, input);
      values.push(place.lon, place.lat);
      sets.push(`geom = ST_SetSRID(ST_MakePoint($${values.length}, $${values.length + 1}), 4326)`);
      set('village_code', place.village_code, 'location');
      set('town_code', place.town_code, 'town');
    }
    if (changed.length === 0) throw badRequest('body', 'nothing to change');
    await bump(tx, id, sets.join(', '), values);
    await event(tx, { disputeId: id, kind: 'edit', actor: input.actor, note: input.note ?? '', details: { changed } });
  });
}

export interface TransitionInput {
  actor: string;
  version: number;
  to: DisputeStatus;
  channel?: MediationChannel | undefined;
  level?: ResolutionLevel | undefined;
  referralKind?: ReferralKind | undefined;
  note?: string | undefined;
}

export async function transition(db: Db, id: number, input: TransitionInput): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lock(tx, id, input.version);
    if (!isAllowed(row.status, input.to)) throw new TransitionConflict(row.status, input.to);
    const missing = missingForTransition({
      to: input.to,
      resolutionLevel: input.level,
      referralKind: input.referralKind,
    });
    if (missing) throw badRequest(missing.field, missing.message);
    const channel = input.channel ?? row.mediation_channel;
    const sets = ['status = $2', 'state_entered_at = app_now()', 'mediation_channel = $3'];
    const values: unknown[] = [input.to, channel];
    if (input.to === 'accepted') sets.push('accepted_at = app_now()');
    if (input.to === 'resolved') {
      values.push(input.level);
      sets.push('resolved_at = app_now()', `resolution_level = $${values.length + 1}`);
    }
    if (input.to === 'referred') {
      values.push(input.referralKind);
      sets.push(`referral_kind = $${values.length + 1}`);
      if (input.level) {
        values.push(input.level);
        sets.push(`resolution_level = $${values.length + 1}`);
      }
    }
    await bump(tx, id, sets.join(', '), values);
    await event(tx, {
      disputeId: id,
      kind: 'transition',
      fromStatus: row.status,
      toStatus: input.to,
      actor: input.actor,
      stationId: row.station_id,
      channel,
      level: input.level ?? null,
      referralKind: input.referralKind ?? null,
      note: input.note ?? '',
    });
  });
}

export interface HandoffInput {
  actor: string;
  version: number;
  toStationId: number;
  channel?: MediationChannel | undefined;
  level?: ResolutionLevel | undefined;
  note?: string | undefined;
}

/** A handoff names both sides: the station handing over and the one taking over (police ↔ judicial office). */
export async function handoff(db: Db, id: number, input: HandoffInput): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lock(tx, id, input.version);
    if (row.status !== 'reported' && row.status !== 'accepted' && row.status !== 'mediating') {
      throw conflict(`a ${row.status} case cannot be handed over; only open cases (reported, accepted, mediating)`);
    }
    if (row.station_id === null) throw conflict('the case has no handling station yet to hand it over from');
    if (row.station_id === input.toStationId) throw badRequest('toStationId', 'the case is already at that station');
    const to = await checkStation(tx, input.toStationId, 'toStationId');
    // Police take public-security mediation, the judicial office people's mediation, unless told otherwise.
    const channel =
      input.channel ??
      (to.kind === 'police_station' ? 'public_security' : to.kind === 'judicial_office' ? 'peoples' : 'joint');
    await bump(tx, id, 'station_id = $2, mediation_channel = $3', [input.toStationId, channel]);
    await event(tx, {
      disputeId: id,
      kind: 'handoff',
      fromStatus: row.status,
      toStatus: row.status,
      actor: input.actor,
      stationId: row.station_id,
      toStationId: input.toStationId,
      channel,
      level: input.level ?? null,
      note: input.note ?? '',
    });
  });
}

export interface AgreementInput {
  actor: string;
  version: number;
  agreedOn: string;
  kind: 'oral' | 'written' | 'judicially_confirmed';
  followUpOn?: string | undefined;
  note?: string | undefined;
}

export async function recordAgreement(db: Db, id: number, input: AgreementInput): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lock(tx, id, input.version);
    if (row.status !== 'resolved') throw conflict(`only a resolved case has an agreement; this one is ${row.status}`);
    if (input.followUpOn && input.followUpOn < input.agreedOn) {
      throw badRequest('followUpOn', 'the follow-up visit comes after the agreement');
    }
    await tx.query(
      `INSERT INTO case_agreements (dispute_id, agreed_on, kind, follow_up_on, note, actor) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, input.agreedOn, input.kind, input.followUpOn ?? null, input.note ?? '', input.actor],
    );
    await bump(tx, id, 'follow_up_on = $2', [input.followUpOn ?? null]);
    await event(tx, {
      disputeId: id,
      kind: 'agreement',
      actor: input.actor,
      note: input.note ?? '',
      details: { agreedOn: input.agreedOn, kind: input.kind, followUpOn: input.followUpOn ?? null },
    });
  });
}

export interface ReopenInput {
  actor: string;
  version: number;
  note?: string | undefined;
  riskLevel?: RiskLevel | undefined;
  threat?: boolean | undefined;
  injury?: boolean | undefined;
}

/** A case that flares up again: a new case linked to the old one, with the same place, category and parties. */
export async function reopenCase(db: Db, key: PartyKeys, id: number, input: ReopenInput): Promise<number> {
  const old = await db.transaction(async (tx) => {
    const row = await lock(tx, id, input.version);
    if (!canReopen(row.status)) throw conflict(`an open case (${row.status}) is not reopened; it goes on`);
    const { rows } = await tx.query<{
      risk_level: RiskLevel;
      lon: number;
      lat: number;
      summary: string;
      threat: boolean;
      injury: boolean;
    }>(`SELECT risk_level, ST_X(geom) AS lon, ST_Y(geom) AS lat, summary, threat, injury FROM disputes WHERE id = $1`, [
      id,
    ]);
    return { ...row, ...(rows[0] as NonNullable<(typeof rows)[0]>) };
  });
  const parties = await partiesInClear(db, key.ring, id);
  const newId = await createCase(db, key, {
    actor: input.actor,
    category: old.category,
    riskLevel: input.riskLevel ?? old.risk_level,
    lon: old.lon,
    lat: old.lat,
    summary: old.summary,
    stationId: old.station_id ?? undefined,
    channel: old.mediation_channel ?? undefined,
    threat: input.threat ?? old.threat,
    injury: input.injury ?? old.injury,
    parties: parties.map((p) => ({
      role: p.role,
      name: p.name,
      phone: p.phone ?? undefined,
      idNumber: p.idNumber ?? undefined,
    })),
    reopenedFromId: id,
    note: input.note,
  });
  await db.transaction(async (tx) => {
    await lock(tx, id, input.version);
    await bump(tx, id, '', []);
    await event(tx, {
      disputeId: id,
      kind: 'reopened',
      actor: input.actor,
      linkedDisputeId: newId,
      note: input.note ?? '',
    });
  });
  return newId;
}

export async function loadCase(db: Queryable, id: number) {
  const q = caseRow(id);
  const row = (await db.query<{ item: CaseRow }>(q.text, q.values)).rows[0]?.item;
  if (!row) throw notFound(`dispute ${id}`);
  return withScore(row);
}

/** The full case: row, escalation factors, masked parties, agreements, history, links, legal next moves. */
export async function caseDetail(db: Queryable, ring: Keyring, id: number) {
  const row = await loadCase(db, id);
  // Masked for every role; one party in clear only through POST …/parties/:partyId/reveal (audited).
  const parties = await maskedParties(db, ring, id);
  const a = caseAgreements(id);
  const e = caseEvents(id);
  const r = reopenedAs(id);
  const b = casesBrief(id, row.repeatIds);
  const [agreements, events, reopened, repeats] = [
    JSON.parse((await db.query<{ body: string }>(a.text, a.values)).rows[0]?.body ?? '[]'),
    JSON.parse((await db.query<{ body: string }>(e.text, e.values)).rows[0]?.body ?? '[]'),
    (await db.query(r.text, r.values)).rows,
    (await db.query(b.text, b.values)).rows,
  ];
  return {
    ...row,
    allowedTransitions: allowedTransitions(row.status),
    canReopen: canReopen(row.status),
    parties,
    agreements,
    events,
    reopenedAs: reopened.map((x) => ({ ...x, id: Number(x.id) })),
    repeats: repeats.map((x) => ({ ...x, id: Number(x.id) })),
  };
}
