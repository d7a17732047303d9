import Type, { type Static } from 'typebox';
import { LocalTime, Nullable, Position } from './common.js';
import { notificationFamilies } from './vocabulary.js';

/** Answers of the notifications (信息互通, /api/notifications/*, /api/notification-rules). */

export const NotificationItem = Type.Object({
  id: Type.Integer(),
  eventId: Type.Integer(),
  kind: Type.String({ description: 'dotted event kind: case.created, task.assigned…' }),
  family: Type.Enum(notificationFamilies),
  level: Type.Enum(['town', 'county'] as const),
  /** A message code; the text is the web's (notifications.messages). */
  title: Type.String({ description: 'a message code the web app words' }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
    description: 'the message’s parameters (no personal data)',
  }),
  townCode: Nullable(Type.String()),
  townName: Nullable(Type.String()),
  villageCode: Nullable(Type.String()),
  villageName: Nullable(Type.String()),
  stationId: Nullable(Type.Integer()),
  stationName: Nullable(Type.String()),
  disputeId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  taskId: Nullable(Type.Integer()),
  warningId: Nullable(Type.Integer()),
  point: Nullable(Position),
  createdAt: LocalTime,
  read: Type.Boolean(),
});
export type NotificationItem = Static<typeof NotificationItem>;

const UnreadProperties = {
  unread: Type.Integer(),
  latest: Nullable(Type.Integer({ description: 'the newest unread notification’s id' })),
};

export const Unread = Type.Object(UnreadProperties);
export type Unread = Static<typeof Unread>;

export const Inbox = Type.Object({ items: Type.Array(NotificationItem), ...UnreadProperties });
export type Inbox = Static<typeof Inbox>;

export const MarkedRead = Type.Object({ marked: Type.Integer(), ...UnreadProperties });
export type MarkedRead = Static<typeof MarkedRead>;

export const NotificationRules = Type.Object({
  kinds: Type.Array(Type.Object({ kind: Type.String(), family: Type.Enum(notificationFamilies) })),
  roles: Type.Array(Type.String()),
  audiencesOfRole: Type.Record(Type.String(), Type.Array(Type.String())),
  rules: Type.Array(Type.Object({ kind: Type.String(), role: Type.String(), audience: Type.String() })),
});
export type NotificationRules = Static<typeof NotificationRules>;
