import { mediatorsNotUnderKey, setMediatorNames } from '../../db/queries/mediators.js';
import {
  deletePendingClearParty,
  insertParty,
  partiesNotUnderKey,
  partiesOf,
  partyOf,
  pendingClearParties,
  setPartiesCiphertexts,
  setPartyCiphertexts,
} from '../../db/queries/parties.js';
import type { Db, Queryable } from '../../db/types.js';
import {
  decryptField,
  decryptParty,
  encryptField,
  type Keyring,
  maskParty,
  type PartyClear,
  type PartyInput,
  partyColumns,
  type StoredParty,
} from '../../domain/personal-data.js';

/**
 * Parties' personal data in the database (issue 8): `dispute_parties` holds only ciphertexts and the keyed
 * hashes that match the same person across cases. Everything that reads a party goes through here: masked by
 * default, clear only through `revealParty`.
 */

export type { PartyClear, PartyInput };

export async function insertParties(
  tx: Queryable,
  ring: Keyring,
  hashKey: string,
  disputeId: number,
  parties: readonly PartyInput[],
): Promise<void> {
  for (const p of parties) {
    const q = insertParty(disputeId, partyColumns(ring, hashKey, p));
    await tx.query(q.text, q.values);
  }
}

/** The parties of a case in clear, for server-side use only (copying them to a reopened case); never answered. */
export async function partiesInClear(db: Queryable, ring: Keyring, disputeId: number): Promise<PartyClear[]> {
  const q = partiesOf(disputeId);
  const { rows } = await db.query<StoredParty>(q.text, q.values);
  return rows.map((r) => decryptParty(ring, r));
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
  const q = partyOf(disputeId, partyId);
  const { rows } = await db.query<StoredParty>(q.text, q.values);
  return rows[0] ? decryptParty(ring, rows[0]) : null;
}

const encryptOrNull = (ring: Keyring, field: 'phone' | 'id_number', v: string | null) =>
  v ? encryptField(ring, field, v) : null;

/**
 * Migration 100 moved clear values of databases from before encryption into dispute_parties_clear_pending (SQL
 * cannot encrypt under a key the database does not hold): encrypt them into their rows and delete them, at start.
 * Returns how many parties were encrypted.
 */
export async function encryptPendingParties(tx: Queryable, ring: Keyring): Promise<number> {
  const p = pendingClearParties();
  const { rows } = await tx.query<{ party_id: string; name: string; phone: string | null; id_number: string | null }>(
    p.text,
    p.values,
  );
  for (const r of rows) {
    const u = setPartyCiphertexts(
      r.party_id,
      encryptField(ring, 'name', r.name),
      encryptOrNull(ring, 'phone', r.phone),
      encryptOrNull(ring, 'id_number', r.id_number),
    );
    await tx.query(u.text, u.values);
    const d = deletePendingClearParty(r.party_id);
    await tx.query(d.text, d.values);
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
  let done = 0;
  let after = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const q = partiesNotUnderKey(after, ring.current.id, batchSize);
      const { rows } = await tx.query<StoredParty>(q.text, q.values);
      if (rows.length === 0) return 0;
      const fresh = rows.map((r) => {
        const p = decryptParty(ring, r);
        return {
          id: p.id,
          name_enc: encryptField(ring, 'name', p.name),
          phone_enc: encryptOrNull(ring, 'phone', p.phone),
          id_number_enc: encryptOrNull(ring, 'id_number', p.idNumber),
        };
      });
      const u = setPartiesCiphertexts(fresh);
      await tx.query(u.text, u.values);
      after = Number(rows[rows.length - 1]?.id);
      return rows.length;
    });
    if (n === 0) return done;
    done += n;
  }
}

/** The register's mediator names (issue 18) the same way: every name not under the current key, in batches. */
export async function reencryptMediators(db: Db, ring: Keyring, batchSize = 1000): Promise<number> {
  let done = 0;
  let after = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const q = mediatorsNotUnderKey(after, ring.current.id, batchSize);
      const { rows } = await tx.query<{ id: string; name_enc: string }>(q.text, q.values);
      if (rows.length === 0) return 0;
      const fresh = rows.map((r) => ({
        id: Number(r.id),
        name_enc: encryptField(ring, 'mediator_name', decryptField(ring, 'mediator_name', r.name_enc)),
      }));
      const u = setMediatorNames(fresh);
      await tx.query(u.text, u.values);
      after = Number(rows[rows.length - 1]?.id);
      return rows.length;
    });
    if (n === 0) return done;
    done += n;
  }
}
