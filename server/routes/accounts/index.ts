import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { auditAtMostEvery } from '../../auth/audit.js';
import { accountRoles } from '../../auth/roles.js';
import { createApiToken } from '../../auth/tokens.js';
import { caller } from '../../plugins/auth.js';
import {
  addAccount,
  auditTrail,
  changeAccount,
  listAccounts,
  listTokens,
  revokeApiToken,
} from '../../services/accounts/admin.js';
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

/** County administrators manage accounts and API tokens and read the audit trail. */
const accounts: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/accounts',
    { schema: { tags: ['accounts'], summary: 'Accounts (administrators)', response: { 200: Type.Array(Account) } } },
    async () => (await listAccounts(app.db)) as never,
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
      return reply.code(201).send((await addAccount(app.db, request.body)) as never);
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
      const actor = p.kind === 'account' ? p.id : null;
      return (await changeAccount(app.db, actor, request.params.id, request.body)) as never;
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

  app.get(
    '/api/tokens',
    { schema: { tags: ['accounts'], summary: 'API tokens (administrators)', response: { 200: Type.Array(Token) } } },
    async () => (await listTokens(app.db)) as never,
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
      await revokeApiToken(app.db, request.params.id);
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
      const filter = { action: q.action ?? null, actor: q.actor ?? null, outcome: q.outcome ?? null };
      const page = await auditTrail(app.db, filter, q.before ?? null, q.limit);
      // Who read the trail, once per sitting (15 minutes), not once per page or filter.
      await auditAtMostEvery(app.db, caller(request), { action: 'audit-read', ip: request.ip }, 15);
      return page as never;
    },
  );
};

export default accounts;
