import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { FeatureCollection, Point } from 'geojson';
import type { WarningRuleCode, WarningStatus } from '../../../server/contract/vocabulary';
import { apiUrl, getJson, requestJson } from './client';
import type { SharedFilters } from './filters';

export {
  type WarningRuleCode,
  type WarningStatus,
  warningRuleCodes,
  warningStatuses,
} from '../../../server/contract/vocabulary';

export interface Warning {
  id: number;
  rule: WarningRuleCode;
  status: WarningStatus;
  level: 'town' | 'county';
  period: string;
  townCode: string | null;
  townName: string | null;
  villageCode: string | null;
  villageName: string | null;
  stationId: number | null;
  stationName: string | null;
  disputeId: number | null;
  caseNo: string | null;
  category: string | null;
  lon: number | null;
  lat: number | null;
  evidence: Record<string, unknown>;
  /** A register warning about a person: their name, masked as the register lists it. */
  mediatorName?: string | null;
  dismissReason: string | null;
  raisedAt: string;
  updatedBy: string | null;
  version: number;
}

export interface WarningList {
  total: number;
  byRule: Partial<Record<WarningRuleCode, number>>;
  byStatus: Partial<Record<WarningStatus, number>>;
  items: Warning[];
}

export interface WarningRule {
  code: WarningRuleCode;
  enabled: boolean;
  version: number;
  thresholds: Record<string, number>;
  name: { zh: string; en: string };
  definition: { zh: string; en: string };
}

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

export type WarningCollection = FeatureCollection<
  Point,
  { id: number; rule: WarningRuleCode; status: WarningStatus; level: 'town' | 'county'; caseNo: string | null }
>;

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
    queryFn: ({ signal }) => getJson<{ rules: WarningRule[] }>('/api/warnings/rules', signal),
    staleTime: 5 * 60_000,
  });

export const acknowledgeWarning = (w: Pick<Warning, 'id' | 'version'>) =>
  requestJson<Warning>('POST', `/api/warnings/${w.id}/acknowledge`, { version: w.version });

export const dismissWarning = (w: Pick<Warning, 'id' | 'version'>, reason: string) =>
  requestJson<Warning>('POST', `/api/warnings/${w.id}/dismiss`, { version: w.version, reason });
