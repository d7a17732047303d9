import type { Queryable, Sql } from '../db/index.js';
import {
  clearFailedLogins,
  countFailedLogin,
  firstStationOf,
  firstVillagesOf,
  insertAccount,
  insertAccountVillages,
  insertSession,
  loginOf,
  principalOfAccount,
  principalOfSession,
  principalOfToken,
  touchSession,
  touchToken,
  townsNamed,
} from '../db/queries/accounts.js';
import { decoyHash, hashPassword, randomPassword, verifyPassword } from './passwords.js';
import type { AccountRole, Principal, Role } from './roles.js';
import { randomSecret, sha256 } from './tokens.js';

export interface AuthSettings {
  /** A session ends after this much inactivity. */
  sessionIdleMinutes: number;
  /** …and at the latest this long after sign-in. */
  sessionMaxHours: number;
  /** Consecutive failed logins that lock an account… */
  maxFailedLogins: number;
  /** …for this long. */
  lockMinutes: number;
}

interface PrincipalRow {
  id: number;
  name: string;
  display_name: string;
  role: Role;
  town_code: string | null;
  station_id: number | null;
  station_town: string | null;
  villages: string[] | null;
}

const run = async (db: Queryable, q: Sql) => {
  await db.query(q.text, q.values);
};

function toPrincipal(kind: Principal['kind'], row: PrincipalRow): Principal {
  let towns: string[] | null = null;
  let villages: string[] | null = null;
  if (row.role === 'town_officer') towns = row.town_code ? [row.town_code] : [];
  if (row.role === 'station_staff') towns = row.station_town ? [row.station_town] : [];
  if (row.role === 'screener') {
    villages = row.villages ?? [];
    towns = [...new Set(villages.map((v) => v.slice(0, 9)))];
  }
  if (row.role === 'export_client' && row.town_code) towns = [row.town_code];
  return {
    kind,
    id: Number(row.id),
    name: row.name,
    displayName: row.display_name,
    role: row.role,
    towns,
    stationId: row.role === 'station_staff' && row.station_id !== null ? Number(row.station_id) : null,
    villages,
  };
}

export async function principalForAccount(db: Queryable, id: number): Promise<Principal | null> {
  const q = principalOfAccount(id);
  const { rows } = await db.query<PrincipalRow>(q.text, q.values);
  return rows[0] ? toPrincipal('account', rows[0]) : null;
}

/** The account behind a session cookie, if the session is alive; refreshes its idle clock (at most once a minute). */
export async function principalForSession(db: Queryable, secret: string, s: AuthSettings): Promise<Principal | null> {
  const hash = sha256(secret);
  const q = principalOfSession(hash, s.sessionIdleMinutes);
  const { rows } = await db.query<PrincipalRow & { stale: boolean }>(q.text, q.values);
  const row = rows[0];
  if (!row) return null;
  if (row.stale) await run(db, touchSession(hash));
  return { ...toPrincipal('account', row), session: hash };
}

export async function principalForToken(db: Queryable, token: string): Promise<Principal | null> {
  const hash = sha256(token);
  const q = principalOfToken(hash);
  const { rows } = await db.query<PrincipalRow & { stale: boolean }>(q.text, q.values);
  const row = rows[0];
  if (!row) return null;
  // "Last used" to the minute: no write (and no row lock shared by a client's parallel requests) per request.
  if (row.stale) await run(db, touchToken(hash));
  return toPrincipal('token', row);
}

export async function createSession(
  db: Queryable,
  accountId: number,
  s: AuthSettings,
  from: { ip?: string; userAgent?: string },
): Promise<string> {
  const secret = randomSecret();
  await run(
    db,
    insertSession(sha256(secret), accountId, s.sessionMaxHours, from.ip ?? null, from.userAgent?.slice(0, 200) ?? null),
  );
  return secret;
}

export type LoginResult =
  | { outcome: 'ok'; accountId: number }
  | { outcome: 'bad'; accountId: number | null }
  | { outcome: 'locked'; accountId: number; until: Date };

/**
 * Checks a password. Unknown names cost the same scrypt as known ones; `maxFailedLogins` consecutive failures
 * lock the account for `lockMinutes` (a correct password during the lock is refused too).
 */
export async function checkLogin(
  db: Queryable,
  username: string,
  password: string,
  s: AuthSettings,
): Promise<LoginResult> {
  const q = loginOf(username.trim().toLowerCase());
  const { rows } = await db.query<{ id: number; password_hash: string; locked_until: Date | null; locked: boolean }>(
    q.text,
    q.values,
  );
  const row = rows[0];
  const ok = await verifyPassword(password, row?.password_hash ?? decoyHash);
  if (!row) return { outcome: 'bad', accountId: null };
  const id = Number(row.id);
  if (row.locked && row.locked_until) return { outcome: 'locked', accountId: id, until: new Date(row.locked_until) };
  if (ok) {
    await run(db, clearFailedLogins(id));
    return { outcome: 'ok', accountId: id };
  }
  const f = countFailedLogin(id, s.maxFailedLogins, s.lockMinutes);
  const { rows: after } = await db.query<{ locked_until: Date | null }>(f.text, f.values);
  const until = after[0]?.locked_until;
  return until ? { outcome: 'locked', accountId: id, until: new Date(until) } : { outcome: 'bad', accountId: id };
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: AccountRole;
  password: string;
  townCode?: string | null;
  stationId?: number | null;
  villages?: string[];
  demo?: boolean;
}

export async function createAccount(db: Queryable, a: NewAccount): Promise<number> {
  const q = insertAccount({
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    townCode: a.townCode ?? null,
    stationId: a.stationId ?? null,
    passwordHash: await hashPassword(a.password),
    demo: a.demo ?? false,
  });
  const { rows } = await db.query<{ id: number }>(q.text, q.values);
  const id = Number(rows[0]?.id);
  if (a.villages?.length) await run(db, insertAccountVillages(id, a.villages));
  return id;
}

export interface DemoAccount {
  username: string;
  password: string;
  role: AccountRole;
  displayName: string;
  scope: string;
}

/**
 * One account per role on the demo database, with random passwords (shown once, never in the code): the county
 * administrator, a county leader, the town officer of 王家厂镇 (the article's first case), the staff of a police
 * station in 澧南镇 (the second case), and a screener for three villages of 王家厂镇.
 */
export async function createDemoAccounts(db: Queryable): Promise<DemoAccount[]> {
  const t = townsNamed(['王家厂镇', '澧南镇']);
  const { rows: towns } = await db.query<{ code: string; name: string }>(t.text, t.values);
  const town = (name: string) => towns.find((t) => t.name === name);
  const wjc = town('王家厂镇');
  const ln = town('澧南镇');
  // Not the demo county (a database loaded by other means): no demo accounts; the setup code path applies.
  if (!wjc || !ln) return [];
  const st = firstStationOf(ln.code);
  const { rows: stations } = await db.query<{ id: number; name: string }>(st.text, st.values);
  const vs = firstVillagesOf(wjc.code, 3);
  const { rows: villages } = await db.query<{ code: string }>(vs.text, vs.values);
  const station = stations[0];
  if (!station) return [];
  const made: DemoAccount[] = [];
  const add = async (a: Omit<NewAccount, 'password' | 'demo'>, scope: string) => {
    const password = randomPassword();
    await createAccount(db, { ...a, password, demo: true });
    made.push({ username: a.username, password, role: a.role, displayName: a.displayName, scope });
  };
  await add({ username: 'admin', displayName: '县管理员（演示）', role: 'admin' }, 'county');
  await add({ username: 'leader', displayName: '县领导（演示）', role: 'leader' }, 'county, personal data masked');
  await add(
    { username: 'town.wjc', displayName: `${wjc.name}干部（演示）`, role: 'town_officer', townCode: wjc.code },
    `${wjc.name} ${wjc.code}`,
  );
  await add(
    {
      username: 'station.ln',
      displayName: `${station.name}民警（演示）`,
      role: 'station_staff',
      stationId: Number(station.id),
    },
    `${station.name} (${ln.name})`,
  );
  await add(
    {
      username: 'screener.wjc',
      displayName: `${wjc.name}网格员（演示）`,
      role: 'screener',
      villages: villages.map((v) => v.code),
    },
    villages.map((v) => v.code).join(', '),
  );
  return made;
}
