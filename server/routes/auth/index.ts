import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { checkLogin, createSession, principalForAccount } from '../../auth/accounts.js';
import { audit } from '../../auth/audit.js';
import { passwordProblem } from '../../auth/passwords.js';
import { mayRevealPersonalData, type Principal } from '../../auth/roles.js';
import { caller, SESSION_COOKIE } from '../../plugins/auth.js';
import { badRequest, HttpError } from '../../plugins/errors.js';
import { changePassword, endSession } from '../../services/accounts/sessions.js';
import { hasAdministrator, setupFirstAdministrator } from '../../services/accounts/setup.js';

export const Username = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{2,39}$',
  description: '3–40 characters: lower-case letters, digits, dot, dash, underscore',
});
const Password = Type.String({ minLength: 1, maxLength: 200 });

export const Me = Type.Object({
  kind: Type.Union([Type.Literal('account'), Type.Literal('token')]),
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  towns: Type.Union([Type.Array(Type.String()), Type.Null()]),
  stationId: Type.Union([Type.Integer(), Type.Null()]),
  villages: Type.Union([Type.Array(Type.String()), Type.Null()]),
  mayRevealPersonalData: Type.Boolean(),
});

export const toMe = (p: Principal) => ({
  kind: p.kind,
  id: p.id,
  username: p.name,
  displayName: p.displayName,
  role: p.role,
  towns: p.towns,
  stationId: p.stationId,
  villages: p.villages,
  mayRevealPersonalData: mayRevealPersonalData(p),
});

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, maxHours: number) {
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: maxHours * 3600,
  });
}

/** Sign-in, sign-out, the caller, password change, and the first administrator of a new database. */
const auth: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.config.auth;

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign in: sets an HttpOnly session cookie',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 60 }), password: Password },
          { additionalProperties: false },
        ),
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const result = await checkLogin(app.db, username, password, s);
      const ip = request.ip;
      if (result.outcome !== 'ok') {
        await audit(
          app.db,
          { kind: 'anonymous', id: result.accountId, name: result.accountId ? username.trim().toLowerCase() : null },
          { action: 'login', outcome: 'failed', ip, detail: { reason: result.outcome } },
        );
        if (result.outcome === 'locked') {
          throw new HttpError(
            423,
            `The account is locked after ${s.maxFailedLogins} failed sign-ins until ${result.until.toISOString()}; ask a county administrator or wait.`,
          );
        }
        throw new HttpError(401, 'Wrong username or password.');
      }
      const secret = await createSession(app.db, result.accountId, s, { ip, userAgent: request.headers['user-agent'] });
      const p = await principalForAccount(app.db, result.accountId);
      if (!p) throw new HttpError(401, 'Wrong username or password.');
      await audit(app.db, p, { action: 'login', ip });
      setSessionCookie(request, reply, secret, s.sessionMaxHours);
      return toMe(p);
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['accounts'], summary: 'Sign out: ends the session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      await endSession(app.db, caller(request), request.ip);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['accounts'], summary: 'The signed-in caller, role and scope', response: { 200: Me } } },
    async (request) => toMe(caller(request)),
  );

  // What the web app asks on load: whether anyone is signed in, answered 200 either way, so that the sign-in page
  // does not start with a failed request (/api/auth/me is 401 for nobody, as every guarded route).
  app.get(
    '/api/auth/session',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Whether anyone is signed in: the caller as /api/auth/me gives it, or null',
        response: { 200: Type.Object({ me: Type.Union([Me, Type.Null()]) }) },
      },
    },
    async (request) => ({ me: request.principal ? toMe(request.principal) : null }),
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change your password (ends your other sessions)',
        body: Type.Object({ current: Password, next: Password }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { current, next } = request.body;
      await changePassword(app.db, caller(request), { current, next, ip: request.ip });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/setup',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Whether the database still needs its first administrator',
        response: { 200: Type.Object({ needed: Type.Boolean() }) },
      },
    },
    async () => ({ needed: !(await hasAdministrator(app.db)) }),
  );

  app.post(
    '/api/auth/setup',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create the first county administrator with the one-time setup code printed at start',
        body: Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 100 }),
            username: Username,
            displayName: Type.String({ minLength: 1, maxLength: 60 }),
            password: Password,
          },
          { additionalProperties: false },
        ),
        response: { 200: Me },
      },
    },
    async (request, reply) => {
      const { code, username, displayName, password } = request.body;
      const problem = passwordProblem(password);
      if (problem) throw badRequest('password', problem);
      const id = await setupFirstAdministrator(app.db, { code, username, displayName, password });
      const p = await principalForAccount(app.db, id);
      if (!p) throw new HttpError(409, 'The account was not created.');
      await audit(app.db, p, { action: 'setup-first-admin', targetType: 'accounts', targetId: id, ip: request.ip });
      const secret = await createSession(app.db, id, s, { ip: request.ip, userAgent: request.headers['user-agent'] });
      setSessionCookie(request, reply, secret, s.sessionMaxHours);
      return toMe(p);
    },
  );
};

export default auth;
