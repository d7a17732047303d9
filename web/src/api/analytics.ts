/** Query factories for the analytics API (hot spots, heat, unresolved cases, charts, drill-down). */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, Point, Polygon } from 'geojson';
import { apiUrl, getJson } from './client';
import type { DisputeFilters } from './filters';
import type { CaseEventKind, DisputeCategory, DisputeStatus, EmergingPattern, RiskLevel } from './vocabulary';

export interface HotspotProperties {
  q: number;
  r: number;
  count: number;
  z: number;
  p: number;
  bin: number;
}
export type HotspotCollection = FeatureCollection<Polygon, HotspotProperties> & {
  meta: { cellSize: number; neighbourhood: string; studyCells: number } & Record<
    'hot99' | 'hot95' | 'hot90' | 'cold99' | 'cold95' | 'cold90',
    number
  >;
};
export type EmergingCollection = FeatureCollection<
  Polygon,
  { count: number; recent: number; pattern: EmergingPattern; trendZ: number }
> & { meta: { cellSize: number; firstMonth: string | null; lastMonth: string | null } };
export type DensityCollection = FeatureCollection<Point, { count: number; weight: number }>;

export interface UnresolvedCase {
  id: number;
  caseNo: string;
  category: DisputeCategory;
  riskLevel: RiskLevel;
  status: DisputeStatus;
  townName: string;
  villageName: string | null;
  reportedAt: string;
  ageDays: number;
  limitDays: number;
  overdue: boolean;
}
export interface UnresolvedResponse {
  cases: FeatureCollection<Point, UnresolvedCase>;
  towns: { code: string; name: string; open: number; overdue: number }[];
  villages: { code: string; name: string; parentCode: string; open: number; overdue: number }[];
}

export interface UnitKpis {
  code: string;
  name: string;
  parentCode: string | null;
  found: number;
  resolved: number;
  open: number;
  overdue: number;
  resolvedAtVillage: number;
  resolvedAtTown: number;
  successRate: number | null;
  closedSuccessRate: number | null;
  villageLevelRate: number | null;
  townLevelRate: number | null;
}
export interface MonthlyResponse {
  months: string[];
  series: { town: string | null; found: number[]; resolved: number[]; open: number[] }[];
}
export interface CaseHistory {
  id: number;
  caseNo: string;
  status: DisputeStatus;
  reportedAt: string;
  acceptedAt: string | null;
  resolvedAt: string | null;
  events: {
    id: number;
    kind: CaseEventKind;
    fromStatus: DisputeStatus | null;
    toStatus: DisputeStatus | null;
    actor: string;
    note: string;
    occurredAt: string;
  }[];
}
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
      getJson<HotspotCollection>(
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
      getJson<EmergingCollection>(apiUrl('/api/analytics/emerging', { ...params(f), zoom }), signal),
    ...common,
  });

export const densityQuery = (f: DisputeFilters) =>
  queryOptions({
    queryKey: [...key, 'density', params(f)] as const,
    queryFn: ({ signal }) =>
      getJson<DensityCollection>(apiUrl('/api/analytics/density', { ...params(f), cellSize: 400 }), signal),
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
    queryFn: ({ signal }) =>
      getJson<{ units: UnitKpis[] }>(apiUrl('/api/analytics/units', { ...params(f), level }), signal),
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
    queryFn: ({ signal }) =>
      getJson<{ categories: { category: DisputeCategory; found: number; resolved: number; open: number }[] }>(
        apiUrl('/api/analytics/categories', params(f)),
        signal,
      ),
    ...common,
  });

export const weekdayHourQuery = (f: DisputeFilters) =>
  queryOptions({
    queryKey: [...key, 'weekday-hour', params(f)] as const,
    queryFn: ({ signal }) => getJson<{ counts: number[][] }>(apiUrl('/api/analytics/weekday-hour', params(f)), signal),
    ...common,
  });

export const caseHistoryQuery = (id: number) =>
  queryOptions({
    queryKey: [...key, 'case-history', id] as const,
    queryFn: ({ signal }) => getJson<CaseHistory>(`/api/analytics/cases/${id}/history`, signal),
    staleTime: 60_000,
  });
