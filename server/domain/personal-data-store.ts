import type { Db, Queryable } from '../db/types.js';
import { partyHash } from './cases/party-hash.js';
import {
  decryptField,
  encryptField,
  type Keyring,
  makeKeyring,
  maskIdNumber,
  maskName,
  maskPhone,
  parseKey,
  randomKey,
} from './personal-data.js';

/**
 * Parties' personal data in the database (issue 8): `dispute_parties` holds only ciphertexts (name_enc,
 * phone_enc, id_number_enc, see migrations/100) and the keyed hashes that match the same person across cases.
 * Everything that reads a party goes through here: masked by default, clear only through `revealParty`.
 */

export interface PartyInput {
  role: 'applicant' | 'respondent' | 'other';
  name: string;
  phone?: string | undefined;
  idNumber?: string | undefined;
}

export interface PartyClear {
  id: number;
  role: PartyInput['role'];
  name: string;
  phone: string | null;
  idNumber: string | null;
}

export interface KeySource {
  personalDataKey: Buffer | null;
  personalDataPreviousKeys: readonly Buffer[];
}

const SETTING = 'personal_data_key';
const cache = new WeakMap<object, Keyring>();

/**
 * The keyring: PERSONAL_DATA_KEY encrypts when it is set; else (the embedded demo) a random key made once and
 * kept in app_settings. The kept key, when there is one, always still decrypts (demo rows seeded before a key was
 * configured), as do PERSONAL_DATA_PREVIOUS_KEYS.
 */
export async function personalDataKeyring(db: Queryable & object, config: KeySource | null): Promise<Keyring> {
  const hit = cache.get(db);
  if (hit) return hit;
  const configured = config?.personalDataKey ?? null;
  if (!configured) {
    await db.query(`INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [
      SETTING,
      randomKey().toString('hex'),
    ]);
  }
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM app_settings WHERE key = $1`, [SETTING]);
  const kept = rows[0] ? parseKey(rows[0].value) : null;
  const current = configured ?? kept;
  if (!current) throw new Error(`app_settings.${SETTING} is not a 32-byte key`);
  const ring = makeKeyring(current, [...(config?.personalDataPreviousKeys ?? []), ...(kept ? [kept] : [])]);
  cache.set(db, ring);
  return ring;
}

/** Column values of one party: ciphertexts and matching hashes. */
export function partyColumns(ring: Keyring, hashKey: string, p: PartyInput) {
  return {
    role: p.role,
    name_enc: encryptField(ring, 'name', p.name),
    phone_enc: p.phone ? encryptField(ring, 'phone', p.phone) : null,
    id_number_enc: p.idNumber ? encryptField(ring, 'id_number', p.idNumber) : null,
    phone_hash: p.phone ? partyHash(hashKey, 'phone', p.phone) : null,
    id_number_hash: p.idNumber ? partyHash(hashKey, 'id', p.idNumber) : null,
  };
}

export async function insertParties(
  tx: Queryable,
  ring: Keyring,
  hashKey: string,
  disputeId: number,
  parties: readonly PartyInput[],
): Promise<void> {
  for (const p of parties) {
    const c = partyColumns(ring, hashKey, p);
    await tx.query(
      `INSERT INTO dispute_parties (dispute_id, role, name_enc, phone_enc, id_number_enc, phone_hash, id_number_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [disputeId, c.role, c.name_enc, c.phone_enc, c.id_number_enc, c.phone_hash, c.id_number_hash],
    );
  }
}

interface StoredParty {
  id: string | number;
  role: PartyInput['role'];
  name_enc: string;
  phone_enc: string | null;
  id_number_enc: string | null;
}

function decryptParty(ring: Keyring, r: StoredParty): PartyClear {
  return {
    id: Number(r.id),
    role: r.role,
    name: decryptField(ring, 'name', r.name_enc),
    phone: r.phone_enc ? decryptField(ring, 'phone', r.phone_enc) : null,
    idNumber: r.id_number_enc ? decryptField(ring, 'id_number', r.id_number_enc) : null,
  };
}

const SELECT = `SELECT id, role, name_enc, phone_enc, id_number_enc FROM dispute_parties`;

/** The parties of a case in clear, for server-side use only (copying them to a reopened case); never answered. */
export async function partiesInClear(db: Queryable, ring: Keyring, disputeId: number): Promise<PartyClear[]> {
  const { rows } = await db.query<StoredParty>(`${SELECT} WHERE dispute_id = $1 ORDER BY id`, [disputeId]);
  return rows.map((r) => decryptParty(ring, r));
}

export function maskParty(p: PartyClear): PartyClear {
  return {
    id: p.id,
    role: p.role,
    name: maskName(p.name),
    phone: p.phone === null ? null : maskPhone(p.phone),
    idNumber: p.idNumber === null ? null : maskIdNumber(p.idNumber),
  };
}

/** The parties of a case, masked: what every answer carries, for every role. */
export async function maskedParties(db: Queryable, ring: Keyring, disputeId: number): Promise<PartyClear[]> {
  return (await partiesInClear(db, ring, disputeId)).map(maskParty);
}

/** One party of one case in clear (null when the party is not of that case). The caller audits. */
export async function revealParty(
  db: Queryable,
  ring: Keyring,
  disputeId: number,
  partyId: number,
): Promise<PartyClear | null> {
  const { rows } = await db.query<StoredParty>(`${SELECT} WHERE dispute_id = $1 AND id = $2`, [disputeId, partyId]);
  return rows[0] ? decryptParty(ring, rows[0]) : null;
}

/**
 * Migration 100 moved clear values of databases from before encryption into dispute_parties_clear_pending (SQL
 * cannot encrypt under a key the database does not hold): encrypt them into their rows and delete them, at start.
 * Returns how many parties were encrypted.
 */
export async function encryptPendingParties(db: Queryable, ring: Keyring): Promise<number> {
  const { rows } = await db.query<{ party_id: string; name: string; phone: string | null; id_number: string | null }>(
    `SELECT party_id, name, phone, id_number FROM dispute_parties_clear_pending ORDER BY party_id`,
  );
  for (const r of rows) {
    await db.query(`UPDATE dispute_parties SET name_enc = $2, phone_enc = $3, id_number_enc = $4 WHERE id = $1`, [
      r.party_id,
      encryptField(ring, 'name', r.name),
      r.phone ? encryptField(ring, 'phone', r.phone) : null,
      r.id_number ? encryptField(ring, 'id_number', r.id_number) : null,
    ]);
    await db.query(`DELETE FROM dispute_parties_clear_pending WHERE party_id = $1`, [r.party_id]);
  }
  return rows.length;
}

/**
 * Re-encrypts every party not yet under the keyring's current key, `batchSize` rows per transaction (so a large
 * table is never locked as a whole, and an interruption keeps what is done: run it again to finish). After a key
 * rotation (PERSONAL_DATA_KEY new, the old one in PERSONAL_DATA_PREVIOUS_KEYS), this is what lets the old key be
 * retired. Fresh IVs, same fields; the hashes (for repeat links) do not depend on the key and stay. Returns how
 * many rows it re-encrypted.
 */
export async function reencryptParties(db: Db, ring: Keyring, batchSize = 1000): Promise<number> {
  const prefix = `pd1:${ring.current.id}:%`;
  let done = 0;
  let after = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const { rows } = await tx.query<StoredParty>(
        `${SELECT}
         WHERE id > $1 AND NOT (name_enc LIKE $2 AND (phone_enc IS NULL OR phone_enc LIKE $2)
                                AND (id_number_enc IS NULL OR id_number_enc LIKE $2))
         ORDER BY id LIMIT $3 FOR UPDATE`,
        [after, prefix, batchSize],
      );
      if (rows.length === 0) return 0;
      const fresh = rows.map((r) => {
        const p = decryptParty(ring, r);
        return {
          id: p.id,
          name_enc: encryptField(ring, 'name', p.name),
          phone_enc: p.phone === null ? null : encryptField(ring, 'phone', p.phone),
          id_number_enc: p.idNumber === null ? null : encryptField(ring, 'id_number', p.idNumber),
        };
      });
      await tx.query(
        `UPDATE dispute_parties d SET name_enc = r.name_enc, phone_enc = r.phone_enc, id_number_enc = r.id_number_enc
         FROM json_to_recordset($1::json) AS r(id bigint, name_enc text, phone_enc text, id_number_enc text)
         WHERE d.id = r.id`,
        [JSON.stringify(fresh)],
      );
      after = Number(rows[rows.length - 1]?.id);
      return rows.length;
    });
    if (n === 0) return done;
    done += n;
  }
}
