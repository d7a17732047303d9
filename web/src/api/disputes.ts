/** Disputes as map points and lists (GET /api/disputes): the open-cases layer, a village's cases. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, Point } from 'geojson';
import { apiUrl, getJson } from './client';
import { type DisputeFilters, type SharedFilters, sharedFilterKey } from './filters';
import type { DisputeCategory, DisputeStatus, RiskLevel } from './vocabulary';

export interface DisputeProperties {
  id: number;
  caseNo: string;
  category: DisputeCategory;
  riskLevel: RiskLevel;
  status: DisputeStatus;
  reportedAt: string;
  townCode: string;
  townName: string;
  villageCode: string | null;
  villageName: string | null;
  ageDays: number;
}
export type DisputeCollection = FeatureCollection<Point, DisputeProperties>;

export interface DisputeListItem {
  id: number;
  caseNo: string;
  category: DisputeCategory;
  riskLevel: RiskLevel;
  status: DisputeStatus;
  reportedAt: string;
}

/** The server holds at most this many open cases per request; the demo county has 999. */
export const OPEN_DISPUTE_LIMIT = 10_000;

export const disputeKeys = {
  all: ['disputes'] as const,
  open: ['disputes', 'open'] as const,
  village: ['disputes', 'village'] as const,
};

/** The open cases as GeoJSON: the base map's case layer and the risk breakdown. */
export const openDisputesQuery = (town?: string, filters: SharedFilters = {}) =>
  queryOptions({
    queryKey: [...disputeKeys.open, 'geojson', sharedFilterKey(town, filters)] as const,
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

/** A village's cases under the shared filters, newest first. */
export const villageCasesQuery = (village: string, f: DisputeFilters) =>
  queryOptions({
    queryKey: [
      ...disputeKeys.village,
      village,
      { ...sharedFilterKey(undefined, f), status: f.status ?? null },
    ] as const,
    queryFn: ({ signal }) =>
      getJson<{ total: number; items: DisputeListItem[] }>(
        apiUrl('/api/disputes', {
          from: f.from,
          to: f.to,
          category: f.category,
          status: f.status,
          village,
          limit: 200,
          sort: '-reportedAt',
        }),
        signal,
      ),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
