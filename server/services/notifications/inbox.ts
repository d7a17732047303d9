import type { Inbox, NotificationItem } from '../../contract/notifications.js';
import {
  type ListFilter,
  listNotifications,
  markRead,
  type ReaderScope,
  unreadCount,
} from '../../db/queries/notifications.js';
import type { Queryable } from '../../db/types.js';

export type { ReaderScope };

/** The reader's notifications (newest first) with the bell's unread count; only what their scope still covers. */
export async function inbox(db: Queryable, reader: ReaderScope, filter: ListFilter): Promise<Inbox> {
  const l = listNotifications(reader, filter);
  const items = (await db.query<{ item: NotificationItem }>(l.text, l.values)).rows.map((r) => r.item);
  return { items, ...(await unread(db, reader)) };
}

export async function unread(db: Queryable, reader: ReaderScope): Promise<{ unread: number; latest: number | null }> {
  const c = unreadCount(reader);
  const row = (await db.query<{ unread: number; latest: number | null }>(c.text, c.values)).rows[0];
  return { unread: Number(row?.unread ?? 0), latest: row?.latest == null ? null : Number(row.latest) };
}

/**
 * Marks notifications read: the ids given (others' ids or ids outside the reader's scope are simply not theirs),
 * or all unread up to `upTo` — the newest one the page showed, so that one arriving meanwhile stays unread.
 */
export async function markNotificationsRead(
  db: Queryable,
  reader: ReaderScope,
  what: { ids: readonly number[] } | { upTo: number | null },
): Promise<number> {
  const q = 'ids' in what ? markRead(reader, what.ids, null) : markRead(reader, null, what.upTo);
  return (await db.query(q.text, q.values)).rowCount;
}
