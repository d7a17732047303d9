/** Query factories and writes of the notifications (issue 16, 信息互通). */
import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { Inbox, MarkedRead, NotificationItem, NotificationRules, Unread } from '../../../server/contract';
import type { NotificationFamily } from '../../../server/contract/vocabulary';
import { apiUrl, getJson, invalidate, requestJson } from './client';

export { type NotificationFamily, notificationFamilies } from '../../../server/contract/vocabulary';
/** A notification, the inbox and the rule table (the API contract's answers). */
export type { Inbox, MarkedRead, NotificationItem, NotificationRules, Unread };

export const notificationKeys = {
  all: ['notifications'] as const,
  list: (family: NotificationFamily | null) => ['notifications', 'list', family] as const,
  unread: ['notifications', 'unread'] as const,
};

export const inboxQuery = (family: NotificationFamily | null) =>
  queryOptions({
    queryKey: notificationKeys.list(family),
    queryFn: ({ signal }) => getJson<Inbox>(apiUrl('/api/notifications', { family, limit: 50 }), signal),
  });

export const unreadQuery = () =>
  queryOptions({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => getJson<Unread>('/api/notifications/unread', signal),
  });

/** What marking notifications read makes stale: the inbox lists and the bell's count. */
export const MARK_READ_STALE = [notificationKeys.all] as const;

export const markReadMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (body: { ids: number[] } | { all: true; upTo?: number }) =>
      requestJson<MarkedRead>('POST', '/api/notifications/read', body),
    onSuccess: () => invalidate(queryClient, MARK_READ_STALE),
  });

/** What a notification arriving on the stream makes stale: the inbox lists and the bell's count. */
export const NOTIFICATION_ARRIVED_STALE = [notificationKeys.all] as const;

export const rulesQuery = () =>
  queryOptions({
    queryKey: ['notification-rules'],
    queryFn: ({ signal }) => getJson<NotificationRules>('/api/notification-rules', signal),
  });

export const setRule = (body: { kind: string; role: string; audience: string; enabled: boolean }) =>
  requestJson<NotificationRules>('PUT', '/api/notification-rules', body);
