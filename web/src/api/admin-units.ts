/** The county's boundaries (GET /api/admin-units): county, towns, villages. */
import { queryOptions } from '@tanstack/react-query';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import { apiUrl, getJson } from './client';
import type { AdminLevel } from './vocabulary';

export interface AdminUnitProperties {
  code: string;
  name: string;
  level: AdminLevel;
  parentCode: string | null;
  labelLon: number;
  labelLat: number;
}
export type AdminUnitFeature = Feature<MultiPolygon, AdminUnitProperties>;
export type AdminUnitCollection = FeatureCollection<MultiPolygon, AdminUnitProperties>;

export const adminUnitKeys = { all: ['admin-units'] as const };

/** Boundaries change only on an import: keep them for the session. */
export const adminUnitsQuery = (level: AdminLevel, parent?: string) =>
  queryOptions({
    queryKey: [...adminUnitKeys.all, level, parent ?? null] as const,
    queryFn: ({ signal }) => getJson<AdminUnitCollection>(apiUrl('/api/admin-units', { level, parent }), signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
