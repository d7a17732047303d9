import Type, { type Static } from 'typebox';
import { Nullable, Rate } from './common.js';
import {
  confirmationResults,
  dossierItems,
  dossierStates,
  performances,
  satisfactions,
  windowStates,
} from './vocabulary.js';

/** Answers about the people around a case: its follow-up visits (回访) and its dossier (卷宗). */

const Day = Type.String({ description: 'YYYY-MM-DD (China date)' });

export const Visit = Type.Object({
  id: Type.Integer(),
  visitedOn: Day,
  mediatorId: Nullable(Type.Integer()),
  performance: Type.Enum(performances),
  satisfaction: Type.Enum(satisfactions),
  note: Type.String(),
  reopenedAsId: Nullable(Type.Integer({ description: 'the case this visit reopened the dispute as' })),
  reopenedAsCaseNo: Nullable(Type.String()),
  actor: Type.String(),
  synthetic: Type.Boolean({ description: 'a synthetic demo visit' }),
  offersReopen: Type.Boolean({ description: 'the visit found the agreement broken (or the parties not satisfied)' }),
});
export type Visit = Static<typeof Visit>;

/** A case's visits with its first visit's due date; a visit recorded answers it with `visitId` and `replayed`. */
export const CaseVisits = Type.Object({
  canVisit: Type.Boolean({ description: 'the case is resolved' }),
  firstVisitDue: Nullable(Day),
  firstVisitOverdue: Type.Boolean(),
  caseVersion: Type.Integer(),
  visits: Type.Array(Visit),
  visitId: Type.Optional(Type.Integer()),
  replayed: Type.Optional(Type.Boolean()),
});
export type CaseVisits = Static<typeof CaseVisits>;

export const DossierEntry = Type.Object({
  item: Type.Enum(dossierItems),
  state: Type.Enum(dossierStates),
  source: Type.Enum(['marked', 'derived'] as const),
  name: Type.String({ description: "the ministry's Chinese name of the item" }),
});
export type DossierEntry = Static<typeof DossierEntry>;

export const JudicialConfirmation = Type.Object({
  appliedOn: Day,
  court: Type.String(),
  result: Type.Enum(confirmationResults),
  decidedOn: Nullable(Day),
  version: Type.Integer(),
});
export type JudicialConfirmation = Static<typeof JudicialConfirmation>;

export const CaseDossier = Type.Object({
  items: Type.Array(DossierEntry),
  completeness: Type.Object({
    present: Type.Integer(),
    missing: Type.Integer(),
    rate: Rate,
  }),
  confirmation: Nullable(JudicialConfirmation),
  confirmationWindow: Type.Object({
    state: Type.Enum(windowStates),
    effectiveOn: Nullable(Day),
    deadline: Nullable(Day),
    daysLeft: Nullable(Type.Integer()),
    flagged: Type.Boolean(),
  }),
});
export type CaseDossier = Static<typeof CaseDossier>;
