import { queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson, requestJson } from './client';
import type { TaskStatus } from './tasks';

/** The register of mediators, follow-up visits, joint meetings and the dossier (issue 18). Names come masked. */

export type MediatorKind = 'peoples_mediator' | 'judicial_assistant' | 'police_officer' | 'specialist_mediator';

export interface Mediator {
  id: number;
  name: string;
  kind: MediatorKind;
  stationId: number | null;
  stationName: string | null;
  villageCode: string | null;
  villageName: string | null;
  townCode: string;
  townName: string;
  appointmentNo: string | null;
  appointedBy: string | null;
  appointedFrom: string | null;
  appointedTo: string | null;
  qualification: string | null;
  qualificationExpiresOn: string | null;
  active: boolean;
  synthetic: boolean;
  version: number;
  hoursThisYear: number;
  figures: {
    cases: number;
    resolved: number;
    closed: number;
    successRate: number | null;
    meanDays: number | null;
    load: number;
  };
}

/** A mediator named on a case (GET /api/disputes/:id/mediators). */
export interface CaseMediator {
  id: number;
  name: string;
  kind: MediatorKind;
  townCode: string;
  stationId: number | null;
  stationName: string | null;
}

export interface MediatorDetail extends Mediator {
  trainings: { id: number; trainedOn: string; hours: number; course: string }[];
  recentCases: { id: number; caseNo: string; status: string; reportedOn: string }[];
}

export type CheckRule = 'appointment_expiring' | 'qualification_expiring' | 'room_without_assistant' | 'training_short';

export interface RegisterChecks {
  withinDays: number;
  requiredHours: number;
  counts: Partial<Record<CheckRule, number>>;
  items: {
    rule: CheckRule;
    subjectId: number;
    due: string | null;
    daysLeft: number | null;
    hours?: number;
    requiredHours?: number;
    mediator?: { name: string; kind: MediatorKind; serves: string | null };
    stationName?: string;
  }[];
}

export type Performance = 'honoured' | 'partly' | 'broken';
export type Satisfaction = 'satisfied' | 'basically' | 'not';

export interface CaseVisits {
  canVisit: boolean;
  firstVisitDue: string | null;
  firstVisitOverdue: boolean;
  caseVersion: number;
  visits: {
    id: number;
    visitedOn: string;
    performance: Performance;
    satisfaction: Satisfaction;
    note: string;
    actor: string;
    reopenedAsId: number | null;
    reopenedAsCaseNo: string | null;
    offersReopen: boolean;
  }[];
  visitId?: number;
}

export type DossierState = 'present' | 'missing' | 'not_applicable';
export type DossierItem =
  | 'application'
  | 'rights_notice'
  | 'identity_documents'
  | 'investigation'
  | 'mediation_record'
  | 'agreement'
  | 'performance_proof'
  | 'follow_up_record'
  | 'judicial_confirmation';
export type WindowState = 'no_agreement' | 'open' | 'closing' | 'lapsed' | 'applied_in_time' | 'applied_late';

export interface CaseDossier {
  items: { item: DossierItem; state: DossierState; source: 'marked' | 'derived'; name: string }[];
  completeness: { present: number; missing: number; rate: number | null };
  confirmation: { appliedOn: string; court: string; result: string; decidedOn: string | null; version: number } | null;
  confirmationWindow: { state: WindowState; deadline: string | null; daysLeft: number | null; flagged: boolean };
}

export type MeetingKind = 'joint_meeting' | 'work_meeting';

export interface MeetingSummary {
  id: number;
  kind: MeetingKind;
  heldOn: string;
  townCode: string | null;
  townName: string | null;
  title: string;
  synthetic: boolean;
  attendees: number;
  cases: number;
  decisions: number;
}

export interface MeetingDetail extends Omit<MeetingSummary, 'cases' | 'decisions'> {
  minutes: string;
  cases: { id: number; caseNo: string; status: string; category: string }[];
  decisions: {
    id: number;
    position: number;
    text: string;
    stationId: number | null;
    stationName: string | null;
    dueOn: string | null;
    disputeId: number | null;
    taskId: number | null;
    taskStatus: TaskStatus | null;
  }[];
}

export interface Regularity {
  every: 'month' | 'quarter';
  towns: {
    townCode: string;
    townName: string;
    met: number;
    expected: number;
    rate: number;
    lastHeldOn: string | null;
  }[];
}

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
    queryFn: ({ signal }) =>
      getJson<{ total: number; items: Mediator[] }>(apiUrl('/api/mediators', { town, kind, limit: 1000 }), signal),
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
    queryFn: ({ signal }) =>
      getJson<{ total: number; items: MeetingSummary[] }>(apiUrl('/api/meetings', { town, limit: 100 }), signal),
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
    queryFn: ({ signal }) =>
      getJson<{
        accounts: { id: number; displayName: string; role: string }[];
        mediators: { id: number; name: string; kind: MediatorKind; stationName: string | null }[];
      }>(apiUrl('/api/meetings/attendees', { town }), signal),
  });

export const sendPeople = <T>(method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown): Promise<T> =>
  requestJson<T>(method, url, body);

export const documentUrl = (id: number, kind: 'agreement' | 'record', format: 'docx' | 'pdf') =>
  apiUrl(`/api/disputes/${id}/document`, { kind, format });
