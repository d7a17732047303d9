import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson, invalidate, requestJson } from './client';

/** The assessment (考核): GET /api/assessment (server/services/assessment). */
export type AssessmentBy = 'town' | 'room' | 'station';

export interface AssessedIndicator {
  key: string;
  value: number | null;
  numerator: number;
  denominator: number;
  weight: number;
  points: number | null;
}

export interface AssessedUnit {
  key: string;
  name: string;
  townCode: string;
  townName: string;
  kind: string | null;
  found: number;
  score: number | null;
  rank: number | null;
  tied: boolean;
  ranked: boolean;
  notRankedReason: 'too_few_cases' | 'no_value' | null;
  previousRank: number | null;
  rankChange: number | null;
  indicators: AssessedIndicator[];
}

export interface AssessmentPeriod {
  kind: string;
  key: string;
  from: string;
  to: string;
}

export interface Assessment {
  by: AssessmentBy;
  period: AssessmentPeriod;
  previousPeriod: AssessmentPeriod;
  standard: { version: number; validFrom: string; minCases: number; indicators: { key: string; weight: number }[] };
  definitions: Record<string, { zh: string; en: string; unit: 'rate' | 'days'; better: 'higher' | 'lower' }>;
  median: { score: number | null; indicators: Record<string, number | null> };
  units: AssessedUnit[];
}

export const assessmentQuery = (period: string, by: AssessmentBy) =>
  queryOptions({
    queryKey: ['assessment', period, by] as const,
    queryFn: ({ signal }) => getJson<Assessment>(apiUrl('/api/assessment', { period, by }), signal),
  });

export const assessmentExportUrl = (period: string, by: AssessmentBy, format: 'csv' | 'xlsx', lang: string) =>
  apiUrl(`/api/assessment.${format}`, { period, by, lang });

export const briefingUrl = (period: string, lang: string, format: 'pdf' | 'xlsx' = 'pdf') =>
  apiUrl(`/api/briefings/${encodeURIComponent(period)}.${format}`, { lang: lang === 'en' ? 'en' : undefined });

export interface StoredBriefing {
  id: number;
  scopeCode: string;
  scopeName: string;
  period: string;
  from: string;
  to: string;
  lang: string;
  found: number;
  resolved: number;
  madeBy: string;
  madeAt: string;
}

export const storedBriefingsQuery = () =>
  queryOptions({
    queryKey: ['briefings'] as const,
    queryFn: ({ signal }) => getJson<{ briefings: StoredBriefing[] }>('/api/briefings', signal),
  });

export const storedBriefingUrl = (id: number, format: 'pdf' | 'xlsx') => `/api/briefings/stored/${id}.${format}`;

/** A scheduled briefing: a county or town gets its weekly (Monday 08:00) or monthly (1st, 08:00) briefing. */
export type BriefingFrequency = 'weekly' | 'monthly';
export interface BriefingSchedule {
  id: number;
  scopeCode: string;
  scopeName: string;
  frequency: BriefingFrequency;
  lang: 'zh-CN' | 'en';
  enabled: boolean;
  updatedBy: string;
}

export const briefingSchedulesQuery = () =>
  queryOptions({
    queryKey: ['briefing-schedules'] as const,
    queryFn: ({ signal }) => getJson<{ schedules: BriefingSchedule[] }>('/api/briefing-schedules', signal),
  });

const SCHEDULE_WRITE_STALE = [['briefing-schedules']] as const;

export const setBriefingScheduleMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (s: { scope: string; frequency: BriefingFrequency; lang: 'zh-CN' | 'en'; enabled: boolean }) =>
      requestJson<BriefingSchedule>('PUT', '/api/briefing-schedules', s),
    onSuccess: () => invalidate(queryClient, SCHEDULE_WRITE_STALE),
  });
