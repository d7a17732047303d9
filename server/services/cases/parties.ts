import { audit } from '../../auth/audit.js';
import { mayRevealPersonalData, type Principal } from '../../auth/roles.js';
import { type KeySource, partyKey, personalDataKeyring } from '../../db/keys.js';
import type { Db, Queryable } from '../../db/types.js';
import type { Keyring, PartyClear } from '../../domain/personal-data.js';
import { Forbidden, NotFound } from '../errors.js';
import { encryptPendingParties, revealParty } from '../personal-data/index.js';
import type { PartyKeys } from './workflow.js';

/** The keys the case workflow needs, from the configuration or kept in the settings (db/keys.ts). */
export interface CaseKeySource extends KeySource {
  partyHashKey: string | null;
}

export function caseKeyring(db: Db, config: CaseKeySource): Promise<Keyring> {
  return personalDataKeyring(db, config);
}

export async function caseKeys(db: Db, config: CaseKeySource): Promise<PartyKeys> {
  return { hash: await partyKey(db, config.partyHashKey), ring: await caseKeyring(db, config) };
}

/** Parties of a database from before encryption at rest (migrations/100), encrypted in one transaction. */
export async function encryptPending(db: Db, config: CaseKeySource): Promise<number> {
  const ring = await caseKeyring(db, config);
  return db.transaction((tx) => encryptPendingParties(tx, ring));
}

export interface RevealRequest {
  disputeId: number;
  partyId: number;
  ip: string;
}

/**
 * One party of a case in clear, for a role that may see it; audited before the answer leaves (no audit row, no
 * clear value), identifiers only, never the values.
 */
export async function revealCaseParty(
  db: Queryable,
  ring: Keyring,
  who: Principal,
  r: RevealRequest,
): Promise<PartyClear> {
  if (!mayRevealPersonalData(who)) throw new Forbidden('Your role sees personal data masked only.');
  const party = await revealParty(db, ring, r.disputeId, r.partyId);
  if (!party) throw new NotFound(`party ${r.partyId} of dispute ${r.disputeId}`);
  await audit(db, who, {
    action: 'reveal-personal-data',
    targetType: 'party',
    targetId: r.partyId,
    ip: r.ip,
    detail: { disputeId: r.disputeId, partyId: r.partyId, fields: ['name', 'phone', 'idNumber'] },
  });
  return party;
}
