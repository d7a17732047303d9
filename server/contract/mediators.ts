import Type, { type Static } from 'typebox';
import { Nullable, Rate } from './common.js';
import { mediatorKinds, registerRules, stationKinds } from './vocabulary.js';

/** Answers of the register of mediators and staff (/api/mediators/*, a case's mediators). Names come masked. */

const Day = Type.String({ description: 'YYYY-MM-DD (China date)' });
const Masked = Type.String({ description: 'the name, masked' });

export const MediatorItem = Type.Object({
  id: Type.Integer(),
  name: Masked,
  kind: Type.Enum(mediatorKinds),
  stationId: Nullable(Type.Integer()),
  stationName: Nullable(Type.String()),
  stationKind: Nullable(Type.Enum(stationKinds)),
  villageCode: Nullable(Type.String()),
  villageName: Nullable(Type.String()),
  townCode: Type.String(),
  townName: Type.String(),
  appointmentNo: Nullable(Type.String()),
  appointedBy: Nullable(Type.String()),
  appointedFrom: Nullable(Day),
  appointedTo: Nullable(Day),
  qualification: Nullable(Type.String()),
  qualificationExpiresOn: Nullable(Day),
  active: Type.Boolean(),
  synthetic: Type.Boolean({ description: 'a synthetic demo mediator' }),
  version: Type.Integer(),
  hoursThisYear: Type.Number({ description: 'training hours this year' }),
  figures: Type.Object({
    cases: Type.Integer({ description: 'cases named to the mediator' }),
    resolved: Type.Integer(),
    closed: Type.Integer({ description: 'resolved + failed + referred' }),
    successRate: Rate,
    meanDays: Nullable(Type.Number()),
    load: Type.Integer({ description: 'the open cases named to the mediator now' }),
  }),
});
export type MediatorItem = Static<typeof MediatorItem>;

export const MediatorList = Type.Object({
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  items: Type.Array(MediatorItem),
});
export type MediatorList = Static<typeof MediatorList>;

export const MediatorDetail = Type.Object({
  ...MediatorItem.properties,
  trainings: Type.Array(
    Type.Object({ id: Type.Integer(), trainedOn: Day, hours: Type.Number(), course: Type.String() }),
  ),
  recentCases: Type.Array(
    Type.Object({
      id: Type.Integer(),
      caseNo: Type.String(),
      status: Type.String(),
      category: Type.String(),
      townCode: Type.String(),
      reportedOn: Day,
    }),
  ),
});
export type MediatorDetail = Static<typeof MediatorDetail>;

/** A mediator named on a case. */
export const CaseMediator = Type.Object({
  id: Type.Integer(),
  name: Masked,
  kind: Type.Enum(mediatorKinds),
  townCode: Type.String(),
  stationId: Nullable(Type.Integer()),
  stationName: Nullable(Type.String()),
});
export type CaseMediator = Static<typeof CaseMediator>;

export const CaseMediators = Type.Array(CaseMediator);
export type CaseMediators = Static<typeof CaseMediators>;

export const RegisterCheckItem = Type.Object({
  rule: Type.Enum(registerRules),
  subject: Type.Enum(['mediator', 'station'] as const),
  subjectId: Type.Integer(),
  townCode: Type.String(),
  due: Nullable(Day),
  daysLeft: Nullable(Type.Integer({ description: 'negative: already past' })),
  hours: Type.Optional(Type.Number()),
  requiredHours: Type.Optional(Type.Number()),
  mediator: Type.Optional(
    Type.Object({ name: Masked, kind: Type.Enum(mediatorKinds), serves: Nullable(Type.String()) }),
  ),
  stationName: Type.Optional(Type.String()),
});
export type RegisterCheckItem = Static<typeof RegisterCheckItem>;

export const RegisterChecks = Type.Object({
  today: Day,
  withinDays: Type.Integer(),
  requiredHours: Type.Number(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'findings by rule' }),
  items: Type.Array(RegisterCheckItem),
});
export type RegisterChecks = Static<typeof RegisterChecks>;
