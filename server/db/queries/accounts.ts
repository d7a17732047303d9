import type { Sql } from '../types.js';
import { sql } from './filters.js';

/** Accounts, sessions and API tokens (issue 6): what sign-in, the auth hook and the admin page read and write. */

const principalColumns = `a.id, a.username AS name, a.display_name, a.role, a.town_code, a.station_id,
  s.town_code AS station_town,
  (SELECT array_agg(v.village_code ORDER BY v.village_code) FROM account_villages v WHERE v.account_id = a.id) AS villages`;

export function principalOfAccount(id: number): Sql {
  return sql(
    `SELECT ${principalColumns} FROM accounts a LEFT JOIN stations s ON s.id = a.station_id
     WHERE a.id = $1 AND NOT a.disabled`,
    [id],
  );
}

/** The account of a live session (not idle past `idleMinutes`, not expired), and whether its clock is stale. */
export function principalOfSession(hash: string, idleMinutes: number): Sql {
  return sql(
    `SELECT ${principalColumns}, ss.last_seen_at < now() - interval '1 minute' AS stale
     FROM sessions ss JOIN accounts a ON a.id = ss.account_id LEFT JOIN stations s ON s.id = a.station_id
     WHERE ss.id_hash = $1 AND NOT a.disabled AND ss.expires_at > now()
       AND ss.last_seen_at > now() - make_interval(mins => $2::int)`,
    [hash, idleMinutes],
  );
}

export function touchSession(hash: string): Sql {
  return sql('UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1', [hash]);
}

export function principalOfToken(hash: string): Sql {
  return sql(
    `SELECT id, name, name AS display_name, role, town_code, NULL::int AS station_id, NULL::text AS station_town,
       NULL::text[] AS villages, coalesce(last_used_at < now() - interval '1 minute', true) AS stale
     FROM api_tokens
     WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [hash],
  );
}

export function touchToken(hash: string): Sql {
  return sql('UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1', [hash]);
}

export function insertSession(
  hash: string,
  accountId: number,
  maxHours: number,
  ip: string | null,
  userAgent: string | null,
): Sql {
  return sql(
    `INSERT INTO sessions (id_hash, account_id, expires_at, ip, user_agent)
     VALUES ($1, $2, now() + make_interval(hours => $3::int), $4, $5)`,
    [hash, accountId, maxHours, ip, userAgent],
  );
}

export function deleteSession(hash: string): Sql {
  return sql('DELETE FROM sessions WHERE id_hash = $1', [hash]);
}

export function deleteSessionsOf(accountId: number): Sql {
  return sql('DELETE FROM sessions WHERE account_id = $1', [accountId]);
}

export function loginOf(username: string): Sql {
  return sql(
    `SELECT id, password_hash, locked_until, coalesce(locked_until > now(), false) AS locked
     FROM accounts WHERE username = $1 AND NOT disabled`,
    [username],
  );
}

export function clearFailedLogins(id: number): Sql {
  return sql('UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
}

/** One more failed sign-in; the `maxFailures`-th locks the account for `lockMinutes`. */
export function countFailedLogin(id: number, maxFailures: number, lockMinutes: number): Sql {
  return sql(
    `UPDATE accounts SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3::int) END
     WHERE id = $1 RETURNING locked_until`,
    [id, maxFailures, lockMinutes],
  );
}

export interface AccountInsert {
  username: string;
  displayName: string;
  role: string;
  townCode: string | null;
  stationId: number | null;
  passwordHash: string;
  demo: boolean;
}

export function insertAccount(a: AccountInsert): Sql {
  return sql(
    `INSERT INTO accounts (username, display_name, role, town_code, station_id, password_hash, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [a.username, a.displayName, a.role, a.townCode, a.stationId, a.passwordHash, a.demo],
  );
}

export function insertAccountVillages(accountId: number, villages: readonly string[]): Sql {
  return sql('INSERT INTO account_villages (account_id, village_code) SELECT $1, unnest($2::text[])', [
    accountId,
    villages,
  ]);
}

/** The towns the demo accounts belong to, by name. */
export function townsNamed(names: readonly string[]): Sql {
  return sql(`SELECT code, name FROM admin_units WHERE level = 'town' AND name = ANY($1::text[])`, [names]);
}

/** A town's first station, its police station first. */
export function firstStationOf(townCode: string): Sql {
  return sql(`SELECT id, name FROM stations WHERE town_code = $1 ORDER BY kind = 'police_station' DESC, id LIMIT 1`, [
    townCode,
  ]);
}

export function firstVillagesOf(townCode: string, n: number): Sql {
  return sql(`SELECT code FROM admin_units WHERE level = 'village' AND parent_code = $1 ORDER BY code LIMIT $2`, [
    townCode,
    n,
  ]);
}

/** Is there an enabled administrator? The one check of the first-run setup (bootstrap, /setup, the setup route). */
export function hasAdministrator(): Sql {
  return sql(`SELECT EXISTS (SELECT 1 FROM accounts WHERE role = 'admin' AND NOT disabled) AS yes`, []);
}

export function passwordHashOf(id: number): Sql {
  return sql('SELECT password_hash FROM accounts WHERE id = $1', [id]);
}

export function setPassword(id: number, hash: string): Sql {
  return sql('UPDATE accounts SET password_hash = $2, password_changed_at = now() WHERE id = $1', [id, hash]);
}

/** Signs an account out everywhere but in the session `keepHash`. */
export function deleteOtherSessions(accountId: number, keepHash: string): Sql {
  return sql('DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2', [accountId, keepHash]);
}

/** Serialises the first-run setup: one /setup at a time (and against a new code being offered). */
export function lockSetupCodes(): Sql {
  return sql('LOCK TABLE setup_codes IN EXCLUSIVE MODE', []);
}

export function useSetupCode(hash: string): Sql {
  return sql('UPDATE setup_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL', [hash]);
}

export function dropUnusedSetupCodes(): Sql {
  return sql('DELETE FROM setup_codes WHERE used_at IS NULL', []);
}

export function insertSetupCode(hash: string): Sql {
  return sql('INSERT INTO setup_codes (code_hash) VALUES ($1)', [hash]);
}

export function anyAccount(): Sql {
  return sql('SELECT EXISTS (SELECT 1 FROM accounts) AS yes', []);
}

export interface TokenInsert {
  name: string;
  hash: string;
  prefix: string;
  role: string;
  townCode: string | null;
  expiresAt: Date | null;
  createdBy: number | null;
}

export function insertApiToken(t: TokenInsert): Sql {
  return sql(
    `INSERT INTO api_tokens (name, token_hash, prefix, role, town_code, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [t.name, t.hash, t.prefix, t.role, t.townCode, t.expiresAt, t.createdBy],
  );
}

export interface AuditInsert {
  actorKind: string;
  actorId: number | null;
  actorName: string | null;
  role: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  detail: Record<string, unknown>;
}

export function insertAudit(a: AuditInsert): Sql {
  return sql(
    `INSERT INTO audit_log (actor_kind, actor_id, actor_name, role, action, target_type, target_id, outcome, ip, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      a.actorKind,
      a.actorId,
      a.actorName,
      a.role,
      a.action,
      a.targetType,
      a.targetId,
      a.outcome,
      a.ip,
      JSON.stringify(a.detail),
    ],
  );
}

/** Has the actor done `action` within the last `minutes`? */
export function recentAudit(actorKind: string, actorId: number | null, action: string, minutes: number): Sql {
  return sql(
    `SELECT 1 FROM audit_log
     WHERE actor_kind = $1 AND actor_id IS NOT DISTINCT FROM $2 AND action = $3
       AND at > now() - make_interval(mins => $4::int)
     LIMIT 1`,
    [actorKind, actorId, action, minutes],
  );
}

export function stationTown(id: string | number): Sql {
  return sql('SELECT town_code FROM stations WHERE id = $1', [id]);
}

/** Who uploaded a batch and which towns its screenings are in (the upload's scope). */
export function uploadOwner(id: string | number): Sql {
  return sql(
    `SELECT b.uploaded_by_id,
       (SELECT array_agg(DISTINCT s.town_code) FROM screenings s WHERE s.batch_id = b.id) AS towns
     FROM upload_batches b WHERE b.id = $1`,
    [id],
  );
}

/** Where a case is, for the scope check of the routes that name one. */
export function disputeScope(id: string | number): Sql {
  return sql('SELECT town_code, station_id FROM disputes WHERE id = $1', [id]);
}

const UTC = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const accountSelect = `SELECT a.id, a.username, a.display_name AS "displayName", a.role, a.town_code AS "townCode",
    a.station_id AS "stationId", a.disabled, a.demo, coalesce(a.locked_until > now(), false) AS locked,
    ${UTC('a.created_at')} AS "createdAt",
    (SELECT ${UTC('max(l.at)')} FROM audit_log l
      WHERE l.actor_kind = 'account' AND l.actor_id = a.id AND l.action = 'login' AND l.outcome = 'ok') AS "lastLoginAt",
    coalesce((SELECT array_agg(v.village_code ORDER BY v.village_code) FROM account_villages v WHERE v.account_id = a.id),
      '{}') AS villages
  FROM accounts a`;

/** Accounts as the admin page lists them; one account when `id` is given. */
export function accountList(id?: number): Sql {
  return id === undefined ? sql(`${accountSelect} ORDER BY a.id`, []) : sql(`${accountSelect} WHERE a.id = $1`, [id]);
}

export function usernameTaken(username: string): Sql {
  return sql('SELECT 1 FROM accounts WHERE username = $1', [username]);
}

export function stationExists(id: number): Sql {
  return sql('SELECT 1 FROM stations WHERE id = $1', [id]);
}

export interface AccountUpdate {
  displayName: string | null;
  disabled: boolean | null;
  unlock: boolean;
  passwordHash: string | null;
}

export function updateAccount(id: number, u: AccountUpdate): Sql {
  return sql(
    `UPDATE accounts SET display_name = coalesce($2, display_name), disabled = coalesce($3, disabled),
       failed_logins = CASE WHEN $4 THEN 0 ELSE failed_logins END,
       locked_until = CASE WHEN $4 THEN NULL ELSE locked_until END,
       password_hash = coalesce($5, password_hash),
       password_changed_at = CASE WHEN $5::text IS NULL THEN password_changed_at ELSE now() END
     WHERE id = $1 RETURNING id`,
    [id, u.displayName, u.disabled, u.unlock, u.passwordHash],
  );
}

/** Export tokens (service tokens of benchmarks and tests left out). */
export function tokenList(): Sql {
  return sql(
    `SELECT id, name, prefix, role, town_code AS "townCode", ${UTC('created_at')} AS "createdAt",
       ${UTC('expires_at')} AS "expiresAt", ${UTC('revoked_at')} AS "revokedAt", ${UTC('last_used_at')} AS "lastUsedAt"
     FROM api_tokens WHERE name NOT LIKE 'service: %' ORDER BY id`,
    [],
  );
}

export function revokeToken(id: number): Sql {
  return sql('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [id]);
}

export interface AuditFilter {
  action: string | null;
  actor: string | null;
  outcome: string | null;
}

const auditWhere = `($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR actor_name = $2)
  AND ($3::text IS NULL OR outcome = $3)`;

/** A page of the audit trail, newest first, before the row `before`. */
export function auditPage(f: AuditFilter, before: number | null, limit: number): Sql {
  return sql(
    `SELECT id, ${UTC('at')} AS at, actor_kind AS "actorKind", actor_id AS "actorId", actor_name AS "actorName",
       role, action, target_type AS "targetType", target_id AS "targetId", outcome, ip, detail
     FROM audit_log WHERE ${auditWhere} AND ($4::bigint IS NULL OR id < $4) ORDER BY id DESC LIMIT $5`,
    [f.action, f.actor, f.outcome, before, limit],
  );
}

export function auditCount(f: AuditFilter): Sql {
  return sql(`SELECT count(*)::int AS n FROM audit_log WHERE ${auditWhere}`, [f.action, f.actor, f.outcome]);
}
