/** Query factories and writes of the notifications (issue 16, 信息互通). */
import { queryOptions } from '@tanstack/react-query';
import type { Inbox, MarkedRead, NotificationItem, NotificationRules, Unread } from '../../../server/contract';
import type { NotificationFamily } from '../../../server/contract/vocabulary';
import { apiUrl, getJson, requestJson } from './client';

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

export const markRead = (body: { ids: number[] } | { all: true; upTo?: number }) =>
  requestJson<MarkedRead>('POST', '/api/notifications/read', body);

export const rulesQuery = () =>
  queryOptions({
    queryKey: ['notification-rules'],
    queryFn: ({ signal }) => getJson<NotificationRules>('/api/notification-rules', signal),
  });

export const setRule = (body: { kind: string; role: string; audience: string; enabled: boolean }) =>
  requestJson<NotificationRules>('PUT', '/api/notification-rules', body);
