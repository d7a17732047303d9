/** Stations (GET/POST/PATCH /api/stations): police stations, judicial offices, joint mediation rooms… */
import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, Point } from 'geojson';
import { apiUrl, getJson, invalidate, requestJson } from './client';
import { coverageKeys } from './coverage';
import type { StationKind } from './vocabulary';

export interface StationProperties {
  id: number;
  kind: StationKind;
  name: string;
  townCode: string;
  townName: string;
  staffCount: number | null;
  openedOn: string | null;
}
export type StationCollection = FeatureCollection<Point, StationProperties>;

export interface StationInput {
  kind: string;
  name: string;
  townCode?: string | null;
  lon: number;
  lat: number;
  staffCount: number;
}

export const stationKeys = { all: ['stations'] as const };

export const stationsQuery = (town?: string) =>
  queryOptions({
    queryKey: [...stationKeys.all, { town: town ?? null }] as const,
    queryFn: ({ signal }) => getJson<StationCollection>(apiUrl('/api/stations', { town }), signal),
    staleTime: 5 * 60_000,
  });

/** What a station write makes stale: the stations (base map, pickers) and the coverage view built on them. */
export const STATION_WRITE_STALE = [stationKeys.all, coverageKeys.all] as const;

/** POST a new station (id null) or PATCH one; a 4xx rejects with the server's message and field. */
export const saveStationMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: async ({ id, input }: { id: number | null; input: StationInput }) => {
      // The answer is the station as a GeoJSON Feature; its `id` is the station's.
      const feature =
        id === null
          ? await requestJson<{ id: number | string }>('POST', '/api/stations', input)
          : await requestJson<{ id: number | string }>('PATCH', `/api/stations/${id}`, input);
      return { id: Number(feature.id) };
    },
    onSuccess: () => invalidate(queryClient, STATION_WRITE_STALE),
  });
