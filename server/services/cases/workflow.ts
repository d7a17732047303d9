import {
  type CaseChanges,
  caseForReopen,
  type EventRow,
  insertAgreement,
  insertCase,
  insertEvent,
  lockCase,
  lockCaseNumbers,
  nextCaseNo,
  screeningItemExists,
  townPoliceStation,
  updateCase,
} from '../../db/queries/cases.js';
import type { Db, Queryable, Transaction } from '../../db/types.js';
import { allowedTransitions, canReopen, isAllowed, missingForTransition } from '../../domain/cases/state-machine.js';
import type { Keyring, PartyInput } from '../../domain/personal-data.js';
import type {
  DisputeCategory,
  DisputeStatus,
  MediationChannel,
  ReferralKind,
  ResolutionLevel,
  RiskLevel,
} from '../../domain/vocabulary.js';
import { Conflict, IllegalTransition, InvalidInput, NotFound, VersionConflict } from '../errors.js';
import { publishCaseEvent } from '../notifications/sources.js';
import { insertParties, partiesInClear } from '../personal-data/index.js';
import { evaluateAfterCaseWrite } from '../warnings/evaluate.js';
import {
  assertPlaceInScope,
  assertStationInScope,
  assertWholePoint,
  type CaseScope,
  checkStation,
  type Location,
  resolveLocation,
} from './place.js';

/**
 * The case workflow. Every command is ONE transaction: lock the case row, check the client's version
 * (optimistic concurrency: the second of two edits gets 409, nothing is lost), change the case, append the
 * event. Helpers take the command's `tx`; none opens a transaction of its own. The actor is the signed-in
 * caller's username, passed by the route (never a body field).
 */

/** Keys for parties: the keyed hash that matches them across cases, and the keyring that encrypts them at rest. */
export interface PartyKeys {
  hash: string;
  ring: Keyring;
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
  if (!row) throw new NotFound(`dispute ${id}`);
  if (row.version !== version) throw new VersionConflict('the case', row.version);
  return row;
}

async function change(tx: Queryable, id: number, changes: CaseChanges): Promise<void> {
  const q = updateCase(id, changes);
  await tx.query(q.text, q.values);
}

async function event(tx: Queryable, e: EventRow): Promise<void> {
  const q = insertEvent(e);
  const id = Number((await tx.query<{ id: number }>(q.text, q.values)).rows[0]?.id);
  // Every case write appends exactly one event: the people who must know hear of it in the same transaction.
  await publishCaseEvent(tx, id);
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

/** The station that takes a new case: the one named (checked against the scope), else the town's police. */
async function takingStation(tx: Queryable, input: CreateInput, townCode: string): Promise<number | null> {
  if (input.stationId !== undefined) {
    assertStationInScope(input.scope, await checkStation(tx, input.stationId, 'stationId'), 'stationId');
    return input.stationId;
  }
  const q = townPoliceStation(townCode);
  const row = (await tx.query<{ id: number }>(q.text, q.values)).rows[0];
  return row ? Number(row.id) : null;
}

/** Registers a case inside the caller's transaction (a reopen adds one to its own). */
async function createIn(tx: Queryable, key: PartyKeys, input: CreateInput): Promise<number> {
  assertWholePoint(input);
  const place = await resolveLocation(tx, input);
  assertPlaceInScope(input.scope, place, input);
  const stationId = await takingStation(tx, input, place.town_code);
  if (input.screeningItemId !== undefined) {
    const s = screeningItemExists(input.screeningItemId);
    if (!(await tx.query(s.text, s.values)).rows[0]) {
      throw new InvalidInput('screeningItemId', `no screening item ${input.screeningItemId}`);
    }
  }
  const l = lockCaseNumbers();
  await tx.query(l.text, l.values);
  const n = nextCaseNo();
  const caseNo = (await tx.query<{ case_no: string }>(n.text, n.values)).rows[0]?.case_no as string;
  const ins = insertCase({
    caseNo,
    category: input.category,
    riskLevel: input.riskLevel,
    channel: input.channel ?? null,
    lon: place.lon,
    lat: place.lat,
    villageCode: place.village_code,
    townCode: place.town_code,
    stationId,
    summary: input.summary ?? '',
    threat: input.threat ?? false,
    injury: input.injury ?? false,
    screeningItemId: input.screeningItemId ?? null,
    reopenedFromId: input.reopenedFromId ?? null,
    createdBy: input.actor,
  });
  const id = Number((await tx.query<{ id: number }>(ins.text, ins.values)).rows[0]?.id);
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
  await evaluateAfterCaseWrite(tx, id);
  return id;
}

export async function createCase(db: Db, key: PartyKeys, input: CreateInput): Promise<number> {
  return db.transaction((tx) => createIn(tx, key, input));
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

/** The plain fields an edit may change: body name → column. */
const EDITABLE = {
  category: 'category',
  riskLevel: 'risk_level',
  summary: 'summary',
  threat: 'threat',
  injury: 'injury',
  followUpOn: 'follow_up_on',
} as const;

export async function editCase(db: Db, id: number, input: EditInput): Promise<void> {
  await db.transaction(async (tx) => {
    await lock(tx, id, input.version);
    const changes: Required<Pick<CaseChanges, 'set'>> & CaseChanges = { set: {} };
    const changed: string[] = [];
    for (const [name, column] of Object.entries(EDITABLE)) {
      const value = input[name as keyof typeof EDITABLE];
      if (value === undefined) continue;
      changes.set[column] = value;
      changed.push(name);
    }
    if (input.lon !== undefined || input.lat !== undefined || input.villageCode !== undefined) {
      assertWholePoint(input);
      const place = await resolveLocation(tx, input);
      assertPlaceInScope(input.scope, place, input);
      changes.point = { lon: place.lon, lat: place.lat };
      changes.set.village_code = place.village_code;
      changes.set.town_code = place.town_code;
      changed.push('location', 'town');
    }
    if (changed.length === 0) throw new InvalidInput('body', 'nothing to change');
    await change(tx, id, changes);
    await event(tx, { disputeId: id, kind: 'edit', actor: input.actor, note: input.note ?? '', details: { changed } });
    await evaluateAfterCaseWrite(tx, id);
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

/** What moving to `input.to` writes besides the status: its stamps, and the level or kind it records. */
function transitionChanges(input: TransitionInput, channel: MediationChannel | null): CaseChanges {
  const set: CaseChanges['set'] = { status: input.to, mediation_channel: channel };
  const stamp: NonNullable<CaseChanges['stamp']>[number][] = ['state_entered_at'];
  if (input.to === 'accepted') stamp.push('accepted_at');
  if (input.to === 'resolved') {
    stamp.push('resolved_at');
    set.resolution_level = input.level;
  }
  if (input.to === 'referred') {
    set.referral_kind = input.referralKind;
    if (input.level) set.resolution_level = input.level;
  }
  return { set, stamp };
}

export async function transition(db: Db, id: number, input: TransitionInput): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lock(tx, id, input.version);
    if (!isAllowed(row.status, input.to)) {
      throw new IllegalTransition(row.status, input.to, allowedTransitions(row.status), 'to');
    }
    const missing = missingForTransition({
      to: input.to,
      resolutionLevel: input.level,
      referralKind: input.referralKind,
    });
    if (missing) throw new InvalidInput(missing.field, missing.message);
    const channel = input.channel ?? row.mediation_channel;
    await change(tx, id, transitionChanges(input, channel));
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
    await evaluateAfterCaseWrite(tx, id);
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

/** Police take public-security mediation, the judicial office people's mediation, unless told otherwise. */
const channelOfStation = (kind: string): MediationChannel =>
  kind === 'police_station' ? 'public_security' : kind === 'judicial_office' ? 'peoples' : 'joint';

/** A handoff names both sides: the station handing over and the one taking over (police ↔ judicial office). */
export async function handoff(db: Db, id: number, input: HandoffInput): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lock(tx, id, input.version);
    if (row.status !== 'reported' && row.status !== 'accepted' && row.status !== 'mediating') {
      throw new Conflict(`a ${row.status} case cannot be handed over; only open cases (reported, accepted, mediating)`);
    }
    if (row.station_id === null) throw new Conflict('the case has no handling station yet to hand it over from');
    if (row.station_id === input.toStationId) {
      throw new InvalidInput('toStationId', 'the case is already at that station');
    }
    const to = await checkStation(tx, input.toStationId, 'toStationId');
    const channel = input.channel ?? channelOfStation(to.kind);
    await change(tx, id, { set: { station_id: input.toStationId, mediation_channel: channel } });
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
    await evaluateAfterCaseWrite(tx, id);
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
    if (row.status !== 'resolved')
      throw new Conflict(`only a resolved case has an agreement; this one is ${row.status}`);
    if (input.followUpOn && input.followUpOn < input.agreedOn) {
      throw new InvalidInput('followUpOn', 'the follow-up visit comes after the agreement');
    }
    const a = insertAgreement({
      disputeId: id,
      agreedOn: input.agreedOn,
      kind: input.kind,
      followUpOn: input.followUpOn ?? null,
      note: input.note ?? '',
      actor: input.actor,
    });
    await tx.query(a.text, a.values);
    await change(tx, id, { set: { follow_up_on: input.followUpOn ?? null } });
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

interface Reopened {
  risk_level: RiskLevel;
  lon: number;
  lat: number;
  summary: string;
  threat: boolean;
  injury: boolean;
}

/**
 * A case that flares up again: a new case linked to the old one, with the same place, category and parties.
 * One transaction, the old case locked throughout: a concurrent edit either comes first (and the reopen gets
 * 409, creating nothing) or waits and gets 409 itself; never a new case whose old one was not marked.
 */
export async function reopenCase(db: Db, key: PartyKeys, id: number, input: ReopenInput): Promise<number> {
  return db.transaction((tx: Transaction) => reopenIn(tx, key, id, input));
}

/** The reopen inside a transaction the caller holds (a follow-up visit links the new case in the same one). */
export async function reopenIn(tx: Transaction, key: PartyKeys, id: number, input: ReopenInput): Promise<number> {
  const row = await lock(tx, id, input.version);
  if (!canReopen(row.status)) throw new Conflict(`an open case (${row.status}) is not reopened; it goes on`);
  const r = caseForReopen(id);
  const old = (await tx.query<Reopened>(r.text, r.values)).rows[0] as Reopened;
  const parties = await partiesInClear(tx, key.ring, id);
  const newId = await createIn(tx, key, {
    actor: input.actor,
    category: row.category,
    riskLevel: input.riskLevel ?? old.risk_level,
    lon: old.lon,
    lat: old.lat,
    summary: old.summary,
    stationId: row.station_id ?? undefined,
    channel: row.mediation_channel ?? undefined,
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
  await change(tx, id, {});
  await event(tx, {
    disputeId: id,
    kind: 'reopened',
    actor: input.actor,
    linkedDisputeId: newId,
    note: input.note ?? '',
  });
  return newId;
}
