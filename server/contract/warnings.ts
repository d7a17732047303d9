import Type, { type Static } from 'typebox';
import { LocalTime, Nullable, PointGeometry } from './common.js';
import { warningRuleCodes, warningStatuses } from './vocabulary.js';

/** Answers of the early warnings (预警, /api/warnings/*). */

const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
const Level = Type.Enum(['town', 'county'] as const);

export const WarningItem = Type.Object({
  id: Type.Integer(),
  rule: Type.Enum(warningRuleCodes),
  status: Type.Enum(warningStatuses),
  level: Level,
  period: Type.String({ description: 'the key a warning is raised once per: 2023-05, 2023-W20, a case…' }),
  townCode: Nullable(Type.String()),
  townName: Nullable(Type.String()),
  villageCode: Nullable(Type.String()),
  villageName: Nullable(Type.String()),
  stationId: Nullable(Type.Integer()),
  stationName: Nullable(Type.String()),
  disputeId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  category: Nullable(Type.String()),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  evidence: Type.Record(Type.String(), Type.Unknown(), { description: 'what made it fire (rule by rule)' }),
  /** A register warning about a person: their name, masked as the register lists it. */
  mediatorName: Type.Optional(Nullable(Type.String({ description: 'register warnings: the person, masked' }))),
  dismissReason: Nullable(Type.String()),
  taskId: Nullable(Type.Integer()),
  raisedAt: LocalTime,
  updatedAt: LocalTime,
  updatedBy: Nullable(Type.String()),
  version: Type.Integer(),
});
export type WarningItem = Static<typeof WarningItem>;

export const WarningList = Type.Object({
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  byRule: Type.Record(Type.String(), Type.Integer(), { description: 'totals by rule code' }),
  byStatus: Type.Record(Type.String(), Type.Integer(), { description: 'totals by status' }),
  items: Type.Array(WarningItem),
});
export type WarningList = Static<typeof WarningList>;

/** One warning, with the moves its status allows (acknowledge, dismiss, task). */
export const WarningDetail = Type.Object({
  ...WarningItem.properties,
  allowedMoves: Type.Array(Type.Enum(warningStatuses)),
});
export type WarningDetail = Static<typeof WarningDetail>;

export const ThresholdLimit = Type.Object({
  min: Type.Number(),
  max: Type.Number(),
  oneOf: Type.Optional(Type.Array(Type.Number(), { description: 'the only values allowed' })),
  unit: Type.String(),
});

export const WarningRule = Type.Object({
  code: Type.Enum(warningRuleCodes),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  updatedAt: LocalTime,
  updatedBy: Nullable(Type.String()),
  thresholds: Type.Record(Type.String(), Type.Number(), { description: 'the thresholds in force' }),
  limits: Type.Record(Type.String(), ThresholdLimit),
  defaults: Type.Record(Type.String(), Type.Number()),
  timeBased: Type.Boolean({ description: 'time alone makes it fire: the scheduler evaluates it' }),
  caseDriven: Type.Boolean({ description: 'a case write changes its inputs: evaluated with the write' }),
  name: Bilingual,
  definition: Bilingual,
});
export type WarningRule = Static<typeof WarningRule>;

export const WarningRules = Type.Object({ rules: Type.Array(WarningRule) });
export type WarningRules = Static<typeof WarningRules>;

export const WarningEvaluation = Type.Object({
  raised: Type.Integer({ description: 'warnings this evaluation raised' }),
  fired: Type.Record(Type.String(), Type.Integer(), { description: 'warnings that fired per rule, new or not' }),
  period: Type.Object({ day: Type.String(), week: Type.String(), month: Type.String() }),
});
export type WarningEvaluation = Static<typeof WarningEvaluation>;

/** The warnings layer (format=geojson): one point per warning with a place. */
export const WarningFeatureProperties = Type.Object({
  id: Type.Integer(),
  rule: Type.Enum(warningRuleCodes),
  status: Type.Enum(warningStatuses),
  level: Level,
  townCode: Nullable(Type.String()),
  villageCode: Nullable(Type.String()),
  stationId: Nullable(Type.Integer()),
  disputeId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  raisedAt: LocalTime,
});
export type WarningFeatureProperties = Static<typeof WarningFeatureProperties>;

export const WarningCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.Integer(),
      geometry: PointGeometry,
      properties: WarningFeatureProperties,
    }),
  ),
});
export type WarningCollection = Static<typeof WarningCollection>;
