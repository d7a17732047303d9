/** The county's and each town's KPIs (GET /api/summary), the article's figures. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Kpis, SummaryResponse, TownKpis } from '../../../server/contract';
import { apiUrl, getJson } from './client';
import { type SharedFilters, sharedFilterKey } from './filters';

/** The answer's shape is the API contract's (server/contract/summary.ts). */
export type { Kpis, SummaryResponse, TownKpis };

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
