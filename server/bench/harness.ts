import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { issueServiceToken } from '../auth/tokens.js';
import type { Queryable } from '../db/index.js';
import { openPostgres } from '../db/postgres.js';

/** Shared pieces of the benchmarks (`npm run bench`): a PostGIS server, the app as a real process, stats. */

export const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

export interface BenchContext {
  /** The bench database (never the test database). */
  databaseUrl: string;
  quick: boolean;
  /**
   * Module options from the command line (`--clients 500 --writes 100 --backend embedded` for the
   * notifications module); a module reads the ones it knows.
   */
  options?: Readonly<{ clients?: string; writes?: string; backend?: readonly string[] }>;
  log(message: string): void;
  /**
   * The URL of database `url` on a streaming replica of the bench server (made on first use: `.ci/postgis.sh
   * replica`, or BENCH_DATABASE_READ_URL's server), or null when there is none.
   */
  replica?(url: string): Promise<string | null>;
}

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** Targets and verdicts, printed under the table. */
  notes?: string[];
}

export interface BenchResult {
  tables: BenchTable[];
  /** Everything measured, for bench-results/*.json. */
  data: unknown;
}

/** A benchmark module: `server/bench/index.ts` runs each in turn (export now; summary, hotspot, ingest later). */
export interface BenchModule {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

/** A throwaway PostGIS server from .ci/postgis.sh with its own directory and state file, and a `bench` database. */
export async function startPostgis(
  log: (m: string) => void,
): Promise<{ url: string; replica(): Promise<string>; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-postgis-'));
  await chmod(dir, 0o755); // the server runs as the postgres user
  const env = { ...process.env, PGSTATE: join(dir, 'pgstate') };
  log(`starting a throwaway PostGIS server in ${dir}`);
  const { stdout } = await run('bash', [join(root, '.ci/postgis.sh'), 'start', join(dir, 'pg')], { env });
  const testUrl = stdout.trim().split('\n').pop() as string;
  const admin = new URL(testUrl);
  admin.pathname = '/postgres';
  await psql(admin.toString(), ['-c', 'CREATE DATABASE bench']);
  const url = new URL(testUrl);
  url.pathname = '/bench';
  let replica: Promise<string> | undefined;
  return {
    url: url.toString(),
    replica() {
      replica ??= (async () => {
        log('starting a streaming replica of it (.ci/postgis.sh replica)');
        const r = await run('bash', [join(root, '.ci/postgis.sh'), 'replica', join(dir, 'pg')], { env });
        return r.stdout.trim().split('\n').pop() as string;
      })();
      return replica;
    },
    // `postgis.sh stop` stops the replica too.
    async stop() {
      await run('bash', [join(root, '.ci/postgis.sh'), 'stop', join(dir, 'pg')], { env }).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function psql(url: string, args: string[]): Promise<string> {
  const { stdout } = await run('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/**
 * Runs `psql -c "COPY (…) TO STDOUT"`, counting what arrives without keeping it. The session gets the app's own
 * settings (JIT off, see server/db/postgres.ts), so both sides run the same plan.
 */
export function psqlCopy(url: string, select: string): Promise<{ seconds: number; bytes: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY (${select}) TO STDOUT`], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PGOPTIONS: '-c jit=off' },
    });
    let bytes = 0;
    let lines = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`psql exited with ${code}`));
      else resolve({ seconds: (performance.now() - t0) / 1000, bytes, lines });
    });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * The headers of every request the benchmarks send to the app: a service token acting as the county
 * administrator (server/auth/tokens.ts). `db` is open on the app's database, already migrated.
 */
export async function serviceHeaders(db: Queryable): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await issueServiceToken(db, 'bench')}` };
}

export interface AppProcess {
  base: string;
  pid: number;
  /** Headers sent with every request of `fetch` (authentication). */
  headers: Record<string, string>;
  /** fetch(`${base}${path}`) with `headers`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Resident set size now and its peak over the process's life (VmRSS / VmHWM from /proc), in bytes. */
  memory(): Promise<{ rss: number; peak: number }>;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  /** Embedded PGlite under this DATA_DIR instead of `databaseUrl` (then pass `headers`, issued beforehand). */
  embeddedDataDir?: string;
  /** Headers for `fetch`; by default `serviceHeaders` of the app's PostGIS database. */
  headers?: Record<string, string>;
  /** Raise the app's soft limit of open files to this (within the hard limit: `ulimit -n` before exec). */
  openFiles?: number;
  /** More environment for the app (e.g. DATABASE_READ_URL). */
  env?: Record<string, string>;
}

/** The soft and hard limits of open files of this process (/proc/self/limits). */
export async function openFilesLimit(): Promise<{ soft: number; hard: number }> {
  const text = await readFile('/proc/self/limits', 'utf8');
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  const n = (v: string | undefined) => (v === undefined || v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

/** `argv` run through `sh -c 'ulimit -n N; exec …'` when a file limit is asked for (the child inherits it). */
export function withOpenFiles(openFiles: number | undefined, argv: string[]): [string, string[]] {
  if (openFiles === undefined) return [argv[0] as string, argv.slice(1)];
  return ['/bin/sh', ['-c', `ulimit -n ${Math.floor(openFiles)} && exec "$@"`, 'sh', ...argv]];
}

/** The app as its own Node process (one process, no tsx wrapper) on the bench database, so its memory is its own. */
export async function startApp(
  databaseUrl: string,
  log: (m: string) => void,
  options: StartAppOptions = {},
): Promise<AppProcess> {
  const port = await freePort();
  const dbEnv: Record<string, string> = options.embeddedDataDir
    ? { DATA_DIR: options.embeddedDataDir }
    : { DATABASE_URL: databaseUrl };
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATABASE_READ_URL; // only where a module asks for it (options.env)
  const [cmd, args] = withOpenFiles(options.openFiles, [
    process.execPath,
    '--import',
    'tsx',
    join(root, 'server/server.ts'),
  ]);
  const child: ChildProcess = spawn(cmd, args, {
    cwd: root,
    env: {
      ...env,
      ...dbEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'never',
      LOG_LEVEL: 'warn',
      DB_STATEMENT_TIMEOUT_MS: '600000',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the app did not start within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`app started (pid ${child.pid}) on ${base}`);
  const pid = child.pid as number;
  let headers = options.headers;
  if (!headers) {
    const db = openPostgres({ connectionString: databaseUrl, poolSize: 1, statementTimeoutMs: 60_000 });
    try {
      headers = await serviceHeaders(db);
    } finally {
      await db.close();
    }
  }
  const h = headers;
  return {
    base,
    pid,
    headers: h,
    fetch: (path, init = {}) =>
      fetch(`${base}${path}`, { ...init, headers: { ...h, ...((init.headers as Record<string, string>) ?? {}) } }),
    async memory() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
      return { rss: kb('VmRSS'), peak: kb('VmHWM') };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function printTable(t: BenchTable): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map(String))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padStart(widths[i] as number)).join(' | ')} |`;
  const out = [
    `\n${t.title}`,
    line(t.columns),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ];
  for (const n of t.notes ?? []) out.push(`  ${n}`);
  return out.join('\n');
}
