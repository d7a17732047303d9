import type { Queryable } from '../db/index.js';
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

const accountColumns = `a.id, a.username AS name, a.display_name, a.role, a.town_code, a.station_id,
  s.town_code AS station_town,
  (SELECT array_agg(v.village_code ORDER BY v.village_code) FROM account_villages v WHERE v.account_id = a.id) AS villages`;

export async function principalForAccount(db: Queryable, id: number): Promise<Principal | null> {
  const { rows } = await db.query<PrincipalRow>(
    `SELECT ${accountColumns} FROM accounts a LEFT JOIN stations s ON s.id = a.station_id
     WHERE a.id = $1 AND NOT a.disabled`,
    [id],
  );
  return rows[0] ? toPrincipal('account', rows[0]) : null;
}

/** The account behind a session cookie, if the session is alive; refreshes its idle clock (at most once a minute). */
export async function principalForSession(db: Queryable, secret: string, s: AuthSettings): Promise<Principal | null> {
  const hash = sha256(secret);
  const { rows } = await db.query<PrincipalRow & { stale: boolean }>(
    `SELECT ${accountColumns}, ss.last_seen_at < now() - interval '1 minute' AS stale
     FROM sessions ss JOIN accounts a ON a.id = ss.account_id LEFT JOIN stations s ON s.id = a.station_id
     WHERE ss.id_hash = $1 AND NOT a.disabled AND ss.expires_at > now()
       AND ss.last_seen_at > now() - make_interval(mins => $2::int)`,
    [hash, s.sessionIdleMinutes],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.stale) await db.query('UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1', [hash]);
  return { ...toPrincipal('account', row), session: hash };
}

export async function principalForToken(db: Queryable, token: string): Promise<Principal | null> {
  const hash = sha256(token);
  const { rows } = await db.query<PrincipalRow & { stale: boolean }>(
    `SELECT id, name, name AS display_name, role, town_code, NULL::int AS station_id, NULL::text AS station_town,
       NULL::text[] AS villages, coalesce(last_used_at < now() - interval '1 minute', true) AS stale
     FROM api_tokens
     WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [hash],
  );
  const row = rows[0];
  if (!row) return null;
  // "Last used" to the minute: no write (and no row lock shared by a client's parallel requests) per request.
  if (row.stale) await db.query('UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1', [hash]);
  return toPrincipal('token', row);
}

export async function createSession(
  db: Queryable,
  accountId: number,
  s: AuthSettings,
  from: { ip?: string; userAgent?: string },
): Promise<string> {
  const secret = randomSecret();
  await db.query(
    `INSERT INTO sessions (id_hash, account_id, expires_at, ip, user_agent)
     VALUES ($1, $2, now() + make_interval(hours => $3::int), $4, $5)`,
    [sha256(secret), accountId, s.sessionMaxHours, from.ip ?? null, from.userAgent?.slice(0, 200) ?? null],
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
  const { rows } = await db.query<{ id: number; password_hash: string; locked_until: Date | null; locked: boolean }>(
    `SELECT id, password_hash, locked_until, coalesce(locked_until > now(), false) AS locked
     FROM accounts WHERE username = $1 AND NOT disabled`,
    [username.trim().toLowerCase()],
  );
  const row = rows[0];
  const ok = await verifyPassword(password, row?.password_hash ?? decoyHash);
  if (!row) return { outcome: 'bad', accountId: null };
  const id = Number(row.id);
  if (row.locked && row.locked_until) return { outcome: 'locked', accountId: id, until: new Date(row.locked_until) };
  if (ok) {
    await db.query('UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
    return { outcome: 'ok', accountId: id };
  }
  const { rows: after } = await db.query<{ locked_until: Date | null }>(
    `UPDATE accounts SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3::int) END
     WHERE id = $1 RETURNING locked_until`,
    [id, s.maxFailedLogins, s.lockMinutes],
  );
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
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO accounts (username, display_name, role, town_code, station_id, password_hash, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      a.username,
      a.displayName,
      a.role,
      a.townCode ?? null,
      a.stationId ?? null,
      await hashPassword(a.password),
      a.demo ?? false,
    ],
  );
  const id = Number(rows[0]?.id);
  if (a.villages?.length) {
    await db.query('INSERT INTO account_villages (account_id, village_code) SELECT $1, unnest($2::text[])', [
      id,
      a.villages,
    ]);
  }
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
  const { rows: towns } = await db.query<{ code: string; name: string }>(
    `SELECT code, name FROM admin_units WHERE level = 'town' AND name IN ('王家厂镇', '澧南镇')`,
  );
  const town = (name: string) => towns.find((t) => t.name === name);
  const wjc = town('王家厂镇');
  const ln = town('澧南镇');
  // Not the demo county (a database loaded by other means): no demo accounts; the setup code path applies.
  if (!wjc || !ln) return [];
  const { rows: stations } = await db.query<{ id: number; name: string }>(
    `SELECT id, name FROM stations WHERE town_code = $1 ORDER BY kind = 'police_station' DESC, id LIMIT 1`,
    [ln.code],
  );
  const { rows: villages } = await db.query<{ code: string }>(
    `SELECT code FROM admin_units WHERE level = 'village' AND parent_code = $1 ORDER BY code LIMIT 3`,
    [wjc.code],
  );
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
