import Type, { type Static } from 'typebox';
import { KpiProperties, Kpis, Nullable } from './common.js';

/** /api/summary: the county's (or one town's) figures with a row per town (the overview's town table). */
export const TownKpis = Type.Object({
  code: Type.String(),
  name: Type.String(),
  ...KpiProperties,
  meanDaysToResolve: Nullable(
    Type.Number({ description: 'mean days from reported to resolved of the resolved cases (平均化解天数)' }),
  ),
});
export type TownKpis = Static<typeof TownKpis>;

export const SummaryResponse = Type.Object({ total: Kpis, towns: Type.Array(TownKpis) });
export type SummaryResponse = Static<typeof SummaryResponse>;
