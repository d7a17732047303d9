import { loadConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import { migrate } from '../db/migrate.js';

const config = loadConfig();
const db = await openDatabase(config);
try {
  const { from, to, applied } = await migrate(db);
  console.log(applied.length ? `migrated from ${from} to ${to}: ${applied.join(', ')}` : `up to date at version ${to}`);
} finally {
  await db.close();
}
