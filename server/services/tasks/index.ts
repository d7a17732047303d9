import type { Principal } from '../../auth/roles.js';
import type { TaskDetail, TaskEvent, TaskFigures, TaskItem, TaskList } from '../../contract/tasks.js';
import {
  caseSubject,
  insertTask,
  insertTaskEvent,
  type LockedTask,
  lockTask,
  moveTask,
  pointInCounty,
  screenerBrief,
  stationBrief,
  type TaskFilter,
  type TaskReader,
  taskByClientKey,
  taskEvents,
  taskFigures,
  taskItem,
  taskList,
  today,
  villageAt,
  villageSubject,
} from '../../db/queries/tasks.js';
import type { Db, Queryable } from '../../db/types.js';
import {
  checkMove,
  missingForMove,
  movesFor,
  type TaskAction,
  type TaskSide,
  type TaskStatus,
  type TaskSubject,
} from '../../domain/tasks/state-machine.js';
import { Forbidden, IllegalTransition, InvalidInput, NotFound, VersionConflict } from '../errors.js';
import { publish } from '../notifications/publish.js';
import { lockWarningForTask, markWarningTasked, type WarningTaskSubject } from '../warnings/index.js';

/**
 * Dispatch and supervision (交办 / 督办 / 销号). One command = one transaction: the task row, its history step and
 * the notification to the other side commit together. The actor is always the signed-in caller.
 */

export interface CreateTaskInput {
  action: TaskAction;
  subjectKind: TaskSubject;
  villageCode?: string | undefined;
  disputeId?: number | undefined;
  warningId?: number | undefined;
  cellId?: string | undefined;
  cellSize?: number | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  assigneeStationId?: number | undefined;
  assigneeAccountId?: number | undefined;
  dueOn: string;
  instructions?: string | undefined;
  clientKey?: string | undefined;
}

const inTowns = (p: Principal, town: string) => p.towns === null || p.towns.includes(town);

export const readerOfTasks = (p: Principal): TaskReader => ({
  role: p.role,
  accountId: p.id,
  towns: p.towns,
  stationId: p.stationId,
});

async function one<T>(tx: Queryable, q: { text: string; values: unknown[] }): Promise<T | undefined> {
  return (await tx.query<T>(q.text, q.values)).rows[0];
}

interface Place {
  townCode: string;
  villageCode: string | null;
  lon: number;
  lat: number;
  disputeId: number | null;
  caseNo: string | null;
}

/** What the task is about, and where: from the case, the village, or the point (a cell's centre, a warning). */
async function placeOf(tx: Queryable, p: Principal, input: CreateTaskInput): Promise<Place> {
  const need = (field: keyof CreateTaskInput) => {
    if (input[field] === undefined) throw new InvalidInput(field, `a ${input.subjectKind} task names its ${field}`);
  };
  if (input.subjectKind === 'case') {
    need('disputeId');
    const c = await one<{
      id: number;
      case_no: string;
      town_code: string;
      village_code: string | null;
      lon: number;
      lat: number;
    }>(tx, caseSubject(input.disputeId as number));
    // A case outside the caller's town is answered as if it did not exist.
    if (!c || !inTowns(p, c.town_code)) throw new InvalidInput('disputeId', `no case ${input.disputeId} in your scope`);
    return {
      townCode: c.town_code,
      villageCode: c.village_code,
      lon: Number(c.lon),
      lat: Number(c.lat),
      disputeId: Number(c.id),
      caseNo: c.case_no,
    };
  }
  if (input.subjectKind === 'village' || (input.villageCode !== undefined && input.lon === undefined)) {
    need('villageCode');
    const v = await one<{ village_code: string; town_code: string; lon: number; lat: number }>(
      tx,
      villageSubject(input.villageCode as string),
    );
    if (!v) throw new InvalidInput('villageCode', `no village ${input.villageCode}`);
    if (!inTowns(p, v.town_code))
      throw new InvalidInput('villageCode', `village ${input.villageCode} is outside your scope`);
    return {
      townCode: v.town_code,
      villageCode: v.village_code,
      lon: Number(v.lon),
      lat: Number(v.lat),
      disputeId: null,
      caseNo: null,
    };
  }
  need('lon');
  need('lat');
  const v = await one<{ village_code: string; town_code: string }>(
    tx,
    villageAt(input.lon as number, input.lat as number),
  );
  if (!v) throw new InvalidInput('lon', `the point ${input.lon}, ${input.lat} is outside the county's villages`);
  if (!inTowns(p, v.town_code)) throw new InvalidInput('lon', 'the point is outside your scope');
  return {
    townCode: v.town_code,
    villageCode: v.village_code,
    lon: input.lon as number,
    lat: input.lat as number,
    disputeId: null,
    caseNo: null,
  };
}

/** A warning not yet turned into a task. */
type OpenWarning = Extract<WarningTaskSubject, { taskId: null }>;

/** A warning's task is about the warning's own place (its case, village or point), never one the client sends. */
function placeOfWarning(input: CreateTaskInput, w: OpenWarning): CreateTaskInput {
  const base = { ...input, disputeId: undefined, villageCode: undefined, lon: undefined, lat: undefined };
  if (w.disputeId !== null) return { ...base, subjectKind: 'case', disputeId: w.disputeId };
  if (w.villageCode !== null) return { ...base, subjectKind: 'village', villageCode: w.villageCode };
  return { ...base, lon: w.lon ?? undefined, lat: w.lat ?? undefined };
}

export function createTask(db: Db, p: Principal, input: CreateTaskInput): Promise<{ id: number; replayed: boolean }> {
  return db.transaction((tx) => createTaskIn(tx, p, input));
}

/** A warning's task locks its warning first (the subject, and who may turn it into a task); null for the others. */
async function warningOfTask(tx: Queryable, p: Principal, input: CreateTaskInput): Promise<WarningTaskSubject | null> {
  if (input.subjectKind !== 'warning') return null;
  if (input.warningId === undefined) throw new InvalidInput('warningId', 'a warning task names its warningId');
  return lockWarningForTask(tx, p, input.warningId);
}

/** The due date is today or later, in China time (the database's today). */
async function assertDueFromToday(tx: Queryable, dueOn: string) {
  const day = (await one<{ today: string }>(tx, today()))?.today as string;
  if (dueOn < day) throw new InvalidInput('dueOn', `the due date ${dueOn} is before today (${day})`);
}

/**
 * The one assignee, checked, by name (for the history): a station in the caller's towns, or an active field
 * screener who reports for the task's village.
 */
async function assigneeName(tx: Queryable, p: Principal, input: CreateTaskInput, place: Place): Promise<string> {
  const hasStation = input.assigneeStationId !== undefined;
  if (hasStation === (input.assigneeAccountId !== undefined)) {
    throw new InvalidInput('assigneeStationId', 'name one assignee: assigneeStationId or assigneeAccountId');
  }
  if (hasStation) {
    const s = await one<{ id: number; name: string; town_code: string }>(
      tx,
      stationBrief(input.assigneeStationId as number),
    );
    if (!s) throw new InvalidInput('assigneeStationId', `no station ${input.assigneeStationId}`);
    if (!inTowns(p, s.town_code)) {
      throw new InvalidInput('assigneeStationId', `station ${s.id} is in town ${s.town_code}, outside your scope`);
    }
    return s.name;
  }
  const a = await one<{ id: number; role: string; disabled: boolean; display_name: string; villages: string[] }>(
    tx,
    screenerBrief(input.assigneeAccountId as number),
  );
  if (a?.role !== 'screener' || a.disabled) {
    throw new InvalidInput('assigneeAccountId', `account ${input.assigneeAccountId} is not an active field screener`);
  }
  if (!place.villageCode || !a.villages.includes(place.villageCode)) {
    throw new InvalidInput('assigneeAccountId', `the screener does not report for village ${place.villageCode ?? '—'}`);
  }
  return a.display_name;
}

/** The task row as assigned by the caller; null when a parallel retry committed the same client key first. */
async function insertTaskRow(tx: Queryable, p: Principal, input: CreateTaskInput, place: Place) {
  return one<{ id: number }>(
    tx,
    insertTask({
      action: input.action,
      subjectKind: input.subjectKind,
      townCode: place.townCode,
      villageCode: place.villageCode,
      disputeId: place.disputeId,
      warningId: input.warningId ?? null,
      cellId: input.cellId ?? null,
      cellSize: input.cellSize ?? null,
      lon: place.lon,
      lat: place.lat,
      assigneeStationId: input.assigneeStationId ?? null,
      assigneeAccountId: input.assigneeAccountId ?? null,
      instructions: input.instructions ?? '',
      dueOn: input.dueOn,
      assignedById: p.id,
      assignedByName: p.displayName,
      assignedByRole: p.role,
      clientKey: input.clientKey ?? null,
    }),
  );
}

/** The task's first history step ('created', to assigned), then the notification to the assignee's side. */
async function recordAssigned(
  tx: Queryable,
  p: Principal,
  input: CreateTaskInput,
  place: Place,
  id: number,
  assignee: string,
) {
  await tx.query(
    ...args(
      insertTaskEvent({
        taskId: id,
        kind: 'created',
        fromStatus: null,
        toStatus: 'assigned',
        actorId: p.id,
        actorName: p.displayName,
        note: input.instructions ?? '',
        details: { assignee, dueOn: input.dueOn },
      }),
    ),
  );
  await publish(tx, {
    kind: 'task.assigned',
    level: 'town',
    townCode: place.townCode,
    villageCode: place.villageCode,
    stationId: input.assigneeStationId ?? null,
    disputeId: place.disputeId,
    taskId: id,
    warningId: input.warningId ?? null,
    title: 'task.assigned',
    params: {
      action: input.action,
      dueOn: input.dueOn,
      by: p.displayName,
      ...(place.caseNo ? { caseNo: place.caseNo } : {}),
    },
    addressed: input.assigneeAccountId !== undefined ? [input.assigneeAccountId] : [],
    actorId: p.id,
    dedupeKey: `task.assigned:${id}`,
  });
}

/**
 * The same command inside the caller's transaction (a meeting's decisions become tasks with the meeting): a
 * replay of its client key or of its warning's task answers that task; else the subject, the due date and the
 * assignee are checked, the task inserted, its warning marked tasked, its history begun and the assignee told.
 */
export async function createTaskIn(
  tx: Queryable,
  p: Principal,
  input: CreateTaskInput,
): Promise<{ id: number; replayed: boolean }> {
  if (p.role !== 'admin' && p.role !== 'leader' && p.role !== 'town_officer') {
    throw new Forbidden('only county and town users assign tasks');
  }
  if (input.clientKey) {
    const seen = await one<{ id: number }>(tx, taskByClientKey(input.clientKey));
    if (seen) return { id: Number(seen.id), replayed: true };
  }
  const w = await warningOfTask(tx, p, input);
  // The warning was turned into a task before (a retry, or a second click): that task, not a second one.
  if (w !== null && w.taskId !== null) return { id: w.taskId, replayed: true };
  const warning = w as OpenWarning | null;
  if (input.subjectKind === 'cell' && (input.cellId === undefined || input.cellSize === undefined)) {
    throw new InvalidInput(
      input.cellId === undefined ? 'cellId' : 'cellSize',
      'a cell task names its cellId and cellSize',
    );
  }
  const place = await placeOf(tx, p, warning ? placeOfWarning(input, warning) : input);
  await assertDueFromToday(tx, input.dueOn);
  const assignee = await assigneeName(tx, p, input, place);
  const row = await insertTaskRow(tx, p, input, place);
  if (!row) {
    // The same key committed by a parallel retry meanwhile.
    const seen = await one<{ id: number }>(tx, taskByClientKey(input.clientKey as string));
    return { id: Number(seen?.id), replayed: true };
  }
  const id = Number(row.id);
  if (warning) await markWarningTasked(tx, p, input.warningId as number, warning.status, id);
  await recordAssigned(tx, p, input, place, id, assignee);
  return { id, replayed: false };
}

const args = (q: { text: string; values: unknown[] }) => [q.text, q.values] as const;

/** Which sides of the task the caller is on: its assignee, its assigner (or a superior of the assigner's town). */
export function sidesOf(
  p: Principal,
  t: Pick<LockedTask, 'assignee_station_id' | 'assignee_account_id' | 'assigned_by_id' | 'town_code'>,
) {
  const sides = new Set<TaskSide>();
  if (p.role === 'station_staff' && p.stationId !== null && Number(t.assignee_station_id) === p.stationId)
    sides.add('assignee');
  if (p.role === 'screener' && Number(t.assignee_account_id) === p.id) sides.add('assignee');
  if (t.assigned_by_id !== null && Number(t.assigned_by_id) === p.id) sides.add('assigner');
  // The county supervises every task; a town's officers share their town's desk.
  if (p.role === 'admin' || p.role === 'leader' || (p.role === 'town_officer' && inTowns(p, t.town_code))) {
    sides.add('assigner');
  }
  return sides;
}

export interface MoveInput {
  to: TaskStatus;
  version: number;
  note?: string | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
}

const eventKind: Record<TaskStatus, 'accepted' | 'reported' | 'closed' | 'sent_back' | null> = {
  assigned: null,
  accepted: 'accepted',
  reported: 'reported',
  closed: 'closed',
  sent_back: 'sent_back',
};

/**
 * The task locked for a move: only if the caller sees it, at the version they saw, and the move legal and theirs
 * to make, with what it requires (a note).
 */
async function lockForMove(tx: Queryable, p: Principal, id: number, input: MoveInput): Promise<LockedTask> {
  const t = await one<LockedTask>(tx, lockTask(id));
  // Outside what the caller may see: as if it did not exist.
  if (!t || !(await visibleTo(tx, p, id))) throw new NotFound(`task ${id}`);
  if (t.version !== input.version) throw new VersionConflict('the task', t.version);
  const check = checkMove(t.status, input.to, sidesOf(p, t));
  if (!check.ok && check.reason === 'illegal') throw new IllegalTransition(t.status, input.to, check.allowed, 'to');
  if (!check.ok) throw new Forbidden(`only the task's ${check.by} moves it to ${input.to}`);
  const missing = missingForMove(input.to, input.note);
  if (missing) throw new InvalidInput(missing.field, missing.message);
  return t;
}

/** Whether the move carries a location: only a report back may, with both coordinates, inside the county. */
async function reportPoint(tx: Queryable, input: MoveInput): Promise<boolean> {
  const hasPoint = input.lon !== undefined || input.lat !== undefined;
  if (hasPoint) {
    if (input.to !== 'reported') throw new InvalidInput('lon', 'only a report back carries a location');
    if (input.lon === undefined || input.lat === undefined) {
      throw new InvalidInput(input.lon === undefined ? 'lon' : 'lat', 'give both lon and lat');
    }
    const inside = await one<{ inside: boolean }>(tx, pointInCounty(input.lon, input.lat));
    if (!inside?.inside) throw new InvalidInput('lon', `the point ${input.lon}, ${input.lat} is outside the county`);
  }
  return hasPoint;
}

type MoveEvent = NonNullable<(typeof eventKind)[TaskStatus]>;

/** The other side hears of it: the assigner of an acceptance or a report; the assignee of a close or a return. */
async function announceMove(tx: Queryable, p: Principal, t: LockedTask, id: number, to: TaskStatus, kind: MoveEvent) {
  const toAssigner = to === 'accepted' || to === 'reported';
  await publish(tx, {
    kind: `task.${kind}`,
    level: 'town',
    townCode: t.town_code,
    villageCode: t.village_code,
    stationId: toAssigner ? null : t.assignee_station_id,
    disputeId: t.dispute_id,
    taskId: id,
    warningId: t.warning_id,
    title: `task.${kind}`,
    params: { action: t.action, dueOn: t.due_on, by: p.displayName },
    addressed: toAssigner
      ? t.assigned_by_id !== null
        ? [Number(t.assigned_by_id)]
        : []
      : t.assignee_account_id !== null
        ? [Number(t.assignee_account_id)]
        : [],
    actorId: p.id,
  });
}

/** One move of a task, in one transaction: checked, the task moved, the step in its history, the other side told. */
export async function moveTaskTo(db: Db, p: Principal, id: number, input: MoveInput): Promise<void> {
  await db.transaction(async (tx) => {
    const t = await lockForMove(tx, p, id, input);
    const hasPoint = await reportPoint(tx, input);
    const note = input.note?.trim() ?? '';
    await tx.query(
      ...args(
        moveTask(
          id,
          input.to,
          input.to === 'reported' ? { note, lon: input.lon ?? null, lat: input.lat ?? null } : null,
        ),
      ),
    );
    const kind = eventKind[input.to] as MoveEvent;
    await tx.query(
      ...args(
        insertTaskEvent({
          taskId: id,
          kind,
          fromStatus: t.status,
          toStatus: input.to,
          actorId: p.id,
          actorName: p.displayName,
          note,
          details: hasPoint ? { lon: input.lon, lat: input.lat } : {},
        }),
      ),
    );
    await announceMove(tx, p, t, id, input.to, kind);
  });
}

async function visibleTo(tx: Queryable, p: Principal, id: number): Promise<boolean> {
  return (await tx.query(...args(taskItem(readerOfTasks(p), id)))).rows.length > 0;
}

/** A task as the item statement builds it, before the caller's moves. */
type TaskRow = Omit<TaskItem, 'allowedMoves'>;

/** The moves this caller may make now: what the web offers as buttons. */
const withMoves = (p: Principal, item: TaskRow): TaskItem => ({
  ...item,
  allowedMoves: movesFor(
    item.status,
    sidesOf(p, {
      assignee_station_id: item.assigneeStationId,
      assignee_account_id: item.assigneeAccountId,
      assigned_by_id: item.assignedById,
      town_code: item.townCode,
    }),
  ),
});

export async function listTasks(db: Queryable, p: Principal, filter: TaskFilter): Promise<TaskList> {
  const { rows } = await db.query<{ item: TaskRow; total: number }>(...args(taskList(readerOfTasks(p), filter)));
  return {
    total: Number(rows[0]?.total ?? 0),
    limit: filter.limit,
    offset: filter.offset,
    items: rows.map((r) => withMoves(p, r.item)),
  };
}

export async function taskDetail(db: Queryable, p: Principal, id: number): Promise<TaskDetail> {
  const item = (await db.query<{ item: TaskRow }>(...args(taskItem(readerOfTasks(p), id)))).rows[0]?.item;
  if (!item) throw new NotFound(`task ${id}`);
  const events = (await db.query<TaskEvent>(...args(taskEvents(id)))).rows;
  return { ...withMoves(p, item), events };
}

export async function figuresOfTasks(
  db: Queryable,
  by: 'town' | 'station',
  town: string | undefined,
): Promise<TaskFigures> {
  const rows = (
    await db.query<{
      key: string;
      name: string;
      town_code: string;
      issued: number;
      closed: number;
      closed_on_time: number;
      overdue: number;
      open: number;
    }>(...args(taskFigures(by, town)))
  ).rows;
  return {
    by,
    definitions: {
      issued: 'tasks assigned',
      closed: 'tasks closed by the assigner (销号)',
      closedOnTime: 'closed on or before the due date (China date)',
      overdue: 'still waiting on the assignee after the due date, today (app_now)',
    },
    units: rows.map((r) => ({
      key: r.key,
      name: r.name,
      townCode: r.town_code,
      issued: r.issued,
      closed: r.closed,
      closedOnTime: r.closed_on_time,
      overdue: r.overdue,
      open: r.open,
      onTimeRate: r.closed > 0 ? Math.round((r.closed_on_time / r.closed) * 1000) / 1000 : null,
    })),
  };
}
