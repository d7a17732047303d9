import type { Principal } from '../../auth/roles.js';
import type {
  MeetingAttendee,
  MeetingAttendeeOptions,
  MeetingCase,
  MeetingDecision,
  MeetingDetail,
  MeetingList,
  MeetingRegularity,
  MeetingSummary,
} from '../../contract/meetings.js';
import { setting, today } from '../../db/queries/mediators.js';
import {
  attendeeAccounts,
  attendeeMediators,
  insertAttendees,
  insertDecision,
  insertMeeting,
  insertMeetingCases,
  knownAccounts,
  knownIn,
  type MeetingFilter,
  meetingAttendees,
  meetingById,
  meetingByKey,
  meetingCases,
  meetingDates,
  meetingDecisions,
  meetingList,
  stationVillage,
  towns,
} from '../../db/queries/meetings.js';
import type { Db, Queryable } from '../../db/types.js';
import {
  type MeetingExpectation,
  type MeetingKind,
  meetingExpectations,
  regularity,
} from '../../domain/people/meetings.js';
import { decryptField, type Keyring, maskName } from '../../domain/personal-data.js';
import type { TaskAction } from '../../domain/tasks/state-machine.js';
import { InvalidInput, NotFound } from '../errors.js';
import { assertTown, type TownScope } from '../scope.js';
import { createTaskIn } from '../tasks/index.js';

/**
 * Joint meetings and work meetings: record one (attendees, cases discussed, decisions, minutes) in one
 * transaction, list them, and how regularly each town met against the county's expectation. A decision names
 * the station that carries it out (and may be turned into a task by the task service).
 */

type SummaryRow = Omit<MeetingSummary, 'id'> & { id: string };

export async function listMeetings(
  db: Queryable,
  f: MeetingFilter,
  limit: number,
  offset: number,
): Promise<MeetingList> {
  const q = meetingList(f, limit, offset);
  const rows = (await db.query<SummaryRow & { total: number }>(q.text, q.values)).rows;
  return {
    total: rows[0]?.total ?? 0,
    limit,
    offset,
    items: rows.map(({ total: _t, ...r }) => ({ ...r, id: Number(r.id) })),
  };
}

export async function meetingDetail(
  db: Queryable,
  ring: Keyring,
  scope: TownScope,
  id: number,
): Promise<MeetingDetail> {
  const q = meetingById(id);
  const row = (await db.query<SummaryRow & { minutes: string; createdBy: string }>(q.text, q.values)).rows[0];
  if (!row) throw new NotFound(`meeting ${id}`);
  // A county meeting is the county's: a town-scoped caller is not told it exists.
  if (row.townCode === null ? scope.towns !== null : false) throw new NotFound(`meeting ${id}`);
  if (row.townCode !== null) assertTown(scope, row.townCode, `meeting ${id}`);
  const a = meetingAttendees(id);
  const c = meetingCases(id);
  const d = meetingDecisions(id);
  const attendees = (
    await db.query<{
      mediatorId: string | null;
      accountId: string | null;
      name_enc: string | null;
      kind: MeetingAttendee['kind'];
      displayName: string | null;
      role: string | null;
    }>(a.text, a.values)
  ).rows.map(
    (x): MeetingAttendee =>
      x.mediatorId !== null
        ? {
            mediatorId: Number(x.mediatorId),
            kind: x.kind,
            name: maskName(decryptField(ring, 'mediator_name', x.name_enc as string)),
          }
        : { accountId: Number(x.accountId), role: x.role, name: x.displayName },
  );
  const cases = (await db.query<Omit<MeetingCase, 'id'> & { id: string }>(c.text, c.values)).rows.map((x) => ({
    ...x,
    id: Number(x.id),
  }));
  type DecisionRow = Omit<MeetingDecision, 'id' | 'disputeId' | 'taskId'> & {
    id: string;
    disputeId: string | null;
    taskId: string | null;
  };
  const decisions = (await db.query<DecisionRow>(d.text, d.values)).rows.map((x) => ({
    ...x,
    id: Number(x.id),
    disputeId: x.disputeId === null ? null : Number(x.disputeId),
    taskId: x.taskId === null ? null : Number(x.taskId),
  }));
  return { ...row, id: Number(row.id), attendees, cases, decisions };
}

export interface MeetingInput {
  kind: MeetingKind;
  heldOn: string;
  /** Absent: the caller's own town for a town-scoped caller, the county for a county one. */
  townCode?: string | null | undefined;
  title: string;
  minutes?: string | undefined;
  mediatorIds?: number[] | undefined;
  accountIds?: number[] | undefined;
  caseIds?: number[] | undefined;
  decisions?:
    | {
        text: string;
        stationId?: number | undefined;
        dueOn?: string | undefined;
        disputeId?: number | undefined;
        /** Hand the decision to its station as a task (交办), in the meeting's transaction. */
        task?: { action: TaskAction } | undefined;
      }[]
    | undefined;
  clientKey?: string | undefined;
}

async function assertKnown(
  tx: Queryable,
  table: 'mediators' | 'disputes' | 'stations',
  ids: readonly number[],
  town: string | null,
  field: string,
) {
  if (ids.length === 0) return;
  const q = knownIn(table, ids, town);
  const ok = new Set((await tx.query<{ id: string }>(q.text, q.values)).rows.map((r) => Number(r.id)));
  const bad = ids.filter((id) => !ok.has(id));
  if (bad.length > 0) {
    throw new InvalidInput(field, `not ${town ? `of town ${town}` : 'known'}: ${bad.join(', ')}`);
  }
}

/**
 * The meeting's town: the one given (null: the county's), or by default the caller's own town for a caller of one
 * town, the county for a county one. A town-scoped caller records only meetings of their towns.
 */
function meetingTown(scope: TownScope, input: MeetingInput): string | null {
  let town: string | null;
  if (input.townCode === undefined) town = scope.towns?.length === 1 ? (scope.towns[0] as string) : null;
  else town = input.townCode;
  if (town === null && scope.towns !== null)
    throw new InvalidInput('townCode', 'a county meeting is recorded by the county');
  if (town !== null && scope.towns !== null && !scope.towns.includes(town)) {
    throw new InvalidInput('townCode', `town ${town} is outside your scope`);
  }
  return town;
}

type Decision = NonNullable<MeetingInput['decisions']>[number];

/** What the meeting names exists, in its town: the town itself, the mediators and accounts attending, the cases. */
async function assertNamesKnown(
  tx: Queryable,
  town: string | null,
  ids: { mediatorIds: number[]; accountIds: number[]; caseIds: number[] },
) {
  if (town !== null) {
    const t = towns(town);
    if (!(await tx.query(t.text, t.values)).rows[0]) throw new InvalidInput('townCode', `no town ${town}`);
  }
  await assertKnown(tx, 'mediators', ids.mediatorIds, town, 'mediatorIds');
  await assertKnown(tx, 'disputes', ids.caseIds, town, 'caseIds');
  if (ids.accountIds.length > 0) {
    const q = knownAccounts(ids.accountIds, town);
    const ok = new Set((await tx.query<{ id: string }>(q.text, q.values)).rows.map((r) => Number(r.id)));
    const bad = ids.accountIds.filter((id) => !ok.has(id));
    if (bad.length > 0)
      throw new InvalidInput('accountIds', `not an account of this meeting's town: ${bad.join(', ')}`);
  }
}

/**
 * Each decision says what was decided, is due after the meeting, names a station and case of the town; one handed
 * out as a task names its station and a due date from today.
 */
async function assertDecisions(tx: Queryable, decisions: Decision[], town: string | null, heldOn: string, now: string) {
  for (const [i, dec] of decisions.entries()) {
    if (!dec.text.trim()) throw new InvalidInput(`decisions.${i}.text`, 'say what was decided');
    if (dec.dueOn && dec.dueOn < heldOn) throw new InvalidInput(`decisions.${i}.dueOn`, 'due after the meeting');
    if (dec.stationId !== undefined)
      await assertKnown(tx, 'stations', [dec.stationId], town, `decisions.${i}.stationId`);
    if (dec.disputeId !== undefined)
      await assertKnown(tx, 'disputes', [dec.disputeId], town, `decisions.${i}.disputeId`);
    if (dec.task) {
      if (dec.stationId === undefined)
        throw new InvalidInput(`decisions.${i}.stationId`, 'a decision handed out as a task names its station');
      if (dec.dueOn === undefined)
        throw new InvalidInput(`decisions.${i}.dueOn`, 'a decision handed out as a task has a due date');
      if (dec.dueOn < now) throw new InvalidInput(`decisions.${i}.dueOn`, `a task is due from today (${now})`);
    }
  }
}

/** The decisions in their order, numbered from 1, each handed out as its task first when it asks to be. */
async function insertDecisions(tx: Queryable, caller: Principal, meetingId: number, decisions: Decision[]) {
  for (const [i, dec] of decisions.entries()) {
    const taskId = dec.task ? await decisionTask(tx, caller, i, dec, dec.task.action) : null;
    const q = insertDecision(meetingId, i + 1, {
      text: dec.text.trim(),
      stationId: dec.stationId ?? null,
      dueOn: dec.dueOn ?? null,
      disputeId: dec.disputeId ?? null,
      taskId,
    });
    await tx.query(q.text, q.values);
  }
}

/**
 * Records a meeting in one transaction: a replay of its client key answers the meeting recorded; else everything
 * it names is checked, then the meeting, its attendees, its cases and its decisions (and their tasks) inserted.
 */
export async function recordMeeting(db: Db, caller: Principal, actor: string, input: MeetingInput) {
  const town = meetingTown(caller, input);
  if (!input.title.trim()) throw new InvalidInput('title', 'give the meeting a title');
  const uniq = (xs: number[] | undefined) => [...new Set(xs ?? [])];
  const ids = {
    mediatorIds: uniq(input.mediatorIds),
    accountIds: uniq(input.accountIds),
    caseIds: uniq(input.caseIds),
  };
  const decisions = input.decisions ?? [];
  return db.transaction(async (tx) => {
    if (input.clientKey) {
      const k = meetingByKey(input.clientKey);
      const hit = (await tx.query<{ id: string }>(k.text, k.values)).rows[0];
      if (hit) return { id: Number(hit.id), replayed: true };
    }
    const d = today();
    const now = (await tx.query<{ today: string }>(d.text, d.values)).rows[0]?.today as string;
    if (input.heldOn > now) throw new InvalidInput('heldOn', 'a meeting is recorded once it has been held');
    await assertNamesKnown(tx, town, ids);
    await assertDecisions(tx, decisions, town, input.heldOn, now);
    const m = insertMeeting({
      kind: input.kind,
      heldOn: input.heldOn,
      townCode: town,
      title: input.title.trim(),
      minutes: input.minutes ?? '',
      clientKey: input.clientKey ?? null,
      actor,
    });
    const id = Number((await tx.query<{ id: string }>(m.text, m.values)).rows[0]?.id);
    for (const q of insertAttendees(id, ids.mediatorIds, ids.accountIds)) await tx.query(q.text, q.values);
    const c = insertMeetingCases(id, ids.caseIds);
    await tx.query(c.text, c.values);
    await insertDecisions(tx, caller, id, decisions);
    return { id, replayed: false };
  });
}

/** The task a decision becomes: about its case, or else the station's village; the decision is its instructions.
 * The task service's own checks name the decision's field. */
async function decisionTask(
  tx: Queryable,
  caller: Principal,
  i: number,
  dec: { text: string; stationId?: number | undefined; dueOn?: string | undefined; disputeId?: number | undefined },
  action: TaskAction,
): Promise<number> {
  let villageCode: string | undefined;
  if (dec.disputeId === undefined) {
    const v = stationVillage(dec.stationId as number);
    villageCode = (await tx.query<{ code: string }>(v.text, v.values)).rows[0]?.code;
    if (!villageCode) throw new InvalidInput(`decisions.${i}.stationId`, 'the station has no village to work in');
  }
  try {
    const t = await createTaskIn(tx, caller, {
      action,
      subjectKind: dec.disputeId === undefined ? 'village' : 'case',
      disputeId: dec.disputeId,
      villageCode,
      assigneeStationId: dec.stationId,
      dueOn: dec.dueOn as string,
      instructions: dec.text.trim(),
    });
    return t.id;
  } catch (e) {
    if (e instanceof InvalidInput && e.field) {
      const field = e.field === 'assigneeStationId' ? 'stationId' : e.field;
      throw new InvalidInput(`decisions.${i}.${field}`, e.message.replace(/^[^:]*: /, ''));
    }
    throw e;
  }
}

/** Mediators and accounts to offer as attendees of a town's (or the county's) meeting; names masked. */
export async function attendeeOptions(
  db: Queryable,
  ring: Keyring,
  town: string | undefined,
): Promise<MeetingAttendeeOptions> {
  const q = attendeeAccounts(town);
  const accounts = (await db.query<{ id: string; displayName: string; role: string }>(q.text, q.values)).rows.map(
    (r) => ({ ...r, id: Number(r.id) }),
  );
  const m = attendeeMediators(town);
  type MediatorRow = { id: string; name_enc: string; kind: MeetingAttendeeOptions['mediators'][number]['kind'] };
  const { rows } = await db.query<MediatorRow & { stationName: string | null }>(m.text, m.values);
  return {
    accounts,
    mediators: rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      stationName: r.stationName,
      name: maskName(decryptField(ring, 'mediator_name', r.name_enc)),
    })),
  };
}

export async function meetingRegularity(db: Queryable, town: string | undefined): Promise<MeetingRegularity> {
  const s = setting('joint_meeting_expected_every');
  const raw = (await db.query<{ value: string }>(s.text, s.values)).rows[0]?.value;
  const every: MeetingExpectation = (meetingExpectations as readonly string[]).includes(raw ?? '')
    ? (raw as MeetingExpectation)
    : 'month';
  const d = today();
  const now = (await db.query<{ today: string }>(d.text, d.values)).rows[0]?.today as string;
  const q = meetingDates(town);
  const dates = new Map(
    (await db.query<{ townCode: string | null; days: string[] }>(q.text, q.values)).rows.map((r) => [
      r.townCode,
      r.days,
    ]),
  );
  const t = towns(town);
  const list = (await db.query<{ code: string; name: string }>(t.text, t.values)).rows;
  return {
    today: now,
    every,
    towns: list.map((x) => ({
      townCode: x.code,
      townName: x.name,
      ...regularity(now, every, dates.get(x.code) ?? []),
    })),
    county: town ? null : regularity(now, every, dates.get(null) ?? []),
  };
}
