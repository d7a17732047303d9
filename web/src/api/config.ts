/** The app's configuration (GET /api/config): the basemap and the data period. */
import { queryOptions } from '@tanstack/react-query';
import { getJson } from './client';

export interface AppConfig {
  /** XYZ raster tile URL template ({z}/{x}/{y}), or null for the offline basemap made of our own boundaries. */
  basemapUrl: string | null;
  basemapAttribution: string | null;
  dataPeriod: { from: string; to: string };
  /** The day ages, overdue limits and task due dates are measured to (the demo's pinned "now"). */
  asOf: string;
  demo: boolean;
}

export const configKeys = { all: ['config'] as const };

export const configQuery = () =>
  queryOptions({
    queryKey: configKeys.all,
    queryFn: ({ signal }) => getJson<AppConfig>('/api/config', signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
