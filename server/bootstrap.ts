import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createDemoAccounts, type DemoAccount } from './auth/accounts.js';
import type { Config } from './config.js';
import type { Db } from './db/index.js';
import { migrate } from './db/migrate.js';
import { anyAccount } from './db/queries/accounts.js';
import { isSeeded, seedDemo } from './db/seed.js';
import { generateDemoDataset } from './domain/demo/index.js';
import { offerSetupCode } from './services/accounts/setup.js';
import { removeUnfinishedUploads } from './services/ingest/index.js';
import { seedDemoTasks } from './services/tasks/demo.js';
import { evaluateAll } from './services/warnings/index.js';

type Log = (message: string) => void;

export interface PrepareOptions {
  /** Where the demo accounts' passwords are written once (git-ignored, owner-only). */
  demoAccountsFile?: string;
  /** Print a one-time setup code when the database has no administrator (the server's first start). */
  setupCode?: boolean;
}

/**
 * Migrates the database and, on an empty one, loads the demo county (the first start of the quick start) with one
 * demo account per role, whose random passwords are printed once. A database without an administrator (and no
 * demo) gets a one-time setup code for creating the first one.
 */
export async function prepareDatabase(
  db: Db,
  seed: Config['seedDemo'],
  log: Log,
  opts: PrepareOptions = {},
): Promise<void> {
  await prepareData(db, seed, log, opts);
  if (opts.setupCode) await offerFirstRunCode(db, log);
}

async function prepareData(db: Db, seed: Config['seedDemo'], log: Log, opts: PrepareOptions): Promise<void> {
  const t0 = Date.now();
  const { from, to, applied } = await migrate(db);
  if (applied.length > 0) log(`migrated the database from version ${from} to ${to} (${applied.join(', ')})`);
  // An upload committed in chunks (embedded database, one process) that this process did not finish: its rows
  // were never visible; the uploader's retry with the same key stores it anew.
  if (db.backend === 'embedded') {
    const removed = await removeUnfinishedUploads(db);
    if (removed > 0) log(`removed ${removed} upload(s) interrupted while being stored`);
  }
  if (seed === 'never') return;
  const seeding = seed === 'always' || !(await isSeeded(db));
  if (seeding) {
    log('loading the demo county (Lixian, synthetic data reproducing the source article)…');
    const data = generateDemoDataset();
    await seedDemo(db, data);
    log(
      `demo county loaded: ${data.adminUnits.length} admin units, ${data.stations.length} stations, ` +
        `${data.disputes.length} disputes, ${data.screenings.length} screenings in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  // The warnings as of the data's "now", so the overview and the map show them from the first start (also on a
  // demo loaded before the warnings existed); later the scheduler's hourly job keeps them up to date.
  if (seeding || applied.some((m) => m.startsWith('220.'))) {
    const evaluation = await evaluateAll(db);
    log(`early warnings evaluated: ${evaluation.raised.length} raised`);
  }
  // The demo database (also one loaded before accounts existed) gets its demo accounts once.
  const any = anyAccount();
  if ((await db.query<{ yes: boolean }>(any.text, any.values)).rows[0]?.yes) return;
  const accounts = await createDemoAccounts(db);
  if (accounts.length === 0) return;
  const tasks = await seedDemoTasks(db);
  log(`demo tasks and notifications (synthetic): ${tasks} tasks`);
  log(showDemoAccounts(accounts, opts.demoAccountsFile));
  if (opts.demoAccountsFile) {
    await mkdir(dirname(opts.demoAccountsFile), { recursive: true });
    await writeFile(opts.demoAccountsFile, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
    await chmod(opts.demoAccountsFile, 0o600);
  }
}

function showDemoAccounts(accounts: DemoAccount[], file: string | undefined): string {
  const lines = accounts.map((a) => `  ${a.username.padEnd(14)} ${a.password}   ${a.role.padEnd(14)} ${a.scope}`);
  return [`Demo accounts (synthetic; passwords shown only now${file ? `, and kept in ${file}` : ''}):`, ...lines].join(
    '\n',
  );
}

/** No administrator yet (a production database): a one-time code, printed here, creates the first one at /setup. */
async function offerFirstRunCode(db: Db, log: Log): Promise<void> {
  const code = await offerSetupCode(db);
  if (code) log(`No administrator yet. Create the first one at /setup with this one-time code: ${code}`);
}
