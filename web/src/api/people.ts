import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type {
  CaseDossier,
  CaseMediator,
  CaseVisits,
  DossierItem,
  DossierState,
  MediatorDetail,
  MediatorItem,
  MediatorKind,
  MediatorList,
  MeetingAttendeeOptions,
  MeetingDetail,
  MeetingKind,
  MeetingList,
  MeetingRegularity,
  MeetingSummary,
  Performance,
  RegisterChecks,
  RegisterRule,
  Satisfaction,
  WindowState,
} from '../../../server/contract';
import { caseKeys } from './cases';
import { apiUrl, getJson, invalidate, requestJson } from './client';

/** The register of mediators, follow-up visits, joint meetings and the dossier (issue 18). Names come masked. */

/** The register's answers (the API contract's): a mediator as lists show it, one in full, one named on a case. */
export type Mediator = MediatorItem;
export type { CaseMediator, MediatorDetail, MediatorKind, MediatorList, RegisterChecks };
export type CheckRule = RegisterRule;

/** A case's follow-up visits and its dossier (the API contract's answers). */
/** The meetings' answers (the API contract's); a regularity answer's towns carry the figures. */
export type {
  CaseDossier,
  CaseVisits,
  DossierItem,
  DossierState,
  MeetingDetail,
  MeetingKind,
  MeetingList,
  MeetingSummary,
  Performance,
  Satisfaction,
  WindowState,
};
export type Regularity = MeetingRegularity;

export const peopleKeys = {
  all: ['people'] as const,
  mediators: ['people', 'mediators'] as const,
  meetings: ['people', 'meetings'] as const,
  visits: ['people', 'visits'] as const,
  dossier: ['people', 'dossier'] as const,
};

export const mediatorsQuery = (town: string | null, kind: MediatorKind | null) =>
  queryOptions({
    queryKey: [...peopleKeys.mediators, 'list', town, kind] as const,
    queryFn: ({ signal }) => getJson<MediatorList>(apiUrl('/api/mediators', { town, kind, limit: 1000 }), signal),
  });

export const mediatorQuery = (id: number) =>
  queryOptions({
    queryKey: [...peopleKeys.mediators, 'detail', id] as const,
    queryFn: ({ signal }) => getJson<MediatorDetail>(`/api/mediators/${id}`, signal),
  });

export const caseMediatorsQuery = (id: number) =>
  queryOptions({
    queryKey: [...peopleKeys.mediators, 'case', id] as const,
    queryFn: ({ signal }) => getJson<CaseMediator[]>(`/api/disputes/${id}/mediators`, signal),
  });

export const checksQuery = (town: string | null) =>
  queryOptions({
    queryKey: [...peopleKeys.mediators, 'checks', town] as const,
    queryFn: ({ signal }) => getJson<RegisterChecks>(apiUrl('/api/mediators/checks', { town }), signal),
  });

export const caseVisitsQuery = (id: number) =>
  queryOptions({
    queryKey: [...peopleKeys.visits, id] as const,
    queryFn: ({ signal }) => getJson<CaseVisits>(`/api/disputes/${id}/visits`, signal),
  });

export const caseDossierQuery = (id: number) =>
  queryOptions({
    queryKey: [...peopleKeys.dossier, id] as const,
    queryFn: ({ signal }) => getJson<CaseDossier>(`/api/disputes/${id}/dossier`, signal),
  });

export const meetingsQuery = (town: string | null) =>
  queryOptions({
    queryKey: [...peopleKeys.meetings, 'list', town] as const,
    queryFn: ({ signal }) => getJson<MeetingList>(apiUrl('/api/meetings', { town, limit: 100 }), signal),
  });

export const meetingQuery = (id: number) =>
  queryOptions({
    queryKey: [...peopleKeys.meetings, 'detail', id] as const,
    queryFn: ({ signal }) => getJson<MeetingDetail>(`/api/meetings/${id}`, signal),
  });

export const regularityQuery = (town: string | null) =>
  queryOptions({
    queryKey: [...peopleKeys.meetings, 'regularity', town] as const,
    queryFn: ({ signal }) => getJson<Regularity>(apiUrl('/api/meetings/regularity', { town }), signal),
  });

export const attendeesQuery = (town: string | null) =>
  queryOptions({
    queryKey: [...peopleKeys.meetings, 'attendees', town] as const,
    queryFn: ({ signal }) => getJson<MeetingAttendeeOptions>(apiUrl('/api/meetings/attendees', { town }), signal),
  });

/** What a register write makes stale: the register (lists, details, checks, a case's mediators), whose figures count cases. */
export const MEDIATOR_WRITE_STALE = [peopleKeys.mediators] as const;

/** The mediators named on a case, replacing those named before. */
export const saveCaseMediatorsMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ caseId, mediatorIds }: { caseId: number; mediatorIds: number[] }) =>
      requestJson<CaseMediator[]>('PUT', `/api/disputes/${caseId}/mediators`, { mediatorIds }),
    onSuccess: () => invalidate(queryClient, MEDIATOR_WRITE_STALE),
  });

export interface NewMediator {
  name: string;
  kind: MediatorKind;
  stationId?: number;
  villageCode?: string;
  appointmentNo: string | null;
  appointedBy: string | null;
  appointedFrom: string | null;
  appointedTo: string | null;
  qualification: string | null;
  qualificationExpiresOn: string | null;
}

export const createMediatorMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (body: NewMediator) => requestJson<MediatorDetail>('POST', '/api/mediators', body),
    onSuccess: () => invalidate(queryClient, MEDIATOR_WRITE_STALE),
  });

export const addTrainingMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ id, ...body }: { id: number; trainedOn: string; hours: number; course: string }) =>
      requestJson<MediatorDetail>('POST', `/api/mediators/${id}/trainings`, body),
    onSuccess: () => invalidate(queryClient, MEDIATOR_WRITE_STALE),
  });

/** A mediator's full name (audited); nothing cached changes. */
export const revealMediatorMutation = () =>
  mutationOptions({
    mutationFn: (id: number) => requestJson<{ name: string }>('POST', `/api/mediators/${id}/reveal`, {}),
  });

/** What a visit makes stale: the whole people register (visits, the follow-up figures, the mediators' figures). */
export const VISIT_STALE = [peopleKeys.all] as const;

export interface NewVisit {
  visitedOn: string;
  performance: Performance;
  satisfaction: Satisfaction;
  clientKey: string;
  note?: string;
}

export const recordVisitMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ caseId, visit }: { caseId: number; visit: NewVisit }) =>
      requestJson<CaseVisits>('POST', `/api/disputes/${caseId}/visits`, visit),
    onSuccess: () => invalidate(queryClient, VISIT_STALE),
  });

/** What reopening a case after a bad visit makes stale: the cases (a new one) and the people register. */
export const REOPEN_STALE = [caseKeys.all, peopleKeys.all] as const;

/** Reopens a case as a new one; the refresh runs behind the answer, so the new case opens at once. */
export const reopenCaseMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ caseId, version, visitId }: { caseId: number; version: number | undefined; visitId: number }) =>
      requestJson<{ id: number }>('POST', `/api/disputes/${caseId}/reopen`, { version, visitId }),
    onSuccess: () => {
      void invalidate(queryClient, REOPEN_STALE);
    },
  });

/** What a dossier write makes stale: the dossiers (checklist, confirmation window). */
export const DOSSIER_STALE = [peopleKeys.dossier] as const;

export const markDossierItemMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ caseId, ...body }: { caseId: number; item: DossierItem; state: DossierState }) =>
      requestJson<CaseDossier>('PUT', `/api/disputes/${caseId}/dossier`, body),
    onSuccess: () => invalidate(queryClient, DOSSIER_STALE),
  });

export interface ConfirmationInput {
  appliedOn: string;
  court: string;
  result: string;
  decidedOn?: string;
  version?: number;
}

export const saveConfirmationMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ caseId, confirmation }: { caseId: number; confirmation: ConfirmationInput }) =>
      requestJson<CaseDossier>('PUT', `/api/disputes/${caseId}/judicial-confirmation`, confirmation),
    onSuccess: () => invalidate(queryClient, DOSSIER_STALE),
  });

export interface NewMeeting {
  kind: MeetingKind;
  heldOn: string;
  townCode: string;
  title: string;
  minutes: string;
  mediatorIds: number[];
  accountIds: number[];
  caseIds: number[];
  decisions: {
    text: string;
    stationId?: number;
    dueOn?: string;
    disputeId?: number;
    task?: { action: string };
  }[];
  clientKey: string;
}

/** What a meeting makes stale: the meetings (list, details, regularity, attendees). */
export const MEETING_STALE = [peopleKeys.meetings] as const;

export const createMeetingMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (meeting: NewMeeting) => requestJson<MeetingDetail>('POST', '/api/meetings', meeting),
    onSuccess: () => invalidate(queryClient, MEETING_STALE),
  });

export const documentUrl = (id: number, kind: 'agreement' | 'record', format: 'docx' | 'pdf') =>
  apiUrl(`/api/disputes/${id}/document`, { kind, format });
