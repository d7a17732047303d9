/** Query factories and writes of the tasks (交办 / 督办 / 销号, issue 16). */
import { keepPreviousData, mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { Assignees, TaskDetail, TaskEvent, TaskFigures, TaskItem, TaskList } from '../../../server/contract';
import type { TaskAction, TaskStatus, TaskSubject } from '../../../server/contract/vocabulary';
import { apiUrl, getJson, invalidate, requestJson } from './client';
import { notificationKeys } from './notifications';
import { warningKeys } from './warnings';

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

/** What assigning a task makes stale: the tasks. */
export const TASK_CREATE_STALE = [taskKeys.all] as const;
/** A task about a warning also settles the warning as tasked (the same transaction): the warnings too. */
export const WARNING_TASK_CREATE_STALE = [taskKeys.all, warningKeys.all] as const;

export const createTaskMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (body: NewTask) => requestJson<TaskDetail>('POST', '/api/tasks', body),
    onSuccess: (_task, body) =>
      invalidate(queryClient, body.subjectKind === 'warning' ? WARNING_TASK_CREATE_STALE : TASK_CREATE_STALE),
  });

export interface TaskMove {
  id: number;
  to: TaskStatus;
  version: number;
  note?: string;
  lon?: number;
  lat?: number;
}

/** What moving a task makes stale: the tasks, and the notifications the move sends the other side. */
export const TASK_MOVE_STALE = [taskKeys.all, notificationKeys.all] as const;
/** A refused move (409: moved meanwhile, or no longer legal): the tasks, reloaded to show where it stands. */
export const TASK_MOVE_REFUSED_STALE = [taskKeys.all] as const;

export const moveTaskMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ id, ...body }: TaskMove) => requestJson<TaskDetail>('POST', `/api/tasks/${id}/transitions`, body),
    onSuccess: () => invalidate(queryClient, TASK_MOVE_STALE),
    onError: () => invalidate(queryClient, TASK_MOVE_REFUSED_STALE),
  });

/** What a task's notification arriving on the stream makes stale: the notifications, and the tasks it is about. */
export const TASK_NOTIFICATION_ARRIVED_STALE = [notificationKeys.all, taskKeys.all] as const;
