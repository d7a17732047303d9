import Type, { type Static } from 'typebox';
import { Nullable } from './common.js';
import { mediatorKinds, meetingExpectations, meetingKinds, taskStatuses } from './vocabulary.js';

/** Answers of the joint and work meetings (联席会议 / 工作例会, /api/meetings/*). Mediators' names come masked. */

const Day = Type.String({ description: 'YYYY-MM-DD (China date)' });

export const MeetingSummary = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(meetingKinds),
  heldOn: Day,
  townCode: Nullable(Type.String({ description: 'null: a county meeting' })),
  townName: Nullable(Type.String()),
  title: Type.String(),
  synthetic: Type.Boolean({ description: 'a synthetic demo meeting' }),
  attendees: Type.Integer({ description: 'how many attended' }),
  cases: Type.Integer({ description: 'how many cases it discussed' }),
  decisions: Type.Integer({ description: 'how many decisions it took' }),
});
export type MeetingSummary = Static<typeof MeetingSummary>;

export const MeetingList = Type.Object({
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  items: Type.Array(MeetingSummary),
});
export type MeetingList = Static<typeof MeetingList>;

/** Someone who attended: a mediator of the register (name masked) or an account. */
export const MeetingAttendee = Type.Object({
  mediatorId: Type.Optional(Type.Integer()),
  accountId: Type.Optional(Type.Integer()),
  kind: Type.Optional(Nullable(Type.Enum(mediatorKinds))),
  role: Type.Optional(Nullable(Type.String())),
  name: Nullable(Type.String({ description: 'a mediator: masked; an account: its display name' })),
});
export type MeetingAttendee = Static<typeof MeetingAttendee>;

export const MeetingCase = Type.Object({
  id: Type.Integer(),
  caseNo: Type.String(),
  status: Type.String(),
  category: Type.String(),
  townCode: Type.String(),
});
export type MeetingCase = Static<typeof MeetingCase>;

export const MeetingDecision = Type.Object({
  id: Type.Integer(),
  position: Type.Integer(),
  text: Type.String(),
  stationId: Nullable(Type.Integer()),
  stationName: Nullable(Type.String()),
  dueOn: Nullable(Day),
  disputeId: Nullable(Type.Integer()),
  taskId: Nullable(Type.Integer({ description: 'the task the decision was handed out as' })),
  taskStatus: Nullable(Type.Enum(taskStatuses)),
});
export type MeetingDecision = Static<typeof MeetingDecision>;

/** One meeting; a create answers it with `replayed` (true: a retried create, the first meeting). */
export const MeetingDetail = Type.Object({
  ...MeetingSummary.properties,
  minutes: Type.String(),
  createdBy: Type.String(),
  attendees: Type.Array(MeetingAttendee),
  cases: Type.Array(MeetingCase),
  decisions: Type.Array(MeetingDecision),
  replayed: Type.Optional(Type.Boolean()),
});
export type MeetingDetail = Static<typeof MeetingDetail>;

export const RegularityFigures = Type.Object({
  every: Type.Enum(meetingExpectations),
  periods: Type.Array(
    Type.Object({ period: Type.String({ description: '2023-05 or 2023-Q2' }), meetings: Type.Integer() }),
  ),
  met: Type.Integer({ description: 'periods with at least one meeting' }),
  expected: Type.Integer(),
  rate: Type.Number({ description: 'met ÷ expected' }),
  lastHeldOn: Nullable(Day),
});
export type RegularityFigures = Static<typeof RegularityFigures>;

export const MeetingRegularity = Type.Object({
  today: Day,
  every: Type.Enum(meetingExpectations),
  towns: Type.Array(Type.Object({ townCode: Type.String(), townName: Type.String(), ...RegularityFigures.properties })),
  county: Nullable(RegularityFigures),
});
export type MeetingRegularity = Static<typeof MeetingRegularity>;

export const MeetingAttendeeOptions = Type.Object({
  accounts: Type.Array(Type.Object({ id: Type.Integer(), displayName: Type.String(), role: Type.String() })),
  mediators: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.Enum(mediatorKinds),
      stationName: Nullable(Type.String()),
      name: Type.String({ description: 'masked' }),
    }),
  ),
});
export type MeetingAttendeeOptions = Static<typeof MeetingAttendeeOptions>;
