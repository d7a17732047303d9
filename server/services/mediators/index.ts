import type {
  CaseMediator,
  CaseMediators,
  MediatorDetail,
  MediatorItem,
  MediatorList,
  RegisterChecks,
} from '../../contract/mediators.js';
import {
  casesOfMediator,
  eligibleMediators,
  findingFacts,
  insertMediator,
  insertTraining,
  lockDispute,
  lockMediator,
  type MediatorColumns,
  type MediatorFilter,
  mediatorById,
  mediatorList,
  mediatorNames,
  mediatorsOfCase,
  mediatorTown,
  replaceCaseMediators,
  roomFacts,
  servingPlace,
  stationNames,
  today,
  trainingsOf,
  updateMediator,
} from '../../db/queries/mediators.js';
import { ruleThresholds } from '../../db/queries/warnings.js';
import type { Db, Queryable } from '../../db/types.js';
import {
  appointmentProblem,
  type MediatorFacts,
  type MediatorKind,
  type RegisterFinding,
  type RoomFacts,
  registerFindings,
  servingStationKinds,
} from '../../domain/people/register.js';
import { decryptField, encryptField, type Keyring, maskName } from '../../domain/personal-data.js';
import { type Thresholds, thresholdsOf } from '../../domain/warnings/rules.js';
import { Conflict, InvalidInput, NotFound, VersionConflict } from '../errors.js';
import { assertTown, type TownScope } from '../scope.js';

/**
 * The register of mediators and staff (issue 18). Names are encrypted at rest with the parties' keyring (field
 * 'mediator_name') and masked in every answer; `revealMediator` gives one in clear, and the route audits it.
 */

type StoredMediator = Omit<MediatorItem, 'id' | 'name' | 'figures' | 'stationId'> & {
  id: string | number;
  stationId: string | number | null;
  name_enc: string;
  cases: number | null;
  resolved: number | null;
  closed: number | null;
  open: number | null;
  meanDays: number | null;
  total?: number;
};

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

function present(ring: Keyring, r: StoredMediator): MediatorItem {
  const { name_enc, cases, resolved, closed, open, meanDays, total: _total, ...rest } = r;
  return {
    ...rest,
    id: Number(r.id),
    stationId: r.stationId === null ? null : Number(r.stationId),
    name: maskName(decryptField(ring, 'mediator_name', name_enc)),
    figures: {
      cases: cases ?? 0,
      resolved: resolved ?? 0,
      closed: closed ?? 0,
      /** Success rate = resolved ÷ closed, as the case figures define it. */
      successRate: rate(resolved ?? 0, closed ?? 0),
      meanDays: meanDays,
      /** Load: the open cases named to the mediator now. */
      load: open ?? 0,
    },
  };
}
export type MediatorView = ReturnType<typeof present>;

export async function listMediators(
  db: Queryable,
  ring: Keyring,
  f: MediatorFilter,
  limit: number,
  offset: number,
): Promise<MediatorList> {
  const q = mediatorList(f, limit, offset);
  const { rows } = await db.query<StoredMediator>(q.text, q.values);
  return { total: rows[0]?.total ?? 0, limit, offset, items: rows.map((r) => present(ring, r)) };
}

export async function mediatorDetail(
  db: Queryable,
  ring: Keyring,
  scope: TownScope,
  id: number,
): Promise<MediatorDetail> {
  const q = mediatorById(id);
  const row = (await db.query<StoredMediator>(q.text, q.values)).rows[0];
  if (!row) throw new NotFound(`mediator ${id}`);
  assertTown(scope, row.townCode, `mediator ${id}`);
  const t = trainingsOf(id);
  const c = casesOfMediator(id, 20);
  type Training = MediatorDetail['trainings'][number];
  type RecentCase = MediatorDetail['recentCases'][number];
  const [trainings, cases] = [
    (await db.query<Omit<Training, 'id'> & { id: string }>(t.text, t.values)).rows,
    (await db.query<Omit<RecentCase, 'id'> & { id: string }>(c.text, c.values)).rows,
  ];
  return {
    ...present(ring, row),
    trainings: trainings.map((x) => ({ ...x, id: Number(x.id) })),
    recentCases: cases.map((x) => ({ ...x, id: Number(x.id) })),
  };
}

/** One mediator's name in clear. The caller (the route) audits before answering. */
export async function revealMediator(db: Queryable, ring: Keyring, scope: TownScope, id: number) {
  const q = mediatorTown(id);
  const row = (await db.query<{ town_code: string; name_enc: string }>(q.text, q.values)).rows[0];
  if (!row) throw new NotFound(`mediator ${id}`);
  assertTown(scope, row.town_code, `mediator ${id}`);
  return { id, name: decryptField(ring, 'mediator_name', row.name_enc) };
}

export interface MediatorInput {
  name?: string | undefined;
  kind?: MediatorKind | undefined;
  stationId?: number | undefined;
  villageCode?: string | undefined;
  appointmentNo?: string | null | undefined;
  appointedBy?: string | null | undefined;
  appointedFrom?: string | null | undefined;
  appointedTo?: string | null | undefined;
  qualification?: string | null | undefined;
  qualificationExpiresOn?: string | null | undefined;
  active?: boolean | undefined;
}

async function placeOf(tx: Queryable, scope: TownScope, stationId: number | null, villageCode: string | null) {
  const field = stationId !== null ? 'stationId' : 'villageCode';
  const q = servingPlace(stationId, villageCode);
  const row = (await tx.query<{ town_code: string; kind: string }>(q.text, q.values)).rows[0];
  if (!row) throw new InvalidInput(field, stationId !== null ? `no station ${stationId}` : `no village ${villageCode}`);
  if (stationId !== null && !(servingStationKinds as readonly string[]).includes(row.kind)) {
    throw new InvalidInput(
      field,
      `a ${row.kind} has no mediators; name a joint mediation room, judicial office or police station`,
    );
  }
  // Outside the caller's towns: refused as a bad value of the field (the place exists, but is not theirs to staff).
  if (scope.towns !== null && !scope.towns.includes(row.town_code)) {
    throw new InvalidInput(field, `the place is in town ${row.town_code}, outside your scope`);
  }
  return row.town_code;
}

function checkAppointment(a: MediatorInput) {
  const p = appointmentProblem(a);
  if (p) throw new InvalidInput(p.field, p.message);
}

export async function createMediator(
  db: Db,
  ring: Keyring,
  scope: TownScope,
  actor: string,
  input: MediatorInput & { name: string; kind: MediatorKind },
): Promise<number> {
  if ((input.stationId === undefined) === (input.villageCode === undefined)) {
    throw new InvalidInput(
      'stationId',
      'give either stationId (a room or office) or villageCode (a village committee)',
    );
  }
  checkAppointment(input);
  return db.transaction(async (tx) => {
    const town = await placeOf(tx, scope, input.stationId ?? null, input.villageCode ?? null);
    const cols: MediatorColumns = {
      name_enc: encryptField(ring, 'mediator_name', input.name.trim()),
      kind: input.kind,
      station_id: input.stationId ?? null,
      village_code: input.villageCode ?? null,
      town_code: town,
      appointment_no: input.appointmentNo ?? null,
      appointed_by: input.appointedBy ?? null,
      appointed_from: input.appointedFrom ?? null,
      appointed_to: input.appointedTo ?? null,
      qualification: input.qualification ?? null,
      qualification_expires_on: input.qualificationExpiresOn ?? null,
      active: input.active ?? true,
    };
    const q = insertMediator(cols, actor);
    try {
      return Number((await tx.query<{ id: number }>(q.text, q.values)).rows[0]?.id);
    } catch (err) {
      throw duplicateAppointment(err);
    }
  });
}

function duplicateAppointment(err: unknown) {
  if ((err as { code?: string }).code === '23505') {
    return new Conflict('the committee already has an appointment with this number', 'appointmentNo');
  }
  return err;
}

export async function editMediator(
  db: Db,
  ring: Keyring,
  scope: TownScope,
  id: number,
  version: number,
  input: MediatorInput,
): Promise<void> {
  await db.transaction(async (tx) => {
    const l = lockMediator(id);
    const row = (
      await tx.query<{ town_code: string; version: number; station_id: number | null; village_code: string | null }>(
        l.text,
        l.values,
      )
    ).rows[0];
    if (!row) throw new NotFound(`mediator ${id}`);
    assertTown(scope, row.town_code, `mediator ${id}`);
    if (row.version !== version) throw new VersionConflict(`mediator ${id}`, row.version);
    const c: Partial<MediatorColumns> = {};
    if (input.name !== undefined) c.name_enc = encryptField(ring, 'mediator_name', input.name.trim());
    if (input.kind !== undefined) c.kind = input.kind;
    if (input.stationId !== undefined || input.villageCode !== undefined) {
      if (input.stationId !== undefined && input.villageCode !== undefined) {
        throw new InvalidInput('stationId', 'give either stationId or villageCode, not both');
      }
      c.town_code = await placeOf(tx, scope, input.stationId ?? null, input.villageCode ?? null);
      c.station_id = input.stationId ?? null;
      c.village_code = input.villageCode ?? null;
    }
    const keys = [
      ['appointmentNo', 'appointment_no'],
      ['appointedBy', 'appointed_by'],
      ['appointedFrom', 'appointed_from'],
      ['appointedTo', 'appointed_to'],
      ['qualification', 'qualification'],
      ['qualificationExpiresOn', 'qualification_expires_on'],
      ['active', 'active'],
    ] as const;
    for (const [from, to] of keys) if (input[from] !== undefined) (c as Record<string, unknown>)[to] = input[from];
    if (Object.keys(c).length === 0) throw new InvalidInput('body', 'nothing to change');
    const q = updateMediator(id, c);
    try {
      await tx.query(q.text, q.values);
    } catch (err) {
      // The dates in order are a CHECK: a change of one date against the stored other lands here.
      if ((err as { code?: string }).code === '23514') {
        throw new InvalidInput('appointedTo', 'the appointment ends before it starts, or has a number without a start');
      }
      throw duplicateAppointment(err);
    }
  });
}

export async function addTraining(
  db: Db,
  scope: TownScope,
  actor: string,
  id: number,
  t: { trainedOn: string; hours: number; course: string },
): Promise<number> {
  return db.transaction(async (tx) => {
    const l = lockMediator(id);
    const row = (await tx.query<{ town_code: string }>(l.text, l.values)).rows[0];
    if (!row) throw new NotFound(`mediator ${id}`);
    assertTown(scope, row.town_code, `mediator ${id}`);
    const d = today();
    const now = (await tx.query<{ today: string }>(d.text, d.values)).rows[0]?.today as string;
    if (t.trainedOn > now) throw new InvalidInput('trainedOn', 'a training is recorded once it has taken place');
    if (!t.course.trim()) throw new InvalidInput('course', 'name the course');
    const q = insertTraining(id, { ...t, course: t.course.trim() }, actor);
    return Number((await tx.query<{ id: number }>(q.text, q.values)).rows[0]?.id);
  });
}

/**
 * The register's findings of a town (or the county) on app_now()'s day, under the mediator_register warning
 * rule's thresholds: the checks list below and the early warnings (services/warnings) both read them here.
 */
export async function registerFindingsOf(
  db: Queryable,
  town: string | undefined,
  t: { withinDays: number; requiredHours: number },
): Promise<{ today: string; findings: RegisterFinding[] }> {
  const d = today();
  const now = (await db.query<{ today: string }>(d.text, d.values)).rows[0]?.today as string;
  const m = findingFacts(town);
  const r = roomFacts(town);
  const mediators = (await db.query<MediatorFacts & { id: string | number }>(m.text, m.values)).rows.map((x) => ({
    ...x,
    id: Number(x.id),
  }));
  const rooms = (await db.query<RoomFacts>(r.text, r.values)).rows.map((x) => ({ ...x, id: Number(x.id) }));
  return { today: now, findings: registerFindings(now, mediators, rooms, t) };
}

/** Mediators by id as lists show them: the name masked, the kind, the room or village they serve. */
export async function maskedMediators(
  db: Queryable,
  ring: Keyring,
  ids: readonly number[],
): Promise<Map<number, { name: string; kind: MediatorKind; serves: string | null }>> {
  if (ids.length === 0) return new Map();
  const n = mediatorNames(ids);
  const { rows } = await db.query<{
    id: string;
    name_enc: string;
    kind: MediatorKind;
    stationName: string | null;
    villageName: string | null;
  }>(n.text, n.values);
  return new Map(
    rows.map((x) => [
      Number(x.id),
      {
        name: maskName(decryptField(ring, 'mediator_name', x.name_enc)),
        kind: x.kind,
        serves: x.stationName ?? x.villageName,
      },
    ]),
  );
}

/**
 * The register's checks for a town (or the county): appointments and qualifications running out within the
 * rule's days of app_now(), rooms without an active judicial assistant, mediators below the county's yearly
 * training hours. Names masked.
 */
export async function registerChecks(db: Queryable, ring: Keyring, town: string | undefined): Promise<RegisterChecks> {
  const q = ruleThresholds('mediator_register');
  const stored = (await db.query<{ thresholds: Thresholds }>(q.text, q.values)).rows[0]?.thresholds;
  const { withinDays, requiredHours } = thresholdsOf('mediator_register', stored) as {
    withinDays: number;
    requiredHours: number;
  };
  const { today: now, findings } = await registerFindingsOf(db, town, { withinDays, requiredHours });
  const mIds = [...new Set(findings.filter((f) => f.subject === 'mediator').map((f) => f.subjectId))];
  const sIds = [...new Set(findings.filter((f) => f.subject === 'station').map((f) => f.subjectId))];
  const names = await maskedMediators(db, ring, mIds);
  const s = stationNames(sIds);
  const stations = new Map(
    (await db.query<{ id: number; name: string }>(s.text, s.values)).rows.map((x) => [Number(x.id), x.name]),
  );
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  return {
    today: now,
    withinDays,
    requiredHours,
    counts,
    items: findings.map((f: RegisterFinding) => ({
      ...f,
      ...(f.subject === 'mediator' ? { mediator: names.get(f.subjectId) } : { stationName: stations.get(f.subjectId) }),
    })),
  };
}

/** The mediators named on a case, masked. */
export async function caseMediators(db: Queryable, ring: Keyring, disputeId: number): Promise<CaseMediators> {
  const q = mediatorsOfCase(disputeId);
  const { rows } = await db.query<Omit<CaseMediator, 'id' | 'name'> & { id: string; name_enc: string }>(
    q.text,
    q.values,
  );
  return rows.map(({ name_enc, ...r }) => ({
    ...r,
    id: Number(r.id),
    name: maskName(decryptField(ring, 'mediator_name', name_enc)),
  }));
}

/**
 * Names the case's mediators (replacing the list): each active and serving the case's town or its station. An
 * id that is not is a 400 naming `mediatorIds`, and nothing changes.
 */
export async function setCaseMediators(db: Db, actor: string, disputeId: number, ids: readonly number[]) {
  const unique = [...new Set(ids)];
  await db.transaction(async (tx) => {
    const l = lockDispute(disputeId);
    if (!(await tx.query(l.text, l.values)).rows[0]) throw new NotFound(`dispute ${disputeId}`);
    const e = eligibleMediators(disputeId, unique);
    const ok = new Set((await tx.query<{ id: string }>(e.text, e.values)).rows.map((r) => Number(r.id)));
    const bad = unique.filter((id) => !ok.has(id));
    if (bad.length > 0) {
      throw new InvalidInput('mediatorIds', `not an active mediator of the case's town or station: ${bad.join(', ')}`);
    }
    for (const q of replaceCaseMediators(disputeId, unique, actor)) await tx.query(q.text, q.values);
  });
}
