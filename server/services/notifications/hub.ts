import { deliveriesOf, NOTIFY_CHANNEL, notificationsAfter, type ReaderScope } from '../../db/queries/notifications.js';
import type { Db } from '../../db/types.js';

interface Scoped {
  townCode: string | null;
  villageCode: string | null;
  stationId: number | null;
}

/**
 * The reader's scope now, as the list applies it (queries/notifications.ts readerWhere): an account moved to
 * another town since the event was written no longer receives it live either.
 */
function sees(r: ReaderScope, item: Scoped): boolean {
  if (r.towns === null) return true;
  if (r.villages) return item.villageCode !== null && r.villages.includes(item.villageCode);
  if (item.townCode !== null && r.towns.includes(item.townCode)) return true;
  return r.stationId !== null && item.stationId === r.stationId;
}

/** One open page (an SSE stream) of one account. */
export interface Subscriber {
  reader: ReaderScope;
  /** Writes one notification to the page (an SSE `id:` + `data:` frame). */
  send(id: number, item: unknown): void;
  /** Writes a comment line (heartbeat): keeps proxies from closing an idle stream and finds dead sockets. */
  ping(): void;
  /** Ends the stream (the app is closing). */
  end(): void;
}

/** How many missed notifications a reconnecting page gets at most (older ones stay in the list). */
export const RESUME_LIMIT = 500;
/** Events read in one statement at most (a long burst's backlog is read in slices). */
const MAX_EVENTS_PER_READ = 200;
/** Ids remembered per page so that a replay racing the live feed never shows a notification twice. */
const REMEMBERED = 2000;

interface Entry {
  sub: Subscriber;
  sent: Set<number>;
  lastId: number;
  /** Live deliveries held back while the page's missed notifications are being replayed. */
  held: Array<[number, unknown]> | null;
}

/**
 * Real-time delivery to the open pages of this app instance. Every instance LISTENs on the database's channel
 * (a dedicated connection on the PostGIS server, PGlite's own on the embedded one); a NOTIFY carries the event id
 * only, and each instance reads that event's recipients and writes to the pages it holds for them. Scope was
 * decided when the recipients were written (publish.ts), so a page only ever receives its own account's rows.
 */
export class NotificationHub {
  private readonly byAccount = new Map<number, Set<Entry>>();
  private stopListening: (() => Promise<void>) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Event reads in flight, kept in order so pages receive notifications in the order they were sent. */
  private queue: Promise<void> = Promise.resolve();
  /** Event ids received and not yet read (see arrive). */
  private pending: number[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: { heartbeatMs: number; onError?: (err: unknown) => void },
  ) {}

  async start(): Promise<void> {
    this.stopListening = await this.db.listen(
      NOTIFY_CHANNEL,
      (payload) => this.arrive(payload),
      () => this.enqueue(() => this.catchUpAll()),
    );
    this.heartbeat = setInterval(() => {
      for (const set of this.byAccount.values()) for (const e of set) e.sub.ping();
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const set of this.byAccount.values()) for (const e of set) e.sub.end();
    this.byAccount.clear();
    await this.stopListening?.();
    this.stopListening = null;
    await this.queue;
  }

  /** Open pages on this instance (the bench and the health figures read it). */
  get size(): number {
    let n = 0;
    for (const set of this.byAccount.values()) n += set.size;
    return n;
  }

  /**
   * Adds a page. With `lastEventId` (a reconnect: the browser's Last-Event-ID), first replays what the account
   * received after it, holding live deliveries back meanwhile so that nothing is lost or doubled.
   */
  async subscribe(sub: Subscriber, lastEventId: number | null): Promise<() => void> {
    const entry: Entry = { sub, sent: new Set(), lastId: lastEventId ?? 0, held: lastEventId !== null ? [] : null };
    const id = sub.reader.accountId;
    let set = this.byAccount.get(id);
    if (!set) {
      set = new Set();
      this.byAccount.set(id, set);
    }
    set.add(entry);
    const remove = () => {
      const s = this.byAccount.get(id);
      s?.delete(entry);
      if (s && s.size === 0) this.byAccount.delete(id);
    };
    if (lastEventId !== null) {
      try {
        await this.replay(entry, lastEventId);
      } finally {
        const held = entry.held ?? [];
        entry.held = null;
        for (const [nid, item] of held) this.write(entry, nid, item);
      }
    }
    return remove;
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((err) => this.options.onError?.(err));
  }

  private write(entry: Entry, id: number, item: unknown): void {
    if (!sees(entry.sub.reader, item as Scoped)) return;
    if (entry.held) {
      entry.held.push([id, item]);
      return;
    }
    if (entry.sent.has(id)) return;
    entry.sent.add(id);
    if (entry.sent.size > REMEMBERED) {
      const oldest = entry.sent.values().next().value as number;
      entry.sent.delete(oldest);
    }
    if (id > entry.lastId) entry.lastId = id;
    entry.sub.send(id, item);
  }

  private async replay(entry: Entry, afterId: number): Promise<void> {
    const q = notificationsAfter(entry.sub.reader, afterId, RESUME_LIMIT);
    const { rows } = await this.db.query<{ id: number; item: unknown }>(q.text, q.values);
    const held = entry.held;
    entry.held = null;
    for (const r of rows) this.write(entry, Number(r.id), r.item);
    entry.held = held;
  }

  /**
   * An event id from the channel. Events that arrive while a read is waiting are read together in one statement:
   * on the embedded database each read waits behind the queries queued on its one connection, and one read per
   * event fell ever further behind a burst of writes (p95 37.6 s at 1,000 writes, server/bench/sse.ts).
   */
  private arrive(payload: string): void {
    if (this.byAccount.size === 0 || !/^[0-9]{1,18}$/.test(payload)) return;
    this.pending.push(Number(payload));
    if (this.pending.length === 1) this.enqueue(() => this.deliverPending());
  }

  private async deliverPending(): Promise<void> {
    const ids = this.pending.splice(0, MAX_EVENTS_PER_READ);
    // More than one read's worth came in: the rest is read next, after this one.
    if (this.pending.length > 0) this.enqueue(() => this.deliverPending());
    if (ids.length === 0) return;
    const q = deliveriesOf(ids);
    const { rows } = await this.db.query<{ id: number; account_id: number; item: unknown }>(q.text, q.values);
    for (const r of rows) {
      const set = this.byAccount.get(Number(r.account_id));
      if (!set) continue;
      for (const entry of set) this.write(entry, Number(r.id), r.item);
    }
  }

  /** After the listening connection was lost and reopened: each page gets what it missed meanwhile. */
  private async catchUpAll(): Promise<void> {
    for (const set of [...this.byAccount.values()]) {
      for (const entry of [...set]) {
        const q = notificationsAfter(entry.sub.reader, entry.lastId, RESUME_LIMIT);
        const { rows } = await this.db.query<{ id: number; item: unknown }>(q.text, q.values);
        for (const r of rows) this.write(entry, Number(r.id), r.item);
      }
    }
  }
}
