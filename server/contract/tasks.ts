import Type, { type Static } from 'typebox';
import { LocalTime, Nullable, Position, Rate } from './common.js';
import { stationKinds, taskActions, taskStatuses, taskSubjects } from './vocabulary.js';

/** Answers of the tasks (交办 / 督办 / 销号, /api/tasks/*). */

const Day = Type.String({ description: 'YYYY-MM-DD (China date)' });

export const TaskItem = Type.Object({
  id: Type.Integer(),
  action: Type.Enum(taskActions),
  subjectKind: Type.Enum(taskSubjects),
  status: Type.Enum(taskStatuses),
  version: Type.Integer(),
  townCode: Type.String(),
  townName: Type.String(),
  villageCode: Nullable(Type.String()),
  villageName: Nullable(Type.String()),
  disputeId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  warningId: Nullable(Type.Integer()),
  cellId: Nullable(Type.String({ description: 'a hot-spot cell: its stored id' })),
  cellSize: Nullable(Type.Integer({ description: 'the cell’s size, metres' })),
  point: Position,
  assigneeKind: Type.Enum(['station', 'screener'] as const),
  assigneeStationId: Nullable(Type.Integer()),
  assigneeStationName: Nullable(Type.String()),
  assigneeStationKind: Nullable(Type.Enum(stationKinds)),
  assigneeAccountId: Nullable(Type.Integer()),
  assigneeName: Nullable(Type.String()),
  instructions: Type.String(),
  dueOn: Day,
  assignedById: Nullable(Type.Integer()),
  assignedByName: Type.String(),
  assignedByRole: Type.String(),
  reportNote: Nullable(Type.String()),
  /** Where the assignee reported back from, when they gave a location. */
  reportPoint: Nullable(Position),
  createdAt: LocalTime,
  closedAt: Nullable(LocalTime),
  overdue: Type.Boolean(),
  daysOverdue: Type.Integer(),
  escalated: Type.Boolean(),
  demo: Type.Boolean({ description: 'a synthetic demo task' }),
  allowedMoves: Type.Array(Type.Enum(taskStatuses), { description: 'the moves the caller may make now' }),
});
export type TaskItem = Static<typeof TaskItem>;

export const TaskList = Type.Object({
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  items: Type.Array(TaskItem),
});
export type TaskList = Static<typeof TaskList>;

export const TaskEvent = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(['created', 'accepted', 'reported', 'closed', 'sent_back', 'reminded', 'escalated'] as const),
  fromStatus: Nullable(Type.Enum(taskStatuses)),
  toStatus: Nullable(Type.Enum(taskStatuses)),
  actorName: Type.String(),
  note: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  at: LocalTime,
});
export type TaskEvent = Static<typeof TaskEvent>;

/** One task with its history; a create answers it with `replayed` (true: a retried create, the first task). */
export const TaskDetail = Type.Object({
  ...TaskItem.properties,
  events: Type.Array(TaskEvent),
  replayed: Type.Optional(Type.Boolean()),
});
export type TaskDetail = Static<typeof TaskDetail>;

export const TaskFigureUnit = Type.Object({
  key: Type.String({ description: 'town code, or station id' }),
  name: Type.String(),
  townCode: Type.String(),
  issued: Type.Integer(),
  closed: Type.Integer(),
  closedOnTime: Type.Integer(),
  overdue: Type.Integer(),
  open: Type.Integer(),
  onTimeRate: Rate,
});
export type TaskFigureUnit = Static<typeof TaskFigureUnit>;

export const TaskFigures = Type.Object({
  by: Type.Enum(['town', 'station'] as const),
  definitions: Type.Object({
    issued: Type.String(),
    closed: Type.String(),
    closedOnTime: Type.String(),
    overdue: Type.String(),
  }),
  units: Type.Array(TaskFigureUnit),
});
export type TaskFigures = Static<typeof TaskFigures>;

/** Who a task in a town can go to: its stations, and its field screeners with their villages. */
export const Assignees = Type.Object({
  stations: Type.Array(Type.Object({ id: Type.Integer(), kind: Type.Enum(stationKinds), name: Type.String() })),
  screeners: Type.Array(
    Type.Object({ id: Type.Integer(), displayName: Type.String(), villages: Nullable(Type.Array(Type.String())) }),
  ),
});
export type Assignees = Static<typeof Assignees>;
