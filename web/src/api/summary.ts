/** The county's and each town's KPIs (GET /api/summary), the article's figures. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson } from './client';
import { type SharedFilters, sharedFilterKey } from './filters';

export interface Kpis {
  found: number;
  resolved: number;
  failed: number;
  referred: number;
  open: number;
  /** resolved ÷ found (the article's 化解率), 0..1, null when found = 0. */
  successRate: number | null;
  /** resolved ÷ (resolved + failed + referred). */
  closedSuccessRate: number | null;
  /** 小事不出村: resolved at village level ÷ resolved. */
  villageLevelRate: number | null;
  /** 大事不出镇: resolved at village or town level ÷ resolved. */
  townLevelRate: number | null;
}

export type TownKpis = { code: string; name: string } & Kpis;

export interface SummaryResponse {
  total: Kpis;
  towns: TownKpis[];
}

export const summaryKeys = { all: ['summary'] as const };

/** KPIs for the county (no town) or one town. Keeps the previous figures on screen while the next load. */
export const summaryQuery = (town?: string, filters: SharedFilters = {}) =>
  queryOptions({
    queryKey: [...summaryKeys.all, sharedFilterKey(town, filters)] as const,
    queryFn: ({ signal }) =>
      getJson<SummaryResponse>(
        apiUrl('/api/summary', { town, from: filters.from, to: filters.to, category: filters.category }),
        signal,
      ),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
