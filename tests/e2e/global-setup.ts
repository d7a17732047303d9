/**
 * Builds the web app, starts the real server on a free port against `.data/e2e` (seeded on the first run,
 * reused afterwards) or, with TEST_DATABASE_URL, a fresh `e2e` database on that PostGIS server, and hands its URL
 * to the specs. Without a browser the specs skip, unless E2E_REQUIRED=1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { hashPassword, randomPassword } from '../../server/auth/passwords.js';
import { prepareDatabase } from '../../server/bootstrap.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/index.js';
import { dropServerDatabase, freshServerDatabase } from '../integration/prepare.js';
import { spawnServer } from '../spawn-server.js';
import { chromiumAvailable, chromiumPath, e2eAccountsFile } from './driver.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The dashboard's origin, e.g. http://127.0.0.1:41234; empty when the e2e tests are skipped. */
    e2eBaseUrl: string;
    /** Why the e2e tests are skipped, or empty when they run. */
    e2eSkipReason: string;
  }
}

const root = resolve(import.meta.dirname, '../..');
const log = (message: string) => console.log(`[e2e] ${message}`);

export default async function setup(project: TestProject) {
  if (!chromiumAvailable()) {
    const reason = `e2e SKIPPED: Chromium not found at ${chromiumPath()}; install Debian chromium (apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH`;
    if (process.env.E2E_REQUIRED === '1') throw new Error(reason.replace('e2e SKIPPED', 'e2e REQUIRED but'));
    console.warn(`\n${reason}\n`);
    project.provide('e2eBaseUrl', '');
    project.provide('e2eSkipReason', reason);
    return;
  }

  log('building web/ (vite build)');
  await build({ configFile: resolve(root, 'web/vite.config.ts'), logLevel: 'warn' });

  const dataDir = resolve(root, '.data/e2e');
  mkdirSync(dataDir, { recursive: true });
  // On the PostGIS server: a database of the tier's own, `e2e`, made afresh next to the test database (the
  // integration tier empties and reseeds that one in its own global setup, in an order vitest does not fix).
  // E2E_DATABASE_URL names one to reuse as it is.
  const testUrl = process.env.TEST_DATABASE_URL;
  const ownDatabase = !process.env.E2E_DATABASE_URL && !!testUrl;
  const databaseUrl =
    process.env.E2E_DATABASE_URL || (testUrl ? await freshServerDatabase(testUrl, 'e2e', log) : undefined);
  const env: Record<string, string | undefined> = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl || undefined };
  await prepareAccounts({ ...process.env, ...env }, dataDir);
  log(`starting the server (${databaseUrl ? 'PostGIS server' : `embedded database in ${dataDir}`})`);
  const server = await spawnServer({ env, timeoutMs: 240_000, what: 'the e2e server' });
  const baseUrl = server.base;
  const health = (await (await fetch(`${baseUrl}/api/health`)).json()) as { backend: string };
  log(`server healthy on ${baseUrl} (backend: ${health.backend})`);

  project.provide('e2eBaseUrl', baseUrl);
  project.provide('e2eSkipReason', '');

  return async () => {
    log(`stopping the server (pid ${server.pid})`);
    await server.stop();
    if (ownDatabase && testUrl) await dropServerDatabase(testUrl, 'e2e');
  };
}

/**
 * Before the server starts: migrate and seed the e2e database as the server would, then give the demo accounts
 * fresh random passwords the specs sign in with (the test database may have been seeded by another run, whose
 * printed passwords are gone). The passwords go to a git-ignored file under the e2e data directory.
 */
async function prepareAccounts(env: NodeJS.ProcessEnv, dataDir: string) {
  const db = await openDatabase(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  try {
    await prepareDatabase(db, 'auto', log);
    const { rows } = await db.query<{ username: string }>('SELECT username FROM accounts WHERE demo ORDER BY id');
    // Keep the passwords of an earlier run (a second run in parallel then agrees with the first).
    const file = e2eAccountsFile(dataDir);
    const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
    const passwords: Record<string, string> = {};
    for (const { username } of rows) {
      const password = earlier[username] ?? randomPassword();
      await db.query(
        'UPDATE accounts SET password_hash = $2, failed_logins = 0, locked_until = NULL, disabled = false WHERE username = $1',
        [username, await hashPassword(password)],
      );
      passwords[username] = password;
    }
    if (!passwords.admin) throw new Error('the e2e database has no demo accounts');
    writeFileSync(file, JSON.stringify(passwords), { mode: 0o600 });
  } finally {
    await db.close();
  }
}
