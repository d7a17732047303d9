import { queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { apiUrl, getJson } from './client';
import type { SiteKind, StationKind } from './vocabulary';

export interface Ref {
  id: number;
  name: string;
}

export interface CoverageTotals {
  rooms: number;
  towns: number;
  townsWithRoom: number;
  villages: number;
  villagesCovered: number;
  disputes: number;
  disputesCovered: number;
  openDisputes: number;
  openDisputesCovered: number;
}

export interface CoverageTown {
  code: string;
  name: string;
  policeStation: Ref | null;
  room: Ref | null;
  staffedBy: Ref | null;
  villages: number;
  villagesUncovered: number;
  disputes: number;
  disputesUncovered: number;
  openDisputes: number;
  openDisputesUncovered: number;
}

export interface CoverageRoom {
  id: number;
  name: string;
  kind: StationKind;
  townCode: string;
  townName: string;
  lon: number;
  lat: number;
  staffCount: number;
  host: Ref | null;
  staffedBy: Ref | null;
  openCases: number;
  openCasesPerMediator: number | null;
  resolvedCases: number;
  avgDaysToResolution: number | null;
  villagesInReach: number;
  disputesInReach: number;
  openDisputesInReach: number;
}

export interface Coverage {
  distanceKm: number;
  totals: CoverageTotals;
  towns: CoverageTown[];
  rooms: CoverageRoom[];
}

export interface RankedVillage {
  rank: number;
  code: string;
  name: string;
  townName: string;
  areaKm2: number;
  disputes: number;
  openDisputes: number;
  perKm2: number;
}

export interface SiteProps {
  rank: number;
  candidate: string;
  kind: SiteKind;
  ref: string;
  name: string;
  townCode: string;
  townName: string;
  newlyCovered: number;
  cumulative: number;
}

export interface Gaps {
  uncoveredDisputes: number;
  candidatesConsidered: number;
  villages: RankedVillage[];
  sites: FeatureCollection<Point, SiteProps>;
}

export interface VillageProps {
  code: string;
  name: string;
  townName: string;
  covered: boolean;
  disputes: number;
  openDisputes: number;
  perKm2: number | null;
}

export interface StationProps {
  id: number;
  kind: StationKind;
  name: string;
  townCode: string;
  townName: string;
  staffCount: number;
  openedOn: string | null;
  hostStationId: number | null;
  staffedById: number | null;
  locationMismatch?: boolean;
}

export const coverageKeys = { all: ['coverage'] as const };

export const coverageQuery = (km: number) =>
  queryOptions({
    queryKey: [...coverageKeys.all, 'summary', km] as const,
    queryFn: ({ signal }) => getJson<Coverage>(apiUrl('/api/coverage', { distanceKm: km }), signal),
    placeholderData: (previous) => previous,
  });

export const coverageAreasQuery = (km: number) =>
  queryOptions({
    queryKey: [...coverageKeys.all, 'areas', km] as const,
    queryFn: ({ signal }) =>
      getJson<FeatureCollection<Polygon | MultiPolygon, { part: 'ring' | 'union'; stationId?: number; name?: string }>>(
        apiUrl('/api/coverage/areas', { distanceKm: km }),
        signal,
      ),
    placeholderData: (previous) => previous,
  });

export const coverageVillagesQuery = (km: number) =>
  queryOptions({
    queryKey: [...coverageKeys.all, 'villages', km] as const,
    queryFn: ({ signal }) =>
      getJson<FeatureCollection<Polygon | MultiPolygon, VillageProps>>(
        apiUrl('/api/coverage/villages', { distanceKm: km }),
        signal,
      ),
    placeholderData: (previous) => previous,
  });

export const coverageGapsQuery = (km: number, k: number) =>
  queryOptions({
    queryKey: [...coverageKeys.all, 'gaps', km, k] as const,
    queryFn: ({ signal }) => getJson<Gaps>(apiUrl('/api/coverage/gaps', { distanceKm: km, k, limit: 8 }), signal),
    placeholderData: (previous) => previous,
  });
