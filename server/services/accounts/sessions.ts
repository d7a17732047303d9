import { audit } from '../../auth/audit.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../auth/passwords.js';
import type { Principal } from '../../auth/roles.js';
import { deleteOtherSessions, deleteSession, passwordHashOf, setPassword } from '../../db/queries/accounts.js';
import type { Queryable } from '../../db/types.js';
import { InvalidInput } from '../errors.js';

/** Signing out and changing one's password: both end sessions, both are audited. */

export async function endSession(db: Queryable, p: Principal, ip: string): Promise<void> {
  if (p.session) {
    const q = deleteSession(p.session);
    await db.query(q.text, q.values);
  }
  await audit(db, p, { action: 'logout', ip });
}

/** The caller's own password, given the current one; every other session of the account ends. */
export async function changePassword(
  db: Queryable,
  p: Principal,
  change: { current: string; next: string; ip: string },
): Promise<void> {
  const q = passwordHashOf(p.id);
  const { rows } = await db.query<{ password_hash: string }>(q.text, q.values);
  if (!rows[0] || !(await verifyPassword(change.current, rows[0].password_hash))) {
    await audit(db, p, { action: 'password-change', outcome: 'failed', ip: change.ip });
    throw new InvalidInput('current', 'the current password is wrong');
  }
  const problem = passwordProblem(change.next);
  if (problem) throw new InvalidInput('next', problem);
  const set = setPassword(p.id, await hashPassword(change.next));
  await db.query(set.text, set.values);
  const others = deleteOtherSessions(p.id, p.session ?? '');
  await db.query(others.text, others.values);
  await audit(db, p, { action: 'password-change', ip: change.ip });
}
