/** Query factories and writes of the tasks (交办 / 督办 / 销号, issue 16). */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Assignees, TaskDetail, TaskEvent, TaskFigures, TaskItem, TaskList } from '../../../server/contract';
import type { TaskAction, TaskStatus, TaskSubject } from '../../../server/contract/vocabulary';
import { apiUrl, getJson, requestJson } from './client';

export {
  type TaskAction,
  type TaskStatus,
  type TaskSubject as TaskSubjectKind,
  taskActions,
  taskStatuses,
} from '../../../server/contract/vocabulary';
/** A task, its history, the figures and the assignees (the API contract's answers). */
export type { Assignees, TaskDetail, TaskEvent, TaskFigures, TaskItem, TaskList };

export const taskKeys = {
  all: ['tasks'] as const,
  list: (params: Record<string, string | boolean | undefined>) => ['tasks', 'list', params] as const,
  figures: (by: string, town: string | null) => ['tasks', 'figures', by, town] as const,
};

export const tasksQuery = (params: { town?: string | undefined; open?: boolean; overdue?: boolean }) =>
  queryOptions({
    queryKey: taskKeys.list(params),
    queryFn: ({ signal }) => getJson<TaskList>(apiUrl('/api/tasks', { ...params, limit: 200 }), signal),
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
  subjectKind: TaskSubject;
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
