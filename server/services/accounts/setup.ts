import { createAccount } from '../../auth/accounts.js';
import { randomSecret, sha256 } from '../../auth/tokens.js';
import {
  dropUnusedSetupCodes,
  hasAdministrator as hasAdministratorSql,
  insertSetupCode,
  lockSetupCodes,
  useSetupCode,
} from '../../db/queries/accounts.js';
import type { Db, Queryable } from '../../db/types.js';
import { Conflict, InvalidInput } from '../errors.js';

/**
 * The first run of a production database: no account and no default password. While there is no administrator,
 * each start offers a one-time code; /setup trades it for the first county administrator, once.
 */

/** Is there an enabled administrator? (The one place this is asked.) */
export async function hasAdministrator(db: Queryable): Promise<boolean> {
  const q = hasAdministratorSql();
  return Boolean((await db.query<{ yes: boolean }>(q.text, q.values)).rows[0]?.yes);
}

/** A fresh one-time setup code (older unused ones no longer work), or null when an administrator exists. */
export async function offerSetupCode(db: Db): Promise<string | null> {
  if (await hasAdministrator(db)) return null;
  const code = randomSecret().slice(0, 24);
  await db.transaction(async (tx) => {
    const drop = dropUnusedSetupCodes();
    await tx.query(drop.text, drop.values);
    const ins = insertSetupCode(sha256(code));
    await tx.query(ins.text, ins.values);
  });
  return code;
}

export interface FirstAdministrator {
  code: string;
  username: string;
  displayName: string;
  password: string;
}

/** Creates the first administrator with a valid unused code, in one transaction (one /setup at a time). */
export async function setupFirstAdministrator(db: Db, a: FirstAdministrator): Promise<number> {
  return db.transaction(async (tx) => {
    const lock = lockSetupCodes();
    await tx.query(lock.text, lock.values);
    if (await hasAdministrator(tx)) throw new Conflict('The database already has an administrator; sign in instead.');
    const use = useSetupCode(sha256(a.code.trim()));
    if ((await tx.query(use.text, use.values)).rowCount === 0) {
      throw new InvalidInput('code', 'the setup code is wrong or already used');
    }
    return createAccount(tx, { username: a.username, displayName: a.displayName, password: a.password, role: 'admin' });
  });
}
