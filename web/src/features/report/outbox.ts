/**
 * The phone form's outbox: entries wait on the device (localStorage) until the server has them. Each entry
 * carries the id the phone generated when it was filled in, so sending it twice (a dropped answer, a reload,
 * two tabs) never stores it twice: the server answers a known id with the first result.
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

const KEY = 'screening-outbox';

export function readOutbox(storage: Storage): OutboxEntry[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
  } catch {
    return [];
  }
}

export function writeOutbox(storage: Storage, entries: OutboxEntry[]): void {
  storage.setItem(KEY, JSON.stringify(entries));
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
  if (res.status >= 400 && res.status < 500) {
    const b = (await res.json().catch(() => null)) as { message?: string } | null;
    return { kind: 'refused', message: b?.message ?? String(res.status) };
  }
  return { kind: 'offline' };
}

/** Sends every queued entry in order; returns what is still queued and what the server refused. */
export async function flushOutbox(
  storage: Storage,
  fetcher: typeof fetch = fetch,
): Promise<{ sent: OutboxEntry[]; refused: { entry: OutboxEntry; message: string }[]; queued: OutboxEntry[] }> {
  const sent: OutboxEntry[] = [];
  const refused: { entry: OutboxEntry; message: string }[] = [];
  const queued: OutboxEntry[] = [];
  for (const entry of readOutbox(storage)) {
    const outcome = queued.length > 0 ? ({ kind: 'offline' } as const) : await sendEntry(entry, fetcher);
    if (outcome.kind === 'sent') sent.push(entry);
    else if (outcome.kind === 'refused') refused.push({ entry, message: outcome.message });
    else queued.push(entry);
    // Re-read so that an entry queued meanwhile (another tab) is not lost.
    const done = new Set([...sent, ...refused.map((r) => r.entry)].map((e) => e.clientId));
    writeOutbox(
      storage,
      readOutbox(storage).filter((e) => !done.has(e.clientId)),
    );
  }
  return { sent, refused, queued };
}
