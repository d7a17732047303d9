/**
 * The one spawner of test servers: the app as a real process (`node --import tsx server/server.ts`, as
 * `npm start` runs it) on a free port, ready once /api/health answers. The e2e global setup and the e2e specs with
 * a database of their own (`startOwnServer` in e2e/driver.ts) and the reliability suite
 * (reliability/server-process.ts) start theirs through it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

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

export interface SpawnOptions {
  /**
   * On top of this process's environment, PORT and HOST; undefined removes a variable. DATABASE_URL and the
   * basemap settings of the developer's environment are dropped unless given here (the app must work offline).
   */
  env?: Record<string, string | undefined>;
  /** Ready when /api/health answers this status (default 200). */
  readyStatus?: number;
  /** How long the start may take (default 90 s; a first start on a fresh data directory seeds the demo). */
  timeoutMs?: number;
  /** Who it is, for the errors: 'the cases e2e server'. */
  what?: string;
}

export interface SpawnedServer {
  base: string;
  pid: number;
  child: ChildProcess;
  /** The last 16 kB of its stdout + stderr. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after 15 s. Safe to call twice. */
  stop(): Promise<void>;
}

export async function spawnServer(options: SpawnOptions = {}): Promise<SpawnedServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  delete env.BASEMAP_URL;
  delete env.BASEMAP_ATTRIBUTION;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
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
  const server: SpawnedServer = {
    base,
    pid: child.pid as number,
    child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
  await untilReady(server, options);
  return server;
}

async function untilReady(server: SpawnedServer, options: SpawnOptions) {
  const what = options.what ?? 'the server';
  const ready = options.readyStatus ?? 200;
  const timeoutMs = options.timeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  const { child } = server;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${server.output()}`,
      );
    }
    try {
      const res = await fetch(`${server.base}/api/health`);
      await res.arrayBuffer();
      if (res.status === ready) return;
    } catch {
      // Not listening yet (a first start seeds the database).
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${server.output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
