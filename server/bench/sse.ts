import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createAccount, createSession } from '../auth/accounts.js';
import type { AccountRole } from '../auth/roles.js';
import { randomSecret } from '../auth/tokens.js';
import { prepareDatabase } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { openEmbedded } from '../db/embedded.js';
import type { Db } from '../db/index.js';
import { openPostgres } from '../db/postgres.js';
import {
  benchTowns,
  createDatabase,
  dropDatabase,
  eventsOfDisputes,
  realClock,
  recipientsOfEvents,
} from '../db/queries/bench.js';
import { NOTIFY_CHANNEL } from '../db/queries/notifications.js';
import { mulberry32 } from '../domain/demo/rng.js';
import { disputeCategories, type RiskLevel } from '../domain/vocabulary.js';
import { SESSION_COOKIE } from '../plugins/auth.js';
import {
  type AppProcess,
  type BenchContext,
  type BenchModule,
  type BenchTable,
  fmt,
  mib,
  openFilesLimit,
  percentile,
  root,
  serviceHeaders,
  startApp,
  withOpenFiles,
} from './harness.js';

/**
 * Issue 16's real-time delivery at scale: one app instance (the real server process) with N open pages subscribed
 * to `GET /api/notifications/stream` (simulated EventSource clients in child processes, signed in with sessions of
 * the town officers, the stations' staff and the county roles of every town of the demo county; the pages of one
 * account share its session), then a burst of W case registrations through `POST /api/disputes` (a service token,
 * 32 in flight). Per notification frame: delivery latency from the write's transaction start (the event's stamp,
 * an upper bound of commit → receipt) and, on the PostGIS server, from the commit itself (the NOTIFY as a LISTEN
 * connection of the bench sees it); frames delivered against those expected (each event's recipients × their
 * open pages), duplicates, frames to a page whose account was not a recipient; the app's RSS idle, with the pages
 * open and after the burst. Target: p95 ≤ 1 s. Sizes: 10,000 pages × 1,000 writes; `--quick` 500 × 100; or
 * `--clients N --writes N`; `--backend server|embedded` (both by default).
 *
 * File descriptors: each page is a socket on both sides, so the app and the client processes get `ulimit -n`
 * raised to pages + 1,024 (within the hard limit, which the module checks first: `ulimit -Hn` must allow it).
 */
const TARGET_P95_MS = 1000;
const WRITES_IN_FLIGHT = 32;
/** Pages per client process (two processes for 10,000: the parsing then uses both cores when the app waits). */
const PAGES_PER_PROCESS = 5000;
/** The burst is over once every write is answered and no frame has arrived for this long. */
const QUIET_MS = 3000;
const MAX_WAIT_MS = 180_000;

const now = () => performance.timeOrigin + performance.now();

interface Page {
  accountId: number;
  cookie: string;
}

interface Setup {
  /** One entry per account that has open pages: its id and session cookie. */
  sessions: Page[];
  writerHeaders: Record<string, string>;
  villages: string[];
  towns: number;
}

/** The demo county, the real clock, and one account + session per town officer, station staff and county role. */
async function prepare(db: Db, log: (m: string) => void): Promise<Setup> {
  await prepareDatabase(db, 'auto', log);
  const clock = realClock();
  await db.query(clock.text, clock.values);
  const t = benchTowns(1000);
  const { rows: towns } = await db.query<{
    code: string;
    villages: string[];
    stations: { id: number; kind: string }[] | null;
  }>(t.text, t.values);
  const auth = loadConfig({}).auth;
  const sessions: Page[] = [];
  const account = async (username: string, role: AccountRole, extra: { townCode?: string; stationId?: number }) => {
    const accountId = await createAccount(db, {
      username,
      displayName: username,
      role,
      password: randomSecret(),
      ...extra,
    });
    const secret = await createSession(db, accountId, auth, { userAgent: 'bench sse' });
    sessions.push({ accountId, cookie: `${SESSION_COOKIE}=${secret}` });
  };
  await account('bench.admin', 'admin', {});
  await account('bench.leader', 'leader', {});
  for (const town of towns) {
    await account(`bench.officer.${town.code}`, 'town_officer', { townCode: town.code });
    for (const s of town.stations ?? []) await account(`bench.staff.${s.id}`, 'station_staff', { stationId: s.id });
  }
  // The writes go round the towns, a village of each in turn.
  const villages: string[] = [];
  const longest = Math.max(...towns.map((t) => t.villages.length));
  for (let i = 0; i < longest; i++) for (const t of towns) if (t.villages[i]) villages.push(t.villages[i] as string);
  return { sessions, writerHeaders: await serviceHeaders(db), villages, towns: towns.length };
}

interface ClientProcess {
  child: ChildProcess;
  /** Index of its first page among all pages. */
  offset: number;
  frames: number;
  lastAt: number;
  dropped: number;
  opened: Promise<{ ms: number; statuses: Record<string, number>; retries: number }>;
  report(): Promise<{ clients: Int32Array; events: Float64Array; at: Float64Array; dropped: number }>;
}

function startClients(base: string, cookies: string[], offset: number, openFiles: number): ClientProcess {
  const [cmd, args] = withOpenFiles(openFiles, [
    process.execPath,
    '--import',
    'tsx',
    join(root, 'server/bench/sse-clients.ts'),
  ]);
  const child = spawn(cmd, args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const cp: ClientProcess = {
    child,
    offset,
    frames: 0,
    lastAt: 0,
    dropped: 0,
    opened: new Promise((resolve, reject) => {
      child.on('message', (m: { type: string; ms: number; statuses: Record<string, number>; retries: number }) => {
        if (m.type === 'opened') resolve(m);
      });
      child.once('exit', (code) => reject(new Error(`the SSE client process exited with ${code}`)));
    }),
    report: () =>
      new Promise((resolve) => {
        const on = (m: { type: string } & Awaited<ReturnType<ClientProcess['report']>>) => {
          if (m.type !== 'report') return;
          child.off('message', on);
          resolve(m);
        };
        child.on('message', on);
        child.send({ type: 'report' });
      }),
  };
  child.on('message', (m: { type: string; frames: number; lastAt: number; dropped: number }) => {
    if (m.type !== 'progress') return;
    cp.frames = m.frames;
    cp.lastAt = m.lastAt;
    cp.dropped = m.dropped;
  });
  child.send({ type: 'open', base, cookies, concurrency: 64 });
  return cp;
}

interface WriteResult {
  status: number;
  id: number | null;
  sentAt: number;
  ackAt: number;
  retries: number;
}

/** POST one JSON body; on 503 (the app's overload guard) waits its Retry-After (at most 1 s) and tries again. */
function post(agent: Agent, base: URL, path: string, headers: Record<string, string>, body: unknown) {
  const text = JSON.stringify(body);
  const once = () =>
    new Promise<{ status: number; body: string; retryAfter: number }>((resolve, reject) => {
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            data += c;
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: data, retryAfter: Number(res.headers['retry-after'] ?? 1) }),
          );
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  return (async (): Promise<WriteResult> => {
    const sentAt = now();
    for (let retries = 0; ; retries++) {
      const r = await once();
      if (r.status === 503 && retries < 30) {
        await new Promise((ok) => setTimeout(ok, Math.min(1000, Math.max(50, r.retryAfter * 1000))));
        continue;
      }
      const id = r.status === 201 ? Number((JSON.parse(r.body) as { id: number }).id) : null;
      return { status: r.status, id, sentAt, ackAt: now(), retries };
    }
  })();
}

async function burst(app: AppProcess, setup: Setup, writes: number): Promise<{ results: WriteResult[]; ms: number }> {
  const rng = mulberry32(16_016);
  const risk = (): RiskLevel => {
    const r = rng();
    return r < 0.1 ? 'red' : r < 0.3 ? 'orange' : r < 0.6 ? 'yellow' : 'blue';
  };
  const bodies = Array.from({ length: writes }, (_, i) => ({
    category: disputeCategories[Math.floor(rng() * disputeCategories.length)],
    riskLevel: risk(),
    villageCode: setup.villages[i % setup.villages.length],
    summary: `合成数据 bench ${i + 1}`,
  }));
  const agent = new Agent({ keepAlive: true, maxSockets: WRITES_IN_FLIGHT });
  const base = new URL(app.base);
  const t0 = performance.now();
  const results = await Promise.all(bodies.map((b) => post(agent, base, '/api/disputes', setup.writerHeaders, b)));
  const ms = performance.now() - t0;
  agent.destroy();
  return { results, ms };
}

interface Measured {
  backend: string;
  clients: number;
  writes: number;
  towns: number;
  accounts: number;
  connectMs: number;
  connectStatuses: Record<string, number>;
  connectRetries: number;
  burstMs: number;
  writeStatuses: Record<string, number>;
  writeRetries: number;
  expected: number;
  delivered: number;
  duplicates: number;
  unexpected: number;
  dropped: number;
  /** From the write's transaction start (the event's stamp). */
  latency: { p50: number; p95: number; max: number };
  /** From the commit (the bench's own LISTEN saw the NOTIFY); PostGIS server only. */
  fromCommit: { p50: number; p95: number; max: number } | null;
  rss: { idle: number; pagesOpen: number; afterBurst: number; peak: number };
  waitedMs: number;
}

// A million latencies: no spread into Math.max (the call stack's limit).
const stats = (v: number[]) => ({
  p50: percentile(v, 50),
  p95: percentile(v, 95),
  max: v.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
});

async function measure(
  ctx: BenchContext,
  backend: 'server' | 'embedded',
  clients: number,
  writes: number,
): Promise<Measured> {
  const openFiles = clients + 1024;
  let serverDb: Db | null = null;
  let dir: string | null = null;
  let serverUrl = '';
  const dbName = `${new URL(ctx.databaseUrl).pathname.slice(1) || 'bench'}_sse`;
  let setup: Setup;
  const t0 = performance.now();
  if (backend === 'server') {
    const admin = new URL(ctx.databaseUrl);
    admin.pathname = '/postgres';
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      for (const q of [dropDatabase(dbName), createDatabase(dbName)]) await c.query(q.text, q.values);
    } finally {
      await c.end();
    }
    const u = new URL(ctx.databaseUrl);
    u.pathname = `/${dbName}`;
    serverUrl = u.toString();
    serverDb = openPostgres({ connectionString: serverUrl, poolSize: 2, statementTimeoutMs: 600_000 });
    setup = await prepare(serverDb, ctx.log);
  } else {
    dir = await mkdtemp(join(tmpdir(), 'bench-sse-'));
    const emb = await openEmbedded({ dataDir: join(dir, 'pglite') });
    try {
      setup = await prepare(emb, ctx.log);
    } finally {
      await emb.close();
    }
  }
  ctx.log(
    `${backend}: demo county, ${setup.sessions.length} accounts over ${setup.towns} towns in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  const notifiedAt = new Map<number, number>();
  let stopListening = serverDb
    ? await serverDb.listen(NOTIFY_CHANNEL, (payload) => {
        if (!notifiedAt.has(Number(payload))) notifiedAt.set(Number(payload), now());
      })
    : null;
  const app = await startApp(serverUrl, ctx.log, {
    headers: setup.writerHeaders,
    openFiles,
    ...(dir ? { embeddedDataDir: dir } : {}),
  });
  const procs: ClientProcess[] = [];
  let m: Measured;
  try {
    const idle = await app.memory();
    // Page i belongs to account i mod accounts: every account has about the same number of open pages.
    const pageAccount = Array.from({ length: clients }, (_, i) => setup.sessions[i % setup.sessions.length] as Page);
    const tc = performance.now();
    for (let offset = 0; offset < clients; offset += PAGES_PER_PROCESS) {
      const cookies = pageAccount.slice(offset, offset + PAGES_PER_PROCESS).map((p) => p.cookie);
      procs.push(startClients(app.base, cookies, offset, cookies.length + 1024));
    }
    const opened = await Promise.all(procs.map((p) => p.opened));
    const connectMs = performance.now() - tc;
    const connectStatuses: Record<string, number> = {};
    for (const o of opened)
      for (const [k, v] of Object.entries(o.statuses)) connectStatuses[k] = (connectStatuses[k] ?? 0) + v;
    ctx.log(
      `${backend}: ${fmt(clients)} pages open in ${(connectMs / 1000).toFixed(1)} s (${JSON.stringify(connectStatuses)})`,
    );
    // Let the last pages' subscriptions settle (the stream's first line is written before the hub registers it).
    await new Promise((r) => setTimeout(r, 1000));
    const pagesOpen = await app.memory();
    const { results, ms: burstMs } = await burst(app, setup, writes);
    ctx.log(`${backend}: ${fmt(writes)} writes answered in ${(burstMs / 1000).toFixed(1)} s`);
    const tw = performance.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const last = Math.max(...procs.map((p) => p.lastAt));
      if (now() - Math.max(last, tw + performance.timeOrigin) >= QUIET_MS) break;
      if (performance.now() - tw > MAX_WAIT_MS) break;
    }
    const waitedMs = performance.now() - tw;
    const after = await app.memory();
    const reports = await Promise.all(procs.map((p) => p.report()));
    const writeStatuses: Record<string, number> = {};
    for (const r of results) writeStatuses[r.status] = (writeStatuses[r.status] ?? 0) + 1;
    const ids = results.map((r) => r.id).filter((id): id is number => id !== null);
    for (const p of procs) p.child.send({ type: 'close' });
    await app.stop();
    await stopListening?.();
    stopListening = null;

    // What was to be delivered, read after the app has stopped (the embedded database is the app's own file).
    const read = async (db: Db) => {
      const e = eventsOfDisputes(ids);
      const events = (await db.query<{ id: number; at_ms: number }>(e.text, e.values)).rows;
      const r = recipientsOfEvents(events.map((x) => Number(x.id)));
      const recipients = (await db.query<{ event_id: number; account_id: number }>(r.text, r.values)).rows;
      return { events, recipients };
    };
    let truth: Awaited<ReturnType<typeof read>>;
    if (serverDb) truth = await read(serverDb);
    else {
      const emb = await openEmbedded({ dataDir: join(dir as string, 'pglite') });
      try {
        truth = await read(emb);
      } finally {
        await emb.close();
      }
    }
    const origin = new Map(truth.events.map((e) => [Number(e.id), Number(e.at_ms)]));
    const recipients = new Map<number, Set<number>>();
    for (const r of truth.recipients) {
      const set = recipients.get(Number(r.event_id)) ?? new Set<number>();
      set.add(Number(r.account_id));
      recipients.set(Number(r.event_id), set);
    }
    const pagesOf = new Map<number, number>();
    for (const p of pageAccount) pagesOf.set(p.accountId, (pagesOf.get(p.accountId) ?? 0) + 1);
    let expected = 0;
    for (const r of truth.recipients) expected += pagesOf.get(Number(r.account_id)) ?? 0;

    const seen = new Set<number>();
    const latency: number[] = [];
    const fromCommit: number[] = [];
    let delivered = 0;
    let duplicates = 0;
    let unexpected = 0;
    procs.forEach((p, k) => {
      const rep = reports[k] as (typeof reports)[number];
      for (let i = 0; i < rep.clients.length; i++) {
        const client = p.offset + (rep.clients[i] as number);
        const event = rep.events[i] as number;
        const at = rep.at[i] as number;
        const stamp = origin.get(event);
        if (stamp === undefined) continue; // not one of the burst's events
        if (!recipients.get(event)?.has((pageAccount[client] as Page).accountId)) {
          unexpected += 1;
          continue;
        }
        const key = event * clients + client;
        if (seen.has(key)) {
          duplicates += 1;
          continue;
        }
        seen.add(key);
        delivered += 1;
        latency.push(at - stamp);
        const committed = notifiedAt.get(event);
        if (committed !== undefined) fromCommit.push(at - committed);
      }
    });
    m = {
      backend,
      clients,
      writes,
      towns: setup.towns,
      accounts: setup.sessions.length,
      connectMs,
      connectStatuses,
      connectRetries: opened.reduce((a, o) => a + o.retries, 0),
      burstMs,
      writeStatuses,
      writeRetries: results.reduce((a, r) => a + r.retries, 0),
      expected,
      delivered,
      duplicates,
      unexpected,
      dropped: reports.reduce((a, r) => a + r.dropped, 0),
      latency: stats(latency),
      fromCommit: fromCommit.length > 0 ? stats(fromCommit) : null,
      rss: { idle: idle.rss, pagesOpen: pagesOpen.rss, afterBurst: after.rss, peak: after.peak },
      waitedMs,
    };
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await app.stop();
    await stopListening?.().catch(() => {});
    if (serverDb) {
      await serverDb.close();
      const admin = new URL(ctx.databaseUrl);
      admin.pathname = '/postgres';
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      const q = dropDatabase(dbName);
      await c.query(q.text, q.values).finally(() => c.end());
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }
  return m;
}

const ms = (n: number) => fmt(n, 0);

const sseBench: BenchModule = {
  name: 'notifications',
  description: 'SSE delivery to N open pages of one app instance during a burst of case writes',
  async run(ctx: BenchContext) {
    const clients = Number(ctx.options?.clients ?? (ctx.quick ? 500 : 10_000));
    const writes = Number(ctx.options?.writes ?? (ctx.quick ? 100 : 1_000));
    if (!Number.isInteger(clients) || clients < 1 || !Number.isInteger(writes) || writes < 1) {
      throw new Error('--clients and --writes take whole numbers ≥ 1');
    }
    const backends = (ctx.options?.backend?.length ? ctx.options.backend : ['server', 'embedded']) as string[];
    for (const b of backends)
      if (b !== 'server' && b !== 'embedded') throw new Error(`--backend ${b}: server or embedded`);
    const limit = await openFilesLimit();
    if (limit.hard < clients + 1024) {
      throw new Error(
        `${fmt(clients)} pages need ${fmt(clients + 1024)} open files per process; the hard limit is ${limit.hard} (raise it: ulimit -Hn as root, or /etc/security/limits.conf)`,
      );
    }
    const measured: Measured[] = [];
    for (const b of backends) measured.push(await measure(ctx, b as 'server' | 'embedded', clients, writes));
    const rows: BenchTable['rows'] = [];
    const row = (label: string, f: (m: Measured) => string | number) => rows.push([label, ...measured.map(f)]);
    row('open pages (accounts, towns)', (m) => `${fmt(m.clients)} (${m.accounts}, ${m.towns})`);
    row('pages opened in', (m) => `${(m.connectMs / 1000).toFixed(1)} s, ${JSON.stringify(m.connectStatuses)}`);
    row(
      'case writes (answers)',
      (m) => `${fmt(m.writes)} ${JSON.stringify(m.writeStatuses)}, ${m.writeRetries} retried 503`,
    );
    row(
      'burst answered in',
      (m) => `${(m.burstMs / 1000).toFixed(1)} s (${fmt((m.writes * 1000) / m.burstMs, 1)} writes/s)`,
    );
    row('frames delivered / expected', (m) => `${fmt(m.delivered)} / ${fmt(m.expected)}`);
    row('duplicates, outside recipients, dropped', (m) => `${m.duplicates}, ${m.unexpected}, ${m.dropped}`);
    row(
      'latency from tx start p50 / p95 / max ms',
      (m) => `${ms(m.latency.p50)} / ${ms(m.latency.p95)} / ${ms(m.latency.max)}`,
    );
    row('latency from commit p50 / p95 / max ms', (m) =>
      m.fromCommit ? `${ms(m.fromCommit.p50)} / ${ms(m.fromCommit.p95)} / ${ms(m.fromCommit.max)}` : 'n/a',
    );
    row(
      'app RSS idle → pages open → after',
      (m) => `${mib(m.rss.idle)} → ${mib(m.rss.pagesOpen)} → ${mib(m.rss.afterBurst)}`,
    );
    row('app peak RSS', (m) => mib(m.rss.peak));
    const verdicts = measured.map(
      (m) =>
        `${m.backend}: p95 ${ms(m.latency.p95)} ms vs target ≤ ${TARGET_P95_MS} ms: ${m.latency.p95 <= TARGET_P95_MS ? 'met' : 'missed'}; ` +
        `${m.delivered === m.expected && m.duplicates === 0 && m.unexpected === 0 ? 'every frame delivered once' : 'DELIVERY INCOMPLETE'}`,
    );
    const table: BenchTable = {
      title: `Notifications over SSE: ${fmt(clients)} open pages on one app instance, a burst of ${fmt(writes)} case writes`,
      columns: ['', ...measured.map((m) => m.backend)],
      rows,
      notes: [
        ...verdicts,
        'latency: frame arrival at the simulated page − the write transaction’s start (upper bound); "from commit" − the NOTIFY seen by the bench’s own LISTEN',
        'the pages run in child processes on the same 2 cores as the app and the database',
      ],
    };
    return { tables: [table], data: measured };
  },
};

export default sseBench;
