import type { Sql } from '../types.js';
import { sql } from './filters.js';

/** Parties of cases (issue 8): only ciphertexts and keyed hashes are stored, see migrations/100. */

export interface PartyRow {
  role: string;
  name_enc: string;
  phone_enc: string | null;
  id_number_enc: string | null;
  phone_hash: string | null;
  id_number_hash: string | null;
}

export function insertParty(disputeId: number, c: PartyRow): Sql {
  return sql(
    `INSERT INTO dispute_parties (dispute_id, role, name_enc, phone_enc, id_number_enc, phone_hash, id_number_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [disputeId, c.role, c.name_enc, c.phone_enc, c.id_number_enc, c.phone_hash, c.id_number_hash],
  );
}

const SELECT = 'SELECT id, role, name_enc, phone_enc, id_number_enc FROM dispute_parties';

export function partiesOf(disputeId: number): Sql {
  return sql(`${SELECT} WHERE dispute_id = $1 ORDER BY id`, [disputeId]);
}

export function partyOf(disputeId: number, partyId: number): Sql {
  return sql(`${SELECT} WHERE dispute_id = $1 AND id = $2`, [disputeId, partyId]);
}

/** Clear values of a database from before encryption at rest, waiting to be encrypted (migrations/100). */
export function pendingClearParties(): Sql {
  return sql('SELECT party_id, name, phone, id_number FROM dispute_parties_clear_pending ORDER BY party_id', []);
}

export function setPartyCiphertexts(
  id: number | string,
  nameEnc: string,
  phoneEnc: string | null,
  idNumberEnc: string | null,
): Sql {
  return sql('UPDATE dispute_parties SET name_enc = $2, phone_enc = $3, id_number_enc = $4 WHERE id = $1', [
    id,
    nameEnc,
    phoneEnc,
    idNumberEnc,
  ]);
}

export function deletePendingClearParty(id: number | string): Sql {
  return sql('DELETE FROM dispute_parties_clear_pending WHERE party_id = $1', [id]);
}

/** The next `limit` parties after `after` not wholly under the key `keyId`, locked for re-encryption. */
export function partiesNotUnderKey(after: number, keyId: string, limit: number): Sql {
  return sql(
    `${SELECT}
     WHERE id > $1 AND NOT (name_enc LIKE $2 AND (phone_enc IS NULL OR phone_enc LIKE $2)
                            AND (id_number_enc IS NULL OR id_number_enc LIKE $2))
     ORDER BY id LIMIT $3 FOR UPDATE`,
    [after, `pd1:${keyId}:%`, limit],
  );
}

export function setPartiesCiphertexts(
  rows: readonly { id: number; name_enc: string; phone_enc: string | null; id_number_enc: string | null }[],
): Sql {
  return sql(
    `UPDATE dispute_parties d SET name_enc = r.name_enc, phone_enc = r.phone_enc, id_number_enc = r.id_number_enc
     FROM json_to_recordset($1::json) AS r(id bigint, name_enc text, phone_enc text, id_number_enc text)
     WHERE d.id = r.id`,
    [JSON.stringify(rows)],
  );
}
