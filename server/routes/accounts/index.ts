import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { createAccount } from '../../auth/accounts.js';
import { auditAtMostEvery } from '../../auth/audit.js';
import { hashPassword, passwordProblem } from '../../auth/passwords.js';
import { accountRoles } from '../../auth/roles.js';
import { createApiToken } from '../../auth/tokens.js';
import { caller } from '../../plugins/auth.js';
import { badRequest, HttpError, notFound } from '../../plugins/errors.js';
import { Username } from '../auth/index.js';
import { assertAdminUnit } from '../lookups.js';
import { TownCode, VillageCode } from '../params.js';

const Role = Type.Union(accountRoles.map((r) => Type.Literal(r)));
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const Account = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  townCode: Type.Union([Type.String(), Type.Null()]),
  stationId: Type.Union([Type.Integer(), Type.Null()]),
  villages: Type.Array(Type.String()),
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  demo: Type.Boolean(),
  createdAt: Type.String(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
});

const accountSelect = `SELECT a.id, a.username, a.display_name AS "displayName", a.role, a.town_code AS "townCode",
    a.station_id AS "stationId", a.disabled, a.demo, coalesce(a.locked_until > now(), false) AS locked,
    to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
    (SELECT to_char(max(l.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM audit_log l
      WHERE l.actor_kind = 'account' AND l.actor_id = a.id AND l.action = 'login' AND l.outcome = 'ok') AS "lastLoginAt",
    coalesce((SELECT array_agg(v.village_code ORDER BY v.village_code) FROM account_villages v WHERE v.account_id = a.id),
      '{}') AS villages
  FROM accounts a`;

/** Which scope fields each role needs; fields another role may not carry are refused (no mass assignment). */
async function checkScope(
  db: Parameters<typeof assertAdminUnit>[0],
  role: string,
  b: { townCode?: string | null | undefined; stationId?: number | null | undefined; villages?: string[] | undefined },
) {
  const needs = { town_officer: 'townCode', station_staff: 'stationId', screener: 'villages' } as Record<
    string,
    string
  >;
  const need = needs[role];
  for (const f of ['townCode', 'stationId', 'villages'] as const) {
    const given = b[f] !== undefined && b[f] !== null && !(Array.isArray(b[f]) && b[f].length === 0);
    if (given && f !== need) throw badRequest(f, `a ${role} account has no ${f}`);
    if (!given && f === need) throw badRequest(f, `a ${role} account needs ${f}`);
  }
  if (b.townCode) await assertAdminUnit(db, 'townCode', b.townCode, 'town');
  if (b.stationId) {
    const { rows } = await db.query('SELECT 1 FROM stations WHERE id = $1', [b.stationId]);
    if (rows.length === 0) throw badRequest('stationId', `station ${b.stationId} does not exist`);
  }
  for (const [i, v] of (b.villages ?? []).entries()) await assertAdminUnit(db, `villages[${i}]`, v, 'village');
}

/** County administrators manage accounts and API tokens and read the audit trail. */
const accounts: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/accounts',
    { schema: { tags: ['accounts'], summary: 'Accounts (administrators)', response: { 200: Type.Array(Account) } } },
    async () => (await app.db.query(`${accountSelect} ORDER BY a.id`)).rows as never,
  );

  app.post(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account (administrators)',
        body: Type.Object(
          {
            username: Username,
            displayName: Type.String({ minLength: 1, maxLength: 60 }),
            role: Role,
            password: Type.String({ minLength: 1, maxLength: 200 }),
            townCode: Type.Optional(Type.Union([TownCode, Type.Null()])),
            stationId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
            villages: Type.Optional(Type.Array(VillageCode, { maxItems: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Account },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const problem = passwordProblem(b.password);
      if (problem) throw badRequest('password', problem);
      await checkScope(app.db, b.role, b);
      const { rows: taken } = await app.db.query('SELECT 1 FROM accounts WHERE username = $1', [b.username]);
      if (taken.length > 0) throw new HttpError(409, `username: ${b.username} is taken`, 'username');
      const id = await createAccount(app.db, { ...b, villages: b.villages ?? [] });
      const { rows } = await app.db.query(`${accountSelect} WHERE a.id = $1`, [id]);
      return reply.code(201).send(rows[0] as never);
    },
  );

  app.patch(
    '/api/accounts/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change an account: name, disable, unlock, reset password (administrators)',
        params: Id,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
            disabled: Type.Optional(Type.Boolean()),
            unlock: Type.Optional(Type.Literal(true)),
            password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Account },
      },
    },
    async (request) => {
      const p = caller(request);
      const { id } = request.params;
      const b = request.body;
      if (b.disabled === true && id === p.id) throw badRequest('disabled', 'you cannot disable your own account');
      if (b.password !== undefined) {
        const problem = passwordProblem(b.password);
        if (problem) throw badRequest('password', problem);
      }
      const { rows } = await app.db.query<{ id: number }>(
        `UPDATE accounts SET display_name = coalesce($2, display_name), disabled = coalesce($3, disabled),
           failed_logins = CASE WHEN $4 THEN 0 ELSE failed_logins END,
           locked_until = CASE WHEN $4 THEN NULL ELSE locked_until END,
           password_hash = coalesce($5, password_hash),
           password_changed_at = CASE WHEN $5::text IS NULL THEN password_changed_at ELSE now() END
         WHERE id = $1 RETURNING id`,
        [
          id,
          b.displayName ?? null,
          b.disabled ?? null,
          b.unlock === true,
          b.password ? await hashPassword(b.password) : null,
        ],
      );
      if (rows.length === 0) throw notFound(`account ${id}`);
      if (b.disabled || b.password) await app.db.query('DELETE FROM sessions WHERE account_id = $1', [id]);
      return (await app.db.query(`${accountSelect} WHERE a.id = $1`, [id])).rows[0] as never;
    },
  );

  const Token = Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    prefix: Type.String(),
    role: Type.String(),
    townCode: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    expiresAt: Type.Union([Type.String(), Type.Null()]),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
    lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  });
  const iso = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const tokenSelect = `SELECT id, name, prefix, role, town_code AS "townCode", ${iso('created_at')} AS "createdAt",
    ${iso('expires_at')} AS "expiresAt", ${iso('revoked_at')} AS "revokedAt", ${iso('last_used_at')} AS "lastUsedAt"
    FROM api_tokens`;

  app.get(
    '/api/tokens',
    { schema: { tags: ['accounts'], summary: 'API tokens (administrators)', response: { 200: Type.Array(Token) } } },
    async () => (await app.db.query(`${tokenSelect} WHERE name NOT LIKE 'service: %' ORDER BY id`)).rows as never,
  );

  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an export token (read-only export API, no personal data); the token is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 80 }),
            expiresInDays: Type.Integer({ minimum: 1, maximum: 3650 }),
            townCode: Type.Optional(TownCode),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.Integer(), token: Type.String(), expiresAt: Type.String() }) },
      },
    },
    async (request, reply) => {
      const p = caller(request);
      const b = request.body;
      await assertAdminUnit(app.db, 'townCode', b.townCode, 'town');
      const expiresAt = new Date(Date.now() + b.expiresInDays * 86_400_000);
      const { id, token } = await createApiToken(app.db, {
        name: b.name,
        role: 'export_client',
        townCode: b.townCode ?? null,
        expiresAt,
        createdBy: p.kind === 'account' ? p.id : null,
      });
      return reply.code(201).send({ id, token, expiresAt: expiresAt.toISOString() });
    },
  );

  app.delete(
    '/api/tokens/:id',
    { schema: { tags: ['accounts'], summary: 'Revoke an API token', params: Id, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const { rowCount } = await app.db.query(
        'UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1',
        [request.params.id],
      );
      if (rowCount === 0) throw notFound(`token ${request.params.id}`);
      return reply.code(204).send(null);
    },
  );

  const AuditRow = Type.Object({
    id: Type.Integer(),
    at: Type.String(),
    actorKind: Type.String(),
    actorId: Type.Union([Type.Integer(), Type.Null()]),
    actorName: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(),
    targetType: Type.Union([Type.String(), Type.Null()]),
    targetId: Type.Union([Type.String(), Type.Null()]),
    outcome: Type.String(),
    ip: Type.Union([Type.String(), Type.Null()]),
    detail: Type.Record(Type.String(), Type.Unknown()),
  });

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The audit trail, newest first (administrators)',
        querystring: Type.Object(
          {
            action: Type.Optional(Type.String({ maxLength: 80 })),
            actor: Type.Optional(Type.String({ maxLength: 60 })),
            outcome: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('failed')])),
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'rows with a smaller id (next page)' })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ rows: Type.Array(AuditRow), total: Type.Integer() }) },
      },
    },
    async (request) => {
      const q = request.query;
      const where = `($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR actor_name = $2)
        AND ($3::text IS NULL OR outcome = $3)`;
      const values = [q.action ?? null, q.actor ?? null, q.outcome ?? null];
      const { rows } = await app.db.query(
        `SELECT id, ${iso('at')} AS at, actor_kind AS "actorKind", actor_id AS "actorId", actor_name AS "actorName",
           role, action, target_type AS "targetType", target_id AS "targetId", outcome, ip, detail
         FROM audit_log WHERE ${where} AND ($4::bigint IS NULL OR id < $4) ORDER BY id DESC LIMIT $5`,
        [...values, q.before ?? null, q.limit],
      );
      const { rows: count } = await app.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE ${where}`,
        values,
      );
      // Who read the trail, once per sitting (15 minutes), not once per page or filter.
      await auditAtMostEvery(app.db, caller(request), { action: 'audit-read', ip: request.ip }, 15);
      return { rows: rows as never, total: Number(count[0]?.n ?? 0) };
    },
  );
};

export default accounts;
