/** Query factories and writes of the notifications (issue 16, 信息互通). */
import { queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson, requestJson } from './client';

export const notificationFamilies = ['case', 'screening', 'task', 'warning'] as const;
export type NotificationFamily = (typeof notificationFamilies)[number];

export interface NotificationItem {
  id: number;
  eventId: number;
  kind: string;
  family: NotificationFamily;
  level: 'town' | 'county';
  /** A message code; the text is the web's (notifications.messages). */
  title: string;
  params: Record<string, string | number>;
  townCode: string | null;
  townName: string | null;
  villageCode: string | null;
  villageName: string | null;
  stationId: number | null;
  stationName: string | null;
  disputeId: number | null;
  caseNo: string | null;
  taskId: number | null;
  warningId: number | null;
  point: [number, number] | null;
  createdAt: string;
  read: boolean;
}

export interface Inbox {
  items: NotificationItem[];
  unread: number;
  latest: number | null;
}

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
    queryFn: ({ signal }) => getJson<{ unread: number; latest: number | null }>('/api/notifications/unread', signal),
  });

export const markRead = (body: { ids: number[] } | { all: true; upTo?: number }) =>
  requestJson<{ marked: number; unread: number }>('POST', '/api/notifications/read', body);

export interface NotificationRules {
  kinds: { kind: string; family: NotificationFamily }[];
  roles: string[];
  audiencesOfRole: Record<string, string[]>;
  rules: { kind: string; role: string; audience: string }[];
}

export const rulesQuery = () =>
  queryOptions({
    queryKey: ['notification-rules'],
    queryFn: ({ signal }) => getJson<NotificationRules>('/api/notification-rules', signal),
  });

export const setRule = (body: { kind: string; role: string; audience: string; enabled: boolean }) =>
  requestJson<NotificationRules>('PUT', '/api/notification-rules', body);
