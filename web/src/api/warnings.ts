import { keepPreviousData, mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, Point } from 'geojson';
import type {
  WarningDetail,
  WarningFeatureProperties,
  WarningItem,
  WarningList,
  WarningRule,
  WarningRules,
} from '../../../server/contract';
import type { WarningRuleCode } from '../../../server/contract/vocabulary';
import { apiUrl, getJson, invalidate, requestJson } from './client';
import type { SharedFilters } from './filters';

export {
  type WarningRuleCode,
  type WarningStatus,
  warningRuleCodes,
  warningStatuses,
} from '../../../server/contract/vocabulary';

/** A warning as lists show it, and one with the moves its status allows (the API contract's answers). */
export type Warning = WarningItem;
export type { WarningDetail, WarningFeatureProperties, WarningList, WarningRule, WarningRules };

export interface WarningFilters extends SharedFilters {
  town?: string | undefined;
  rule?: WarningRuleCode | undefined;
  status?: string | undefined;
}

const keys = {
  all: ['warnings'] as const,
  rules: ['warnings', 'rules'] as const,
};
export const warningKeys = keys;

const params = (f: WarningFilters) => ({
  town: f.town,
  rule: f.rule,
  status: f.status,
  from: f.from,
  to: f.to,
  category: f.category,
});

/** Warnings of the caller's scope under the dashboard's filters, newest first. */
export const warningsQuery = (f: WarningFilters, limit = 50) =>
  queryOptions({
    queryKey: [...keys.all, 'list', { ...params(f), limit }] as const,
    queryFn: ({ signal }) => getJson<WarningList>(apiUrl('/api/warnings', { ...params(f), limit }), signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

/** The layer as GeoJSON (the contract's WarningCollection, typed for the map). */
export type WarningCollection = FeatureCollection<Point, WarningFeatureProperties>;

/** The same warnings as map points (the warnings layer). */
export const warningsLayerQuery = (f: WarningFilters) =>
  queryOptions({
    queryKey: [...keys.all, 'layer', params(f)] as const,
    queryFn: ({ signal }) =>
      getJson<WarningCollection>(apiUrl('/api/warnings', { ...params(f), format: 'geojson' }), signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

export const warningRulesQuery = () =>
  queryOptions({
    queryKey: keys.rules,
    queryFn: ({ signal }) => getJson<WarningRules>('/api/warnings/rules', signal),
    staleTime: 5 * 60_000,
  });

/** What acknowledging or dismissing a warning makes stale: the warnings (lists, totals, the map layer). */
export const WARNING_MOVE_STALE = [keys.all] as const;

export const acknowledgeWarningMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (w: Pick<Warning, 'id' | 'version'>) =>
      requestJson<WarningDetail>('POST', `/api/warnings/${w.id}/acknowledge`, { version: w.version }),
    onSuccess: () => invalidate(queryClient, WARNING_MOVE_STALE),
  });

export const dismissWarningMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ warning, reason }: { warning: Pick<Warning, 'id' | 'version'>; reason: string }) =>
      requestJson<WarningDetail>('POST', `/api/warnings/${warning.id}/dismiss`, { version: warning.version, reason }),
    onSuccess: () => invalidate(queryClient, WARNING_MOVE_STALE),
  });
