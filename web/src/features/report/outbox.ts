import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/**
 * The phone form's outbox: entries wait on the device (IndexedDB, which survives a reload, a closed tab and an
 * installed app's restart) until the server has them. Each entry carries the id the phone generated when it was
 * filled in, its idempotency key: sending it twice (a dropped answer, a retried sync, two tabs) never stores it
 * twice, because the server answers a known id with the first result (POST /api/screenings, `form:<clientId>`).
 */
export interface OutboxEntry {
  clientId: string;
  villageCode: string;
  villageName: string;
  lon?: number;
  lat?: number;
  screenedOn: string;
  screener: string;
  zeroReport: boolean;
  items: { category: string; riskLevel: string; note: string }[];
  queuedAt: string;
}

export type SendOutcome = { kind: 'sent' } | { kind: 'refused'; message: string } | { kind: 'offline' };

interface OutboxSchema extends DBSchema {
  entries: { key: string; value: OutboxEntry };
  meta: { key: string; value: string };
}

export const OUTBOX_DB = 'screening-outbox';
/** Where entries waited before IndexedDB: moved over once, so nothing queued on an older version is lost. */
const LEGACY_KEY = 'screening-outbox';

export interface Outbox {
  add(entry: OutboxEntry): Promise<void>;
  /** Oldest first. */
  entries(): Promise<OutboxEntry[]>;
  remove(clientId: string): Promise<void>;
  /** When the outbox was last emptied into the server (ISO 8601), or null. */
  lastSync(): Promise<string | null>;
  setLastSync(at: string): Promise<void>;
}

let opened: Promise<Outbox> | null = null;

export function openOutbox(): Promise<Outbox> {
  opened ??= (async () => {
    const db: IDBPDatabase<OutboxSchema> = await openDB<OutboxSchema>(OUTBOX_DB, 1, {
      upgrade(d) {
        d.createObjectStore('entries', { keyPath: 'clientId' });
        d.createObjectStore('meta');
      },
    });
    const outbox: Outbox = {
      async add(entry) {
        await db.put('entries', entry);
      },
      async entries() {
        const all = await db.getAll('entries');
        return all.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
      },
      async remove(clientId) {
        await db.delete('entries', clientId);
      },
      async lastSync() {
        return (await db.get('meta', 'lastSync')) ?? null;
      },
      async setLastSync(at) {
        await db.put('meta', at, 'lastSync');
      },
    };
    try {
      const legacy: unknown = JSON.parse(localStorage.getItem(LEGACY_KEY) ?? '[]');
      if (Array.isArray(legacy)) for (const e of legacy as OutboxEntry[]) await outbox.add(e);
      localStorage.removeItem(LEGACY_KEY);
    } catch {
      // Unreadable legacy data: nothing to move.
    }
    return outbox;
  })();
  return opened;
}

/** Sends one entry. A network failure keeps it queued; a 4xx refusal is final (resending would not help). */
export async function sendEntry(entry: OutboxEntry, fetcher: typeof fetch = fetch): Promise<SendOutcome> {
  const { villageName: _name, queuedAt: _at, ...body } = entry;
  let res: Response;
  try {
    res = await fetcher('/api/screenings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return { kind: 'offline' };
  }
  if (res.ok) return { kind: 'sent' };
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    const b = (await res.json().catch(() => null)) as { message?: string } | null;
    return { kind: 'refused', message: b?.message ?? String(res.status) };
  }
  return { kind: 'offline' };
}

export interface FlushResult {
  sent: OutboxEntry[];
  refused: { entry: OutboxEntry; message: string }[];
  queued: OutboxEntry[];
}

let running: Promise<FlushResult> | null = null;

/**
 * Sends every queued entry, oldest first, stopping at the first network failure. One flush at a time per page
 * (a second call joins the running one) and, where the browser has Web Locks, per device: the `online` event,
 * a submit and a second tab never send the same entry side by side (and if they did, the server would store it
 * once all the same).
 */
export function flushOutbox(outbox: Outbox, fetcher: typeof fetch = fetch): Promise<FlushResult> {
  running ??= (async () => {
    try {
      const run = () => flushOnce(outbox, fetcher);
      return navigator.locks ? await navigator.locks.request(OUTBOX_DB, run) : await run();
    } finally {
      running = null;
    }
  })();
  return running;
}

async function flushOnce(outbox: Outbox, fetcher: typeof fetch): Promise<FlushResult> {
  const result: FlushResult = { sent: [], refused: [], queued: [] };
  const entries = await outbox.entries();
  for (const [i, entry] of entries.entries()) {
    const outcome = await sendEntry(entry, fetcher);
    if (outcome.kind === 'offline') {
      result.queued = entries.slice(i);
      break;
    }
    if (outcome.kind === 'sent') result.sent.push(entry);
    else result.refused.push({ entry, message: outcome.message });
    await outbox.remove(entry.clientId);
  }
  if (result.queued.length === 0 && entries.length > 0) await outbox.setLastSync(new Date().toISOString());
  return result;
}
