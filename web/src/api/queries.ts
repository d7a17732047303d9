/**
 * One queryOptions factory per resource. Keys are hierarchical (resource, then parameters) so that a whole
 * resource can be invalidated by prefix, e.g. `queryClient.invalidateQueries({ queryKey: queryKeys.summary })`.
 */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson } from './client';
import type {
  AdminLevel,
  AdminUnitCollection,
  AppConfig,
  DisputeCollection,
  HealthResponse,
  StationCollection,
  SummaryResponse,
} from './types';

/** The server holds at most this many open cases per request; the demo county has 999. */
export const OPEN_DISPUTE_LIMIT = 10_000;

export const queryKeys = {
  health: ['health'] as const,
  config: ['config'] as const,
  adminUnits: ['admin-units'] as const,
  stations: ['stations'] as const,
  disputes: ['disputes'] as const,
  summary: ['summary'] as const,
};

export const healthQuery = () =>
  queryOptions({
    queryKey: queryKeys.health,
    queryFn: ({ signal }) => getJson<HealthResponse>('/api/health', signal),
  });

export const configQuery = () =>
  queryOptions({
    queryKey: queryKeys.config,
    queryFn: ({ signal }) => getJson<AppConfig>('/api/config', signal),
    staleTime: Number.POSITIVE_INFINITY,
  });

/** Boundaries change only on an import: keep them for the session. */
export const adminUnitsQuery = (level: AdminLevel, parent?: string) =>
  queryOptions({
    queryKey: [...queryKeys.adminUnits, level, parent ?? null] as const,
    queryFn: ({ signal }) => getJson<AdminUnitCollection>(apiUrl('/api/admin-units', { level, parent }), signal),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const stationsQuery = (town?: string) =>
  queryOptions({
    queryKey: [...queryKeys.stations, { town: town ?? null }] as const,
    queryFn: ({ signal }) => getJson<StationCollection>(apiUrl('/api/stations', { town }), signal),
    staleTime: 5 * 60_000,
  });

/** Shared dashboard filters (features/filters) that the base layers and KPIs honour. */
export interface SharedFilters {
  from?: string | undefined;
  to?: string | undefined;
  category?: string | undefined;
}

export const openDisputesQuery = (town?: string, filters: SharedFilters = {}) =>
  queryOptions({
    queryKey: [
      ...queryKeys.disputes,
      'open',
      'geojson',
      { town: town ?? null, from: filters.from ?? null, to: filters.to ?? null, category: filters.category ?? null },
    ] as const,
    queryFn: ({ signal }) =>
      getJson<DisputeCollection>(
        apiUrl('/api/disputes', {
          format: 'geojson',
          status: 'open',
          limit: OPEN_DISPUTE_LIMIT,
          town,
          from: filters.from,
          to: filters.to,
          category: filters.category,
        }),
        signal,
      ),
    // The layer keeps the previous cases on screen while a new filter loads: no flash.
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

/** KPIs for the county (no town) or one town. Keeps the previous figures on screen while the next load. */
export const summaryQuery = (town?: string, filters: SharedFilters = {}) =>
  queryOptions({
    queryKey: [
      ...queryKeys.summary,
      { town: town ?? null, from: filters.from ?? null, to: filters.to ?? null, category: filters.category ?? null },
    ] as const,
    queryFn: ({ signal }) =>
      getJson<SummaryResponse>(
        apiUrl('/api/summary', { town, from: filters.from, to: filters.to, category: filters.category }),
        signal,
      ),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
