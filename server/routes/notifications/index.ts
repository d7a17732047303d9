import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Principal } from '../../auth/roles.js';
import { Inbox, MarkedRead, NotificationRules, Unread } from '../../contract/notifications.js';
import { recipientRoles } from '../../domain/notifications/audiences.js';
import { caller } from '../../plugins/auth.js';
import { inbox, markNotificationsRead, type ReaderScope, unread } from '../../services/notifications/inbox.js';
import { notificationRules, setNotificationRule } from '../../services/notifications/rules.js';

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const KindList = Type.String({ pattern: '^[a-z_.,]{1,400}$' });

/** The reader is always the signed-in account itself (its own rows, within its scope now). */
export function readerOf(p: Principal): ReaderScope {
  return {
    accountId: p.id,
    towns: p.towns,
    stationId: p.stationId,
    villages: p.role === 'screener' ? (p.villages ?? []) : null,
  };
}

const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : undefined);

/** The browser's Last-Event-ID on a reconnect (or `lastEventId` for a first connection that knows one). */
function lastEventId(request: FastifyRequest, query: string | undefined): number | null {
  const raw = request.headers['last-event-id'] ?? query;
  const text = Array.isArray(raw) ? raw[0] : raw;
  return text && /^[0-9]{1,15}$/.test(text) ? Number(text) : null;
}

const notifications: FastifyPluginAsyncTypebox = async (app) => {
  const hub = app.notificationHub;

  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: "The caller's notifications, newest first, with the unread count",
        querystring: Type.Object(
          {
            kind: Type.Optional(KindList),
            family: Type.Optional(Type.String({ pattern: '^[a-z_,]{1,200}$' })),
            unread: Type.Optional(Type.Boolean()),
            before: Type.Optional(Id),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Inbox },
      },
    },
    async (request) => {
      const { kind, family, unread: unreadOnly, before, limit = 50 } = request.query;
      return inbox(app.db, readerOf(caller(request)), {
        kinds: list(kind),
        families: list(family),
        unread: unreadOnly,
        before,
        limit,
      });
    },
  );

  app.get(
    '/api/notifications/unread',
    {
      schema: {
        tags: ['notifications'],
        summary: 'The bell: unread count and the newest unread id',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: Unread },
      },
    },
    async (request) => unread(app.db, readerOf(caller(request))),
  );

  app.post(
    '/api/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark notifications read: the ids given, or all (up to the newest the page showed)',
        body: Type.Union([
          Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }),
          Type.Object({ all: Type.Literal(true), upTo: Type.Optional(Id) }, { additionalProperties: false }),
        ]),
        response: { 200: MarkedRead },
      },
    },
    async (request) => {
      const b = request.body;
      const marked = await markNotificationsRead(
        app.db,
        readerOf(caller(request)),
        'ids' in b ? { ids: b.ids } : { upTo: b.upTo ?? null },
      );
      return { marked, ...(await unread(app.db, readerOf(caller(request)))) };
    },
  );

  app.get(
    '/api/notifications/stream',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Server-Sent Events: each new notification as it is published; resumes from Last-Event-ID',
        querystring: Type.Object(
          { lastEventId: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const reader = readerOf(caller(request));
      const from = lastEventId(request, request.query.lastEventId);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // nginx and similar proxies would otherwise buffer the stream.
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      // A reconnecting browser waits this long; the first line also flushes the headers through proxies.
      res.write('retry: 3000\n: connected\n\n');
      let open = true;
      const unsubscribe = await hub.subscribe(
        {
          reader,
          send: (id, item) => {
            if (open) res.write(`id: ${id}\nevent: notification\ndata: ${JSON.stringify(item)}\n\n`);
          },
          ping: () => {
            if (open) res.write(': heartbeat\n\n');
          },
          end: () => {
            open = false;
            res.end();
          },
        },
        from,
      );
      const close = () => {
        open = false;
        unsubscribe();
      };
      if (request.raw.destroyed || res.destroyed) close();
      request.raw.on('close', close);
      res.on('close', close);
    },
  );

  app.get(
    '/api/notification-rules',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Who receives which kind: the rule table (role × kind × audience) and its vocabulary',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: NotificationRules },
      },
    },
    async () => notificationRules(app.db),
  );

  app.put(
    '/api/notification-rules',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Switch one rule on or off',
        body: Type.Object(
          {
            kind: Type.String({ minLength: 1, maxLength: 80 }),
            role: Type.Union(recipientRoles.map((r) => Type.Literal(r))),
            audience: Type.String({ minLength: 1, maxLength: 40 }),
            enabled: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
        response: { 200: NotificationRules },
      },
    },
    async (request) => {
      await setNotificationRule(app.db, request.body);
      return notificationRules(app.db);
    },
  );
};

export default notifications;
