/** Query factories and writes of the tasks (交办 / 督办 / 销号, issue 16). */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson, requestJson } from './client';
import type { StationKind } from './vocabulary';

export const taskActions = ['verify', 'visit', 'mediate', 'rescreen', 'report_back'] as const;
export type TaskAction = (typeof taskActions)[number];
export const taskStatuses = ['assigned', 'accepted', 'reported', 'sent_back', 'closed'] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export type TaskSubjectKind = 'village' | 'case' | 'warning' | 'cell';

export interface TaskItem {
  id: number;
  action: TaskAction;
  subjectKind: TaskSubjectKind;
  status: TaskStatus;
  version: number;
  townCode: string;
  townName: string;
  villageCode: string | null;
  villageName: string | null;
  disputeId: number | null;
  caseNo: string | null;
  warningId: number | null;
  point: [number, number];
  assigneeKind: 'station' | 'screener';
  assigneeStationName: string | null;
  assigneeStationKind: StationKind | null;
  assigneeName: string | null;
  instructions: string;
  dueOn: string;
  assignedByName: string;
  reportNote: string | null;
  /** Where the assignee reported back from, when they gave a location. */
  reportPoint: [number, number] | null;
  createdAt: string;
  overdue: boolean;
  daysOverdue: number;
  escalated: boolean;
  demo: boolean;
  allowedMoves: TaskStatus[];
}

export interface TaskEvent {
  id: number;
  kind: 'created' | 'accepted' | 'reported' | 'closed' | 'sent_back' | 'reminded' | 'escalated';
  actorName: string;
  note: string;
  at: string;
}

export interface TaskDetail extends TaskItem {
  events: TaskEvent[];
}

export interface TaskFigures {
  by: 'town' | 'station';
  units: {
    key: string;
    name: string;
    townCode: string;
    issued: number;
    closed: number;
    closedOnTime: number;
    overdue: number;
    open: number;
    onTimeRate: number | null;
  }[];
}

export interface Assignees {
  stations: { id: number; kind: StationKind; name: string }[];
  screeners: { id: number; displayName: string; villages: string[] | null }[];
}

export const taskKeys = {
  all: ['tasks'] as const,
  list: (params: Record<string, string | boolean | undefined>) => ['tasks', 'list', params] as const,
  figures: (by: string, town: string | null) => ['tasks', 'figures', by, town] as const,
};

export const tasksQuery = (params: { town?: string | undefined; open?: boolean; overdue?: boolean }) =>
  queryOptions({
    queryKey: taskKeys.list(params),
    queryFn: ({ signal }) =>
      getJson<{ total: number; items: TaskItem[] }>(apiUrl('/api/tasks', { ...params, limit: 200 }), signal),
    placeholderData: keepPreviousData,
  });

export const taskFiguresQuery = (by: 'town' | 'station', town: string | null) =>
  queryOptions({
    queryKey: taskKeys.figures(by, town),
    queryFn: ({ signal }) => getJson<TaskFigures>(apiUrl('/api/tasks/figures', { by, town }), signal),
  });

export const assigneesQuery = (town: string | null) =>
  queryOptions({
    queryKey: ['tasks', 'assignees', town],
    queryFn: ({ signal }) => getJson<Assignees>(apiUrl('/api/tasks/assignees', { town }), signal),
    enabled: town !== null,
  });

export interface NewTask {
  action: TaskAction;
  subjectKind: TaskSubjectKind;
  villageCode?: string;
  disputeId?: number;
  warningId?: number;
  cellId?: string;
  cellSize?: string;
  lon?: number;
  lat?: number;
  assigneeStationId?: number;
  assigneeAccountId?: number;
  dueOn: string;
  instructions?: string;
  clientKey: string;
}

export const createTask = (body: NewTask) => requestJson<TaskDetail>('POST', '/api/tasks', body);

export const moveTask = (
  id: number,
  body: { to: TaskStatus; version: number; note?: string; lon?: number; lat?: number },
) => requestJson<TaskDetail>('POST', `/api/tasks/${id}/transitions`, body);
