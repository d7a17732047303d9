/** Query factories and writes of the case register (issue 7). */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson, requestJson } from './client';
import type {
  AgreementKind,
  CaseEventKind,
  DisputeCategory,
  DisputeStatus,
  EscalationFactorName,
  MediationChannel,
  PartyRole,
  ReferralKind,
  ResolutionLevel,
  RiskLevel,
  StationKind,
} from './vocabulary';

export type CaseStatus = DisputeStatus;

export interface EscalationFactor {
  factor: EscalationFactorName;
  points: number;
  value: string | number | boolean;
}

export interface CaseItem {
  id: number;
  caseNo: string;
  category: DisputeCategory;
  riskLevel: RiskLevel;
  status: CaseStatus;
  channel: MediationChannel | null;
  resolutionLevel: ResolutionLevel | null;
  referralKind: ReferralKind | null;
  reportedAt: string;
  resolvedAt: string | null;
  townCode: string;
  townName: string;
  villageCode: string | null;
  villageName: string | null;
  stationId: number | null;
  stationName: string | null;
  stationKind: StationKind | null;
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
  kind: CaseEventKind;
  fromStatus: DisputeStatus | null;
  toStatus: DisputeStatus | null;
  actor: string;
  stationName: string | null;
  toStationName: string | null;
  channel: MediationChannel | null;
  level: ResolutionLevel | null;
  referralKind: ReferralKind | null;
  linkedDisputeId: number | null;
  linkedCaseNo: string | null;
  note: string;
  occurredAt: string;
}

export interface CaseDetail extends CaseItem {
  allowedTransitions: CaseStatus[];
  canReopen: boolean;
  parties: { id: number; role: PartyRole; name: string; phone: string | null; idNumber: string | null }[];
  agreements: { id: number; agreedOn: string; kind: AgreementKind; followUpOn: string | null }[];
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
  referrals: Partial<Record<ReferralKind, number>>;
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
