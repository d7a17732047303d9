import { loadConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import { personalDataKeyring } from '../db/keys.js';
import { reencryptMediators, reencryptParties } from '../services/personal-data/index.js';

/**
 * `npm run personal-data:rekey`: after a key rotation (a new PERSONAL_DATA_KEY, the old one moved to
 * PERSONAL_DATA_PREVIOUS_KEYS), re-encrypts every party and every mediator name of the register still under an
 * older key with the current one, in batches; interrupted, run it again. Once it reports 0 rows left, the old key can leave the configuration.
 */
const config = loadConfig();
const db = await openDatabase(config);
try {
  const ring = await personalDataKeyring(db, config);
  const n = await reencryptParties(db, ring);
  const m = await reencryptMediators(db, ring);
  console.log(
    `re-encrypted ${n} part${n === 1 ? 'y' : 'ies'} and ${m} mediator name${m === 1 ? '' : 's'} with key ${ring.current.id}`,
  );
} finally {
  await db.close();
}
