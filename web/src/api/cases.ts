/** Query factories and writes of the case register (issue 7). */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson, requestJson } from './client';

export type CaseStatus = 'reported' | 'accepted' | 'mediating' | 'resolved' | 'failed' | 'referred';

export interface EscalationFactor {
  factor: string;
  points: number;
  value: string | number | boolean;
}

export interface CaseItem {
  id: number;
  caseNo: string;
  category: string;
  riskLevel: string;
  status: CaseStatus;
  channel: string | null;
  resolutionLevel: string | null;
  referralKind: string | null;
  reportedAt: string;
  resolvedAt: string | null;
  townCode: string;
  townName: string;
  villageCode: string | null;
  villageName: string | null;
  stationId: number | null;
  stationName: string | null;
  stationKind: string | null;
  lon: number;
  lat: number;
  summary: string;
  threat: boolean;
  injury: boolean;
  version: number;
  reopenedFromId: number | null;
  daysOpen: number | null;
  deadlineDays: number | null;
  dueAt: string | null;
  overdue: boolean;
  repeatIds: number[];
  followUpOn: string | null;
  escalation: { score: number; band: 'high' | 'medium' | 'low'; factors: EscalationFactor[] };
}

export interface CaseEvent {
  id: number;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  stationName: string | null;
  toStationName: string | null;
  channel: string | null;
  level: string | null;
  referralKind: string | null;
  linkedDisputeId: number | null;
  linkedCaseNo: string | null;
  note: string;
  occurredAt: string;
}

export interface CaseDetail extends CaseItem {
  allowedTransitions: CaseStatus[];
  canReopen: boolean;
  parties: { id: number; role: string; name: string; phone: string | null; idNumber: string | null }[];
  agreements: { id: number; agreedOn: string; kind: string; followUpOn: string | null }[];
  events: CaseEvent[];
  reopenedAs: { id: number; caseNo: string }[];
  repeats: { id: number; caseNo: string; villageName: string | null; sameParties: boolean }[];
}

export interface CasePage {
  total: number;
  limit: number;
  offset: number;
  items: CaseItem[];
}

export interface FigureUnit {
  key: string;
  name: string;
  kind: string | null;
  found: number;
  accepted: number;
  acceptanceRate: number | null;
  resolved: number;
  closed: number;
  successRate: number | null;
  daysToAccept: number | null;
  daysToResolve: number | null;
  resolvedAtVillage: number;
  resolvedAtTown: number;
  villageShare: number | null;
  townOrBelowShare: number | null;
  referred: number;
  referrals: Record<string, number>;
}

export const caseKeys = {
  all: ['cases'] as const,
};

export interface RegisterParams {
  town: string | null;
  station?: string | null;
  status: string | null;
  q: string | null;
  overdue: boolean;
  sort: string;
}

export const caseRegisterQuery = (p: RegisterParams) =>
  queryOptions({
    queryKey: [...caseKeys.all, 'register', p] as const,
    queryFn: ({ signal }) =>
      getJson<CasePage>(
        apiUrl('/api/cases', {
          town: p.town,
          station: p.station ?? null,
          status: p.status,
          q: p.q,
          overdue: p.overdue || null,
          sort: p.sort,
          limit: 50,
        }),
        signal,
      ),
    placeholderData: keepPreviousData,
  });

export const caseDetailQuery = (id: number) =>
  queryOptions({
    queryKey: [...caseKeys.all, 'detail', id] as const,
    queryFn: ({ signal }) => getJson<CaseDetail>(`/api/disputes/${id}/case`, signal),
  });

export const caseFiguresQuery = (town: string | null, by: 'town' | 'station') =>
  queryOptions({
    queryKey: [...caseKeys.all, 'figures', by, town] as const,
    queryFn: ({ signal }) => getJson<{ units: FigureUnit[] }>(apiUrl('/api/cases/figures', { by, town }), signal),
  });

/** POST / PATCH JSON; a non-2xx answer throws ApiError with the server's body (409 says why). */
export const sendJson = <T>(method: 'POST' | 'PATCH', url: string, body: unknown): Promise<T> =>
  requestJson<T>(method, url, body);
