import { randomBytes } from 'node:crypto';
import { type Keyring, makeKeyring, parseKey, randomKey } from '../domain/personal-data.js';
import { keepSetting, setting } from './queries/settings.js';
import type { Queryable } from './types.js';

/**
 * The keys of parties' personal data: configuration first; else (the embedded demo) a random key made once and
 * kept in `app_settings`, so that a restart still decrypts and still matches. Cached per database.
 */

async function keptSetting(db: Queryable, key: string, make: () => string): Promise<string | null> {
  const k = keepSetting(key, make());
  await db.query(k.text, k.values);
  const s = setting(key);
  return (await db.query<{ value: string }>(s.text, s.values)).rows[0]?.value ?? null;
}

const hashKeys = new WeakMap<object, string>();

/** The key of the parties' matching hashes (PARTY_HASH_KEY, else one kept in the settings). */
export async function partyKey(db: Queryable & object, configured: string | null): Promise<string> {
  if (configured) return configured;
  const hit = hashKeys.get(db);
  if (hit) return hit;
  const key = await keptSetting(db, 'party_hash_key', () => randomBytes(32).toString('hex'));
  if (!key) throw new Error('app_settings.party_hash_key could not be kept');
  hashKeys.set(db, key);
  return key;
}

export interface KeySource {
  personalDataKey: Buffer | null;
  personalDataPreviousKeys: readonly Buffer[];
}

const SETTING = 'personal_data_key';
const rings = new WeakMap<object, Keyring>();

/**
 * The keyring: PERSONAL_DATA_KEY encrypts when it is set; else a random key made once and kept in app_settings.
 * The kept key, when there is one, always still decrypts (demo rows seeded before a key was configured), as do
 * PERSONAL_DATA_PREVIOUS_KEYS.
 */
export async function personalDataKeyring(db: Queryable & object, config: KeySource | null): Promise<Keyring> {
  const hit = rings.get(db);
  if (hit) return hit;
  const configured = config?.personalDataKey ?? null;
  let keptValue: string | null;
  if (configured) {
    const s = setting(SETTING);
    keptValue = (await db.query<{ value: string }>(s.text, s.values)).rows[0]?.value ?? null;
  } else {
    keptValue = await keptSetting(db, SETTING, () => randomKey().toString('hex'));
  }
  const kept = keptValue ? parseKey(keptValue) : null;
  const current = configured ?? kept;
  if (!current) throw new Error(`app_settings.${SETTING} is not a 32-byte key`);
  const ring = makeKeyring(current, [...(config?.personalDataPreviousKeys ?? []), ...(kept ? [kept] : [])]);
  rings.set(db, ring);
  return ring;
}
