/**
 * The app as a real process (`node --import tsx server/server.ts`, as tests/e2e/global-setup.ts starts it) on a
 * free port, for the tests that load it, kill it, restart its database or shut it down. Each process on the
 * embedded backend gets its own copy of the prepared PGlite directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import type { TestBackend } from '../integration/selection.js';
import { withAuth } from './auth.js';

export const root = resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ServerProcess {
  base: string;
  pid: number;
  child: ChildProcess;
  token: string;
  /** The last 16 kB of its stdout + stderr. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** fetch against the process with this suite's headers (authentication). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** SIGTERM, then SIGKILL after 15 s; removes a copied data directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A PostGIS URL overriding the suite's database (the restart test's own server). */
  databaseUrl?: string;
  /** An existing PGlite parent directory (DATA_DIR) to reuse, e.g. after a kill; default: a fresh copy. */
  dataDir?: string;
  token?: string;
  env?: Record<string, string>;
  /** Wait until /api/health answers this status (default 200). */
  readyStatus?: number;
}

/** A fresh copy of the prepared embedded database, as a DATA_DIR (its `pglite` subdirectory). */
export async function copyEmbeddedDataDir(): Promise<string> {
  const source = inject('reliabilityDataDir');
  if (!source) throw new Error('the embedded data directory was not prepared by global setup');
  const dir = await mkdtemp(join(tmpdir(), 'reliability-'));
  await cp(source, join(dir, 'pglite'), { recursive: true });
  return dir;
}

export async function startServer(backend: TestBackend, options: StartOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'never',
    ...options.env,
  };
  delete env.DATABASE_URL;
  delete env.BASEMAP_URL;
  let ownDataDir: string | null = null;
  if (backend === 'server') {
    const url = options.databaseUrl ?? inject('reliabilityServerUrl');
    if (!url) throw new Error('no PostGIS database for the reliability suite');
    env.DATABASE_URL = url;
    env.DATA_DIR = join(tmpdir(), 'reliability-unused');
  } else if (options.dataDir) {
    env.DATA_DIR = options.dataDir;
  } else {
    ownDataDir = await copyEmbeddedDataDir();
    env.DATA_DIR = ownDataDir;
  }
  const token = options.token ?? inject('reliabilityTokens')[backend];

  const child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-16_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const proc: ServerProcess = {
    base,
    pid: child.pid as number,
    child,
    token,
    output: () => out,
    exited,
    fetch: (path, init = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: withAuth(token, (init.headers ?? {}) as Record<string, string>),
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(force);
      }
      if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
    },
  };

  const ready = options.readyStatus ?? 200;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await proc.stop();
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${out}`);
    }
    try {
      const res = await fetch(`${base}/api/health`);
      await res.arrayBuffer();
      if (res.status === ready) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`the server was not ready within 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return proc;
}
