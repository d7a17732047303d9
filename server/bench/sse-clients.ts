import { Agent, type ClientRequest, get } from 'node:http';

/**
 * The simulated open pages of the notification bench (server/bench/sse.ts), as a child process of the bench so
 * that their sockets have a file-descriptor limit of their own and their parsing does not delay the writes being
 * timed. Each page is one `GET /api/notifications/stream` on its own socket (what a browser's EventSource holds
 * open); every notification frame is stamped on arrival with the wall clock in milliseconds, comparable with the
 * database's stamps on the same machine. Driven over IPC: `open` → `opened`, then `progress` every 200 ms,
 * `report` → the stamps, `close`.
 */

interface OpenMessage {
  type: 'open';
  base: string;
  /** One session cookie per page (pages of one account share it). */
  cookies: string[];
  concurrency: number;
}
type Message = OpenMessage | { type: 'report' } | { type: 'close' };

const send = (m: unknown) => process.send?.(m);
const now = () => performance.timeOrigin + performance.now();
const EVENT_ID = /"eventId":(\d+)/;

let count = 0;
let clientOf = new Int32Array(1 << 16);
let eventOf = new Float64Array(1 << 16);
let atOf = new Float64Array(1 << 16);
let lastAt = 0;
let dropped = 0;
/** Set once the parent ends the run: pages closing then are not counted as dropped. */
let closing = false;
const requests: ClientRequest[] = [];

function record(client: number, eventId: number, at: number) {
  if (count === clientOf.length) {
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T) => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    clientOf = grow(clientOf, (n) => new Int32Array(n));
    eventOf = grow(eventOf, (n) => new Float64Array(n));
    atOf = grow(atOf, (n) => new Float64Array(n));
  }
  clientOf[count] = client;
  eventOf[count] = eventId;
  atOf[count] = at;
  count += 1;
  lastAt = at;
}

/** Opens one page; resolves with the HTTP status once the stream's first line has arrived (or it failed). */
function openPage(agent: Agent, base: URL, cookie: string, client: number): Promise<number> {
  return new Promise((resolve) => {
    const req = get(
      {
        host: base.hostname,
        port: base.port,
        path: '/api/notifications/stream',
        headers: { cookie, accept: 'text/event-stream' },
        agent,
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          resolve(res.statusCode ?? 0);
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        let connected = false;
        res.on('data', (chunk: string) => {
          const at = now();
          if (!connected) {
            connected = true;
            resolve(200);
          }
          buffer += chunk;
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const m = block.includes('\ndata: ') || block.startsWith('data: ') ? EVENT_ID.exec(block) : null;
            if (m) record(client, Number(m[1]), at);
            cut = buffer.indexOf('\n\n');
          }
        });
        res.on('close', () => {
          if (!closing) dropped += 1;
        });
      },
    );
    req.on('error', () => resolve(0));
    requests.push(req);
  });
}

async function open(m: OpenMessage) {
  const base = new URL(m.base);
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const t0 = now();
  const statuses: Record<string, number> = {};
  let retries = 0;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= m.cookies.length) return;
      // An overloaded app answers 503 (under-pressure) while the pages pile in: the page retries, as a browser's
      // EventSource would, after a short wait.
      for (let attempt = 0; ; attempt++) {
        const status = await openPage(agent, base, m.cookies[i] as string, i);
        if (status !== 503 || attempt >= 20) {
          statuses[status] = (statuses[status] ?? 0) + 1;
          break;
        }
        retries += 1;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  await Promise.all(Array.from({ length: m.concurrency }, worker));
  send({ type: 'opened', ms: now() - t0, statuses, retries });
  setInterval(() => send({ type: 'progress', frames: count, lastAt, dropped }), 200).unref();
}

process.on('message', (m: Message) => {
  if (m.type === 'open') void open(m);
  else if (m.type === 'report') {
    send({
      type: 'report',
      clients: clientOf.slice(0, count),
      events: eventOf.slice(0, count),
      at: atOf.slice(0, count),
      dropped,
    });
  } else if (m.type === 'close') {
    closing = true;
    for (const r of requests) r.destroy();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
