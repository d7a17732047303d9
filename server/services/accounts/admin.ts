import { createAccount } from '../../auth/accounts.js';
import { hashPassword, passwordProblem } from '../../auth/passwords.js';
import type { AccountRole } from '../../auth/roles.js';
import {
  type AuditFilter,
  accountList,
  auditCount,
  auditPage,
  deleteSessionsOf,
  revokeToken,
  stationExists,
  tokenList,
  updateAccount,
  usernameTaken,
} from '../../db/queries/accounts.js';
import type { Queryable } from '../../db/types.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { assertAdminUnit } from '../lookups.js';

/** What county administrators do on the admin page: accounts, export tokens, the audit trail. */

interface ScopeFields {
  townCode?: string | null | undefined;
  stationId?: number | null | undefined;
  villages?: string[] | undefined;
}

const NEEDS: Record<string, keyof ScopeFields> = {
  town_officer: 'townCode',
  station_staff: 'stationId',
  screener: 'villages',
};

/** Which scope fields each role needs; fields another role may not carry are refused (no mass assignment). */
async function checkScope(db: Queryable, role: string, b: ScopeFields): Promise<void> {
  const need = NEEDS[role];
  for (const f of ['townCode', 'stationId', 'villages'] as const) {
    const v = b[f];
    const given = v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
    if (given && f !== need) throw new InvalidInput(f, `a ${role} account has no ${f}`);
    if (!given && f === need) throw new InvalidInput(f, `a ${role} account needs ${f}`);
  }
  if (b.townCode) await assertAdminUnit(db, 'townCode', b.townCode, 'town');
  if (b.stationId) {
    const q = stationExists(b.stationId);
    if ((await db.query(q.text, q.values)).rows.length === 0) {
      throw new InvalidInput('stationId', `station ${b.stationId} does not exist`);
    }
  }
  for (const [i, v] of (b.villages ?? []).entries()) await assertAdminUnit(db, `villages[${i}]`, v, 'village');
}

function assertPassword(password: string | undefined): void {
  const problem = password === undefined ? null : passwordProblem(password);
  if (problem) throw new InvalidInput('password', problem);
}

export async function listAccounts(db: Queryable): Promise<unknown[]> {
  const q = accountList();
  return (await db.query(q.text, q.values)).rows;
}

async function accountById(db: Queryable, id: number): Promise<unknown> {
  const q = accountList(id);
  return (await db.query(q.text, q.values)).rows[0];
}

export interface NewAccountInput extends ScopeFields {
  username: string;
  displayName: string;
  role: AccountRole;
  password: string;
}

export async function addAccount(db: Queryable, b: NewAccountInput): Promise<unknown> {
  assertPassword(b.password);
  await checkScope(db, b.role, b);
  const taken = usernameTaken(b.username);
  if ((await db.query(taken.text, taken.values)).rows.length > 0) {
    throw new Conflict(`username: ${b.username} is taken`, 'username');
  }
  const id = await createAccount(db, { ...b, villages: b.villages ?? [] });
  return accountById(db, id);
}

export interface AccountChange {
  displayName?: string | undefined;
  disabled?: boolean | undefined;
  unlock?: true | undefined;
  password?: string | undefined;
}

/** Renames, disables, unlocks or resets an account; disabling or a new password ends its sessions. */
export async function changeAccount(db: Queryable, actorId: number | null, id: number, b: AccountChange) {
  if (b.disabled === true && id === actorId) throw new InvalidInput('disabled', 'you cannot disable your own account');
  assertPassword(b.password);
  const q = updateAccount(id, {
    displayName: b.displayName ?? null,
    disabled: b.disabled ?? null,
    unlock: b.unlock === true,
    passwordHash: b.password ? await hashPassword(b.password) : null,
  });
  if ((await db.query(q.text, q.values)).rows.length === 0) throw new NotFound(`account ${id}`);
  if (b.disabled || b.password) {
    const d = deleteSessionsOf(id);
    await db.query(d.text, d.values);
  }
  return accountById(db, id);
}

export async function listTokens(db: Queryable): Promise<unknown[]> {
  const q = tokenList();
  return (await db.query(q.text, q.values)).rows;
}

export async function revokeApiToken(db: Queryable, id: number): Promise<void> {
  const q = revokeToken(id);
  if ((await db.query(q.text, q.values)).rowCount === 0) throw new NotFound(`token ${id}`);
}

export async function auditTrail(db: Queryable, f: AuditFilter, before: number | null, limit: number) {
  const p = auditPage(f, before, limit);
  const c = auditCount(f);
  const rows = (await db.query(p.text, p.values)).rows;
  const total = Number((await db.query<{ n: number }>(c.text, c.values)).rows[0]?.n ?? 0);
  return { rows, total };
}
