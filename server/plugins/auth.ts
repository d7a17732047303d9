import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { principalForSession, principalForToken } from '../auth/accounts.js';
import { audit } from '../auth/audit.js';
import { guardedPath, policyKey, type RouteAccess, routePolicy } from '../auth/policy.js';
import { inScope, type Principal } from '../auth/roles.js';
import { disputeScope, stationTown, uploadOwner } from '../db/queries/accounts.js';
import type { OutsideReason, Uploader } from '../services/ingest/types.js';
import { HttpError, notFound } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller (session cookie or API token); null on public routes called anonymously. */
    principal: Principal | null;
    access: RouteAccess | null;
  }
  interface FastifyInstance {
    /** Every guarded route registered ("METHOD /url"), for the generated role × route × scope test. */
    guardedRoutes: ReadonlySet<string>;
  }
}

export const SESSION_COOKIE = 'ljm_session';

/** The signed-in caller of a guarded route (the auth hook has already refused anonymous calls). */
export function caller(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'Sign in first.');
  return request.principal;
}

/**
 * The town a 'route'-scoped handler limits its rows to: for a county caller the town asked for (or none); for a
 * scoped caller the one asked for when it is theirs (404 otherwise, as if it did not exist), else their own town.
 */
export function scopedTown(p: Principal, asked: string | undefined, field = 'town'): string | undefined {
  if (p.towns === null) return asked;
  if (asked !== undefined) {
    if (!inScope(p, asked)) throw notFound(`${field} ${asked}`);
    return asked;
  }
  if (p.towns.length !== 1) throw notFound(field);
  return p.towns[0];
}

/** Rows limits for a caller: towns (null = county) and, for field screeners, their villages. */
export function rowScope(p: Principal): { towns: string[] | null; villages: string[] | null } {
  return { towns: p.towns, villages: p.role === 'screener' ? (p.villages ?? []) : null };
}

export function uploaderOf(p: Principal): Uploader {
  const villages = p.role === 'screener' ? (p.villages ?? []) : null;
  return {
    id: p.kind === 'account' ? p.id : null,
    allows: (code) => (villages ? villages.includes(code) : inScope(p, code)),
    outside: (code): OutsideReason =>
      villages
        ? { code: 'not_assigned_village', params: { code, villages: villages.join(', ') || '—' } }
        : { code: 'outside_town', params: { code, towns: (p.towns ?? []).join(', ') } },
  };
}

/** 404 unless a town or village code (e.g. of a body field) is in the caller's scope. */
export function assertInScope(p: Principal, code: string | null | undefined, what: string) {
  if (code && !inScope(p, code)) throw notFound(`${what} ${code}`);
}

/**
 * Sign-in and access control in front of every route: resolves the caller from the session cookie or a bearer
 * token, applies the route's entry of `routePolicy` (roles, then scope), writes the audit trail for writes and
 * exports, and rate-limits login and exports. Refuses to start if a guarded route has no policy.
 */
export default fp(async function authPlugin(app: FastifyInstance) {
  app.decorateRequest('principal', null);
  app.decorateRequest('access', null);
  const registered = new Set<string>();
  app.decorate('guardedRoutes', registered);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || !guardedPath(route.url)) continue;
      const access = routePolicy[policyKey(method, route.url)];
      if (!access) throw new Error(`no access policy for ${method} ${route.url}: add it to server/auth/policy.ts`);
      registered.add(policyKey(method, route.url));
      if (access.perMinute) {
        const perUsername = access.rateKey === 'username' && {
          // After parsing, so that the body's username is known.
          hook: 'preHandler' as const,
          keyGenerator: (request: FastifyRequest) => {
            const body = request.body as { username?: unknown } | undefined;
            return `${request.ip}|${String(body?.username ?? '')
              .trim()
              .toLowerCase()}`;
          },
        };
        route.config = {
          ...(route.config as object),
          rateLimit: { max: access.perMinute, timeWindow: 60_000, ...(perUsername || {}) },
        };
      }
    }
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => (request.principal ? `${request.principal.kind}:${request.principal.id}` : request.ip),
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, `Too many requests: at most ${context.max} a minute here; try again in ${context.after}.`),
  });

  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (!url || !guardedPath(url)) return;
    const access = routePolicy[policyKey(request.method, url)] ?? null;
    request.access = access;
    request.principal = await resolvePrincipal(app, request);
    if (!access || access.roles === 'public') return;
    const p = request.principal;
    if (!p) throw new HttpError(401, 'Sign in first (session cookie or Authorization: Bearer <token>).');
    if (!access.roles.includes(p.role)) {
      throw new HttpError(403, `The role ${p.role} may not ${request.method} ${url}.`);
    }
  });

  // Scope, after validation (query and params are typed and coerced by then).
  app.addHook('preHandler', async (request) => {
    const access = request.access;
    const p = request.principal;
    if (!access || !p || p.towns === null) return;
    if (access.scope === 'filter') limitFilter(request, p);
    else if (access.scope === 'dispute') await assertDisputeInScope(app, request, p);
    else if (access.scope === 'station') await assertStationInScope(app, request, p);
    else if (access.scope === 'upload') await assertUploadInScope(app, request, p);
  });

  // Writes and exports go to the audit trail with the outcome; logins and reveals are audited where they happen.
  app.addHook('onResponse', async (request, reply) => {
    const access = request.access;
    if (!access || access.roles === 'public' || !request.principal) return;
    // Sign-in routes write their own, more telling entries (login, failed login, logout, password change).
    if (request.routeOptions.url?.startsWith('/api/auth/')) return;
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    if (!write && !access.audit) return;
    const status = reply.statusCode;
    if (access.auditedByRoute && status < 400) return;
    const params = request.params as Record<string, unknown> | undefined;
    const id = params?.id ?? params?.featureId ?? params?.collectionId ?? null;
    await audit(app.db, request.principal, {
      action: access.audit ?? `${request.method} ${request.routeOptions.url}`,
      targetType: (request.routeOptions.url ?? '').split('/')[2] ?? null,
      targetId: typeof id === 'string' || typeof id === 'number' ? id : null,
      outcome: status < 400 ? 'ok' : status === 401 || status === 403 || status === 404 ? 'denied' : 'failed',
      ip: request.ip,
      detail: { status, ...(access.audit ? { query: redactQuery(request.query) } : {}) },
    }).catch((err) => request.log.error({ err }, 'audit write failed'));
  });
});

async function resolvePrincipal(app: FastifyInstance, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1]) throw new HttpError(401, 'Authorization: expected "Bearer <token>".');
    const p = await principalForToken(app.db, m[1]);
    if (!p) throw new HttpError(401, 'The API token is unknown, expired or revoked.');
    return p;
  }
  const sid = request.cookies[SESSION_COOKIE];
  if (!sid) return null;
  return principalForSession(app.db, sid, app.config.auth);
}

/** Query parameters of an export, for the audit trail (filters only; they hold no personal data). */
function redactQuery(query: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/**
 * Shared `town` / `village` filters: a scoped caller's rows are limited to their town; asking for another town
 * or village is 404, as if it did not exist.
 */
function limitFilter(request: FastifyRequest, p: Principal) {
  const q = request.query as Record<string, unknown> | undefined;
  if (!q || typeof q !== 'object') return;
  const town = typeof q.town === 'string' ? q.town : undefined;
  const village = typeof q.village === 'string' ? q.village : undefined;
  if (village && !inScope(p, village)) throw notFound(`village ${village}`);
  if (town && !inScope(p, town)) throw notFound(`town ${town}`);
  if (!town && !village) {
    const only = p.towns?.length === 1 ? p.towns[0] : undefined;
    if (!only) throw notFound('town');
    q.town = only;
  }
}

function idParam(request: FastifyRequest): string {
  const id = (request.params as Record<string, unknown>).id;
  return String(id);
}

async function assertDisputeInScope(app: FastifyInstance, request: FastifyRequest, p: Principal) {
  const id = idParam(request);
  if (!/^[0-9]{1,18}$/.test(id)) return; // the route's own validation answers
  const q = disputeScope(id);
  const { rows } = await app.db.query<{ town_code: string; station_id: number | null }>(q.text, q.values);
  const row = rows[0];
  if (!row) return; // the route answers 404 itself
  const own = p.stationId !== null && row.station_id !== null && Number(row.station_id) === p.stationId;
  if (!own && !inScope(p, row.town_code)) throw notFound(`case ${id}`);
}

async function assertStationInScope(app: FastifyInstance, request: FastifyRequest, p: Principal) {
  const id = idParam(request);
  if (!/^[0-9]{1,9}$/.test(id)) return;
  const q = stationTown(id);
  const { rows } = await app.db.query<{ town_code: string }>(q.text, q.values);
  if (rows[0] && !inScope(p, rows[0].town_code)) throw notFound(`station ${id}`);
}

async function assertUploadInScope(app: FastifyInstance, request: FastifyRequest, p: Principal) {
  const id = idParam(request);
  if (!/^[0-9]{1,18}$/.test(id)) return;
  const q = uploadOwner(id);
  const { rows } = await app.db.query<{ uploaded_by_id: number | null; towns: string[] | null }>(q.text, q.values);
  const row = rows[0];
  if (!row) return;
  const mine = p.kind === 'account' && row.uploaded_by_id !== null && Number(row.uploaded_by_id) === p.id;
  const inTown = p.role !== 'screener' && (row.towns ?? []).length > 0 && (row.towns ?? []).every((t) => inScope(p, t));
  if (!mine && !inTown) throw notFound(`upload ${id}`);
}
