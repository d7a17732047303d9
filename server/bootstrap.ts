import type { Config } from './config.js';
import type { Db } from './db/index.js';
import { migrate } from './db/migrate.js';
import { isSeeded, seedDemo } from './db/seed.js';
import { generateDemoDataset } from './domain/demo/index.js';

type Log = (message: string) => void;

/** Migrates the database and, on an empty one, loads the demo county (the first start of the quick start). */
export async function prepareDatabase(db: Db, seed: Config['seedDemo'], log: Log): Promise<void> {
  const t0 = Date.now();
  const { from, to, applied } = await migrate(db);
  if (applied.length > 0) log(`migrated the database from version ${from} to ${to} (${applied.join(', ')})`);
  if (seed === 'never') return;
  if (seed === 'auto' && (await isSeeded(db))) return;
  log('loading the demo county (Lixian, synthetic data reproducing the source article)…');
  const data = generateDemoDataset();
  await seedDemo(db, data);
  log(
    `demo county loaded: ${data.adminUnits.length} admin units, ${data.stations.length} stations, ` +
      `${data.disputes.length} disputes, ${data.screenings.length} screenings in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}
