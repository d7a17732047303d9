import { prepareDatabase } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import { isSeeded } from '../db/seed.js';

// Loads the demo county into an empty database (migrating first). It refuses to load it twice.
const config = loadConfig();
const db = await openDatabase(config);
try {
  if (await isSeeded(db).catch(() => false)) {
    console.log('The database already holds data; nothing loaded. Use a fresh DATA_DIR or database to reseed.');
  } else {
    await prepareDatabase(db, 'always', (m) => console.log(m));
  }
} finally {
  await db.close();
}
