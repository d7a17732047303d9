/** Query factories for the analytics API (hot spots, heat, unresolved cases, charts, drill-down). */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type {
  CaseHistoryResponse,
  CategoriesResponse,
  DensityResponse,
  EmergingResponse,
  HotspotsResponse,
  MonthlyResponse,
  UnitsResponse,
  UnresolvedResponse,
  WeekdayHourResponse,
} from '../../../server/contract';
import { apiUrl, getJson } from './client';
import type { DisputeFilters } from './filters';

/** The answers' shapes are the API contract's (server/contract/analytics.ts), which /docs/json documents. */
export type {
  CaseHistoryResponse,
  CategoriesResponse,
  DensityResponse,
  EmergingResponse,
  HotspotsResponse,
  MonthlyResponse,
  UnitsResponse,
  UnresolvedResponse,
  WeekdayHourResponse,
};
export type UnitKpis = UnitsResponse['units'][number];

/** Every analytics answer is derived from the cases and screenings: any write to them makes all of it stale. */
export const analyticsKeys = { all: ['analytics'] as const };
const key = analyticsKeys.all;
const params = (f: DisputeFilters) => ({
  town: f.town,
  from: f.from,
  to: f.to,
  category: f.category,
  status: f.status,
});
/** Layers and charts keep the previous answer on screen while the next loads: nothing flashes on a filter change. */
const common = { placeholderData: keepPreviousData, staleTime: 60_000 } as const;

export const hotspotsQuery = (f: DisputeFilters, source: 'disputes' | 'risks', zoom: number) =>
  queryOptions({
    queryKey: [...key, 'hotspots', source, zoom, params(f)] as const,
    queryFn: ({ signal }) =>
      getJson<HotspotsResponse>(
        apiUrl('/api/analytics/hotspots', {
          ...params(f),
          ...(source === 'risks' ? { status: undefined } : {}),
          source,
          zoom,
        }),
        signal,
      ),
    ...common,
  });

export const emergingQuery = (f: DisputeFilters, zoom: number) =>
  queryOptions({
    queryKey: [...key, 'emerging', zoom, params(f)] as const,
    queryFn: ({ signal }) =>
      getJson<EmergingResponse>(apiUrl('/api/analytics/emerging', { ...params(f), zoom }), signal),
    ...common,
  });

export const densityQuery = (f: DisputeFilters) =>
  queryOptions({
    queryKey: [...key, 'density', params(f)] as const,
    queryFn: ({ signal }) =>
      getJson<DensityResponse>(apiUrl('/api/analytics/density', { ...params(f), cellSize: 400 }), signal),
    ...common,
  });

export const unresolvedQuery = (f: DisputeFilters) =>
  queryOptions({
    queryKey: [...key, 'unresolved', params(f)] as const,
    queryFn: ({ signal }) =>
      getJson<UnresolvedResponse>(apiUrl('/api/analytics/unresolved', { ...params(f), status: undefined }), signal),
    ...common,
  });

export const unitsQuery = (level: 'town' | 'village', f: DisputeFilters) =>
  queryOptions({
    queryKey: [...key, 'units', level, params(f)] as const,
    queryFn: ({ signal }) => getJson<UnitsResponse>(apiUrl('/api/analytics/units', { ...params(f), level }), signal),
    ...common,
  });

export const monthlyQuery = (f: DisputeFilters) =>
  queryOptions({
    queryKey: [...key, 'monthly', params(f)] as const,
    queryFn: ({ signal }) => getJson<MonthlyResponse>(apiUrl('/api/analytics/monthly', params(f)), signal),
    ...common,
  });

export const categoriesQuery = (f: DisputeFilters) =>
  queryOptions({
    queryKey: [...key, 'categories', params(f)] as const,
    queryFn: ({ signal }) => getJson<CategoriesResponse>(apiUrl('/api/analytics/categories', params(f)), signal),
    ...common,
  });

export const weekdayHourQuery = (f: DisputeFilters) =>
  queryOptions({
    queryKey: [...key, 'weekday-hour', params(f)] as const,
    queryFn: ({ signal }) => getJson<WeekdayHourResponse>(apiUrl('/api/analytics/weekday-hour', params(f)), signal),
    ...common,
  });

export const caseHistoryQuery = (id: number) =>
  queryOptions({
    queryKey: [...key, 'case-history', id] as const,
    queryFn: ({ signal }) => getJson<CaseHistoryResponse>(`/api/analytics/cases/${id}/history`, signal),
    staleTime: 60_000,
  });
