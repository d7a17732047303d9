/**
 * The app as a real process (tests/spawn-server.ts) for the tests that load it, kill it, restart its database or
 * shut it down, signed in with this suite's token. Each process on the embedded backend gets its own copy of the
 * prepared PGlite directory.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { TestBackend } from '../integration/selection.js';
import { type SpawnedServer, spawnServer } from '../spawn-server.js';
import { withAuth } from './auth.js';

export { freePort, root } from '../spawn-server.js';

export interface ServerProcess extends SpawnedServer {
  token: string;
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
  const env: Record<string, string | undefined> = { LOG_LEVEL: 'warn', SEED_DEMO: 'never', ...options.env };
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
  const removeOwnDataDir = async () => {
    if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
  };
  const token = options.token ?? inject('reliabilityTokens')[backend];
  let server: SpawnedServer;
  try {
    server = await spawnServer({ env, readyStatus: options.readyStatus ?? 200, timeoutMs: 90_000 });
  } catch (err) {
    await removeOwnDataDir();
    throw err;
  }
  return {
    ...server,
    token,
    fetch: (path, init = {}) =>
      fetch(`${server.base}${path}`, {
        ...init,
        headers: withAuth(token, (init.headers ?? {}) as Record<string, string>),
      }),
    async stop() {
      await server.stop();
      await removeOwnDataDir();
    },
  };
}
