/** The case register (issue 7): its queries, and its writes with what each makes stale. */
import { keepPreviousData, mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { CaseFiguresResponse, FigureUnit } from '../../../server/contract';
import { analyticsKeys } from './analytics';
import { auditKeys } from './audit';
import { apiUrl, getJson, invalidate, requestJson } from './client';
import { disputeKeys } from './disputes';
import { summaryKeys } from './summary';
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
import { warningKeys } from './warnings';

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

/** The figures' shapes are the API contract's (server/contract/cases.ts). */
export type { CaseFiguresResponse, FigureUnit };

export const caseKeys = {
  all: ['cases'] as const,
  register: ['cases', 'register'] as const,
  detail: ['cases', 'detail'] as const,
  figures: ['cases', 'figures'] as const,
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
    queryKey: [...caseKeys.register, p] as const,
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

/** One case with its parties (masked), agreements, events and links: the register's and the drill-down's. */
export const caseDetailQuery = (id: number) =>
  queryOptions({
    queryKey: [...caseKeys.detail, id] as const,
    queryFn: ({ signal }) => getJson<CaseDetail>(`/api/disputes/${id}/case`, signal),
  });

export const caseFiguresQuery = (town: string | null, by: 'town' | 'station') =>
  queryOptions({
    queryKey: [...caseKeys.figures, by, town] as const,
    queryFn: ({ signal }) => getJson<CaseFiguresResponse>(apiUrl('/api/cases/figures', { by, town }), signal),
  });

export type Party = CaseDetail['parties'][number];

/** Where a case is: a picked point, or a village (its centre); neither on an edit that does not move it. */
export type CaseLocation =
  | { lon: number; lat: number }
  | { villageCode: string }
  | { lon?: never; villageCode?: never };

export type CaseFields = {
  category: DisputeCategory;
  riskLevel: RiskLevel;
  summary: string;
  threat: boolean;
  injury: boolean;
} & CaseLocation;

export interface NewParty {
  role: PartyRole;
  name: string;
  phone?: string;
  idNumber?: string;
}

export type CaseWrite =
  | { id: null; body: CaseFields & { parties: NewParty[] } }
  | { id: number; body: CaseFields & { version: number } };

/** A step on a case: POST /api/disputes/:id/<step>, carrying the version the user saw. */
export interface CaseStep {
  id: number;
  version: number;
  step: 'transitions' | 'handoffs' | 'agreement' | 'reopen';
  body: Record<string, unknown>;
}

/**
 * What a case write makes stale: the register, the case and its figures; the open cases (the map layer and the
 * risk breakdown); the KPIs; the analytics (hot spots, unresolved cases, charts, the drill-down history); the
 * warnings list and layer (the write evaluates the case-driven warnings in its transaction).
 */
export const CASE_WRITE_STALE = [
  caseKeys.all,
  disputeKeys.all,
  summaryKeys.all,
  analyticsKeys.all,
  warningKeys.all,
] as const;

/**
 * After a write: the answer is the case as it now is, shown at once (the embedded database answers one query at
 * a time, so a refetch would queue behind the map's), then everything in CASE_WRITE_STALE is refreshed.
 */
async function written(queryClient: QueryClient, saved: CaseDetail): Promise<void> {
  queryClient.setQueryData(caseDetailQuery(saved.id).queryKey, saved);
  await invalidate(queryClient, CASE_WRITE_STALE);
}

/** Registers a new case (id null) or edits one. */
export const saveCaseMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (w: CaseWrite) =>
      w.id === null
        ? requestJson<CaseDetail>('POST', '/api/disputes', w.body)
        : requestJson<CaseDetail>('PATCH', `/api/disputes/${w.id}`, w.body),
    onSuccess: (saved) => written(queryClient, saved),
  });

/** Moves a case on (transition, handoff, agreement, reopen); the answer is the case, or the new one on reopen. */
export const caseStepMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ id, version, step, body }: CaseStep) =>
      requestJson<CaseDetail>('POST', `/api/disputes/${id}/${step}`, { version, ...body }),
    onSuccess: (saved) => written(queryClient, saved),
    // A 409 (someone else changed the case, or the move is no longer legal): reload the case, keep the message.
    onError: () => invalidate(queryClient, [caseKeys.all]),
  });

/**
 * Shows one party's personal data in clear. The answer is kept by the caller's state only, never in the query
 * cache; the reveal is a line in the audit trail.
 */
export const revealPartyMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ caseId, partyId }: { caseId: number; partyId: number }) =>
      requestJson<Party>('POST', `/api/disputes/${caseId}/parties/${partyId}/reveal`, {}),
    onSuccess: () => invalidate(queryClient, [auditKeys.all]),
  });
