import Type, { type Static, type TLiteral, type TUnion } from 'typebox';
import {
  FeatureCollection,
  KpiProperties,
  LocalTime,
  Nullable,
  PointGeometry,
  PolygonGeometry,
  Rate,
} from './common.js';
import { disputeCategories, disputeStatuses, riskLevels } from './vocabulary.js';

/** Answers of /api/analytics/* (the statistics pages). */

// The cast gives the union its literal members: `Type.Union` of a mapped array statics to never.
const Enum = <const T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;

const CellMeta = {
  cellSize: Type.Integer({ description: 'hexagon centre-to-corner distance used, metres' }),
  requestedCellSize: Type.Number({ description: 'the size asked for (or suggested by the zoom), before snapping' }),
};

export const HotspotsResponse = FeatureCollection(
  PolygonGeometry,
  Type.Object({
    q: Type.Integer(),
    r: Type.Integer(),
    count: Type.Integer(),
    z: Type.Number({ description: 'Gi* z-score' }),
    p: Type.Number({ description: 'two-sided p-value' }),
    bin: Type.Integer({ minimum: -3, maximum: 3, description: '±3/±2/±1 hot or cold at 99/95/90 % after FDR' }),
  }),
  Type.Object({
    source: Enum(['disputes', 'risks'] as const),
    ...CellMeta,
    neighbourhood: Type.String(),
    studyCells: Type.Integer(),
    hot99: Type.Integer(),
    hot95: Type.Integer(),
    hot90: Type.Integer(),
    cold99: Type.Integer(),
    cold95: Type.Integer(),
    cold90: Type.Integer(),
  }),
);
export type HotspotsResponse = Static<typeof HotspotsResponse>;

export const DensityResponse = FeatureCollection(
  PointGeometry,
  Type.Object({ count: Type.Integer(), weight: Type.Number({ minimum: 0, maximum: 1 }) }),
  Type.Object({ ...CellMeta, max: Type.Integer() }),
);
export type DensityResponse = Static<typeof DensityResponse>;

export const emergingPatterns = ['new', 'intensifying', 'persistent', 'diminishing'] as const;
export const EmergingResponse = FeatureCollection(
  PolygonGeometry,
  Type.Object({
    q: Type.Integer(),
    r: Type.Integer(),
    count: Type.Integer(),
    recent: Type.Integer(),
    earlier: Type.Integer(),
    bin: Type.Integer(),
    pattern: Enum(emergingPatterns),
    trendZ: Type.Number(),
    trendP: Type.Number(),
  }),
  Type.Object({
    ...CellMeta,
    neighbourhood: Type.String(),
    firstMonth: Nullable(Type.String({ description: 'YYYY-MM' })),
    lastMonth: Nullable(Type.String({ description: 'YYYY-MM' })),
  }),
);
export type EmergingResponse = Static<typeof EmergingResponse>;

const OpenCounts = Type.Object({
  code: Type.String(),
  name: Type.String(),
  parentCode: Nullable(Type.String()),
  open: Type.Integer(),
  overdue: Type.Integer(),
});

export const UnresolvedResponse = Type.Object({
  cases: FeatureCollection(
    PointGeometry,
    Type.Object({
      id: Type.Integer(),
      caseNo: Type.String(),
      category: Enum(disputeCategories),
      riskLevel: Enum(riskLevels),
      status: Enum(disputeStatuses),
      townCode: Type.String(),
      townName: Type.String(),
      villageCode: Nullable(Type.String()),
      villageName: Nullable(Type.String()),
      reportedAt: Type.String({ description: 'YYYY-MM-DD, China Standard Time' }),
      ageDays: Type.Integer(),
      limitDays: Type.Integer(),
      overdue: Type.Boolean(),
    }),
    Type.Optional(Type.Object({})),
  ),
  towns: Type.Array(OpenCounts),
  villages: Type.Array(OpenCounts),
});
export type UnresolvedResponse = Static<typeof UnresolvedResponse>;

export const UnitsResponse = Type.Object({
  level: Enum(['town', 'village'] as const),
  units: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      parentCode: Nullable(Type.String()),
      overdue: Type.Integer(),
      ...KpiProperties,
    }),
  ),
});
export type UnitsResponse = Static<typeof UnitsResponse>;

const LevelProperties = {
  found: Type.Integer(),
  resolved: Type.Integer(),
  resolvedAtVillage: Type.Integer(),
  resolvedAtTown: Type.Integer(),
  resolvedAtCounty: Type.Integer(),
  successRate: Rate,
  villageLevelRate: Rate,
  townLevelRate: Rate,
};
export const ResolutionLevelsResponse = Type.Object({
  county: Type.Object(LevelProperties),
  towns: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ...LevelProperties })),
});
export type ResolutionLevelsResponse = Static<typeof ResolutionLevelsResponse>;

export const MonthlyResponse = Type.Object({
  months: Type.Array(Type.String({ description: 'YYYY-MM' })),
  series: Type.Array(
    Type.Object({
      town: Nullable(Type.String()),
      found: Type.Array(Type.Integer()),
      resolved: Type.Array(Type.Integer()),
      open: Type.Array(Type.Integer()),
    }),
  ),
});
export type MonthlyResponse = Static<typeof MonthlyResponse>;

export const WeekdayHourResponse = Type.Object({
  weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 })),
  hours: Type.Array(Type.Integer({ minimum: 0, maximum: 23 })),
  counts: Type.Array(Type.Array(Type.Integer()), { description: 'counts[weekday − 1][hour]' }),
});
export type WeekdayHourResponse = Static<typeof WeekdayHourResponse>;

export const CategoriesResponse = Type.Object({
  categories: Type.Array(
    Type.Object({
      category: Enum(disputeCategories),
      found: Type.Integer(),
      resolved: Type.Integer(),
      open: Type.Integer(),
    }),
  ),
});
export type CategoriesResponse = Static<typeof CategoriesResponse>;

export const CaseHistoryResponse = Type.Object({
  id: Type.Integer(),
  caseNo: Type.String(),
  status: Enum(disputeStatuses),
  reportedAt: LocalTime,
  acceptedAt: Nullable(LocalTime),
  resolvedAt: Nullable(LocalTime),
  events: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      fromStatus: Nullable(Type.String()),
      toStatus: Nullable(Type.String()),
      actor: Type.String(),
      note: Type.String(),
      occurredAt: LocalTime,
    }),
  ),
});
export type CaseHistoryResponse = Static<typeof CaseHistoryResponse>;
