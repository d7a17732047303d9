import helmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { type Db, deliveryOf } from './db/index.js';
import auth from './plugins/auth.js';
import docs from './plugins/docs.js';
import errors from './plugins/errors.js';
import input from './plugins/input.js';
import readReplicas from './plugins/read-replicas.js';
import web from './plugins/web.js';
import accounts from './routes/accounts/index.js';
import adminUnits from './routes/admin-units/index.js';
import analytics from './routes/analytics/index.js';
import assessment from './routes/assessment/index.js';
import authRoutes from './routes/auth/index.js';
import briefings from './routes/briefings/index.js';
import cases from './routes/cases/index.js';
import coverage from './routes/coverage/index.js';
import disputes from './routes/disputes/index.js';
import dossier from './routes/dossier/index.js';
import exportRoutes from './routes/export/index.js';
import health from './routes/health/index.js';
import mediators from './routes/mediators/index.js';
import meetings from './routes/meetings/index.js';
import notifications from './routes/notifications/index.js';
import ogc from './routes/ogc/index.js';
import screenings from './routes/screenings/index.js';
import stations from './routes/stations/index.js';
import summary from './routes/summary/index.js';
import tasks from './routes/tasks/index.js';
import tiles from './routes/tiles/index.js';
import uploads from './routes/uploads/index.js';
import visits from './routes/visits/index.js';
import warnings from './routes/warnings/index.js';
import { NotificationHub } from './services/notifications/hub.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    config: Config;
    /** This instance's open notification streams (SSE), fed by the database's NOTIFY. */
    notificationHub: NotificationHub;
  }
}

export interface BuildOptions {
  db: Db;
  /**
   * Connections of the notification hub's own (server.ts: a pool of 2 on the PostGIS server), so that delivery to
   * open pages never waits behind the requests queued for `db`'s pool (a burst of writes held every notification
   * back until it was over: p50 544 ms from commit for 50 writes and 200 pages). Defaults to `db`.
   */
  deliveryDb?: Db;
  config: Config;
  logger?: FastifyServerOptions['logger'];
}

/** Builds the app (registration only); `server.ts` runs it, tests `inject` into it. */
export async function buildApp({ db, deliveryDb, config, logger = false }: BuildOptions) {
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    // Ajv: coerce query strings to the declared types, apply defaults, and reject unknown parameters.
    ajv: { customOptions: { coerceTypes: true, useDefaults: true, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', db);
  app.decorate('config', config);
  const hub = new NotificationHub(deliveryDb ?? deliveryOf(db), {
    heartbeatMs: config.notifyHeartbeatMs,
    onError: (err) => app.log.error({ err }, 'notification delivery failed'),
  });
  app.decorate('notificationHub', hub);
  app.addHook('onReady', () => hub.start());
  // Open notification streams would keep the server from closing: they end first.
  app.addHook('preClose', () => hub.stop());

  const basemapOrigin = config.basemapUrl ? new URL(config.basemapUrl.replace(/[{}]/g, '')).origin : null;
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // MapLibre runs its worker from a blob URL and draws sprites/images from data and blob URLs.
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:', ...(basemapOrigin ? [basemapOrigin] : [])],
        connectSrc: ["'self'", ...(basemapOrigin ? [basemapOrigin] : [])],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // The map loads no cross-origin resources that would need CORP headers.
    crossOriginEmbedderPolicy: false,
  });
  await app.register(errors);
  // NUL, lone surrogates and non-finite numbers anywhere in a request: 400 naming the field, before any route.
  await app.register(input);
  // Overload → 503 + Retry-After (mapped in plugins/errors.ts), not requests queueing until they fail.
  await app.register(underPressure, {
    // The embedded database runs its queries on this event loop: a long query is not overload there.
    maxEventLoopDelay: db.backend === 'embedded' ? 0 : config.pressure.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.pressure.maxHeapUsedBytes,
    retryAfter: config.pressure.retryAfterS,
  });
  // The dashboard's reads on a read replica when DATABASE_READ_URL names one (request.readDb).
  await app.register(readReplicas);
  // Sign-in and access control in front of every route registered after it (server/auth/policy.ts).
  await app.register(auth);
  await app.register(docs);
  await app.register(health);
  await app.register(authRoutes);
  await app.register(accounts);
  await app.register(adminUnits);
  await app.register(stations);
  await app.register(coverage);
  await app.register(disputes);
  await app.register(cases);
  await app.register(summary);
  await app.register(analytics);
  await app.register(tiles);
  await app.register(exportRoutes);
  await app.register(ogc);
  await app.register(uploads);
  await app.register(screenings);
  await app.register(warnings);
  await app.register(notifications);
  await app.register(tasks);
  await app.register(mediators);
  await app.register(visits);
  await app.register(meetings);
  await app.register(dossier);
  await app.register(assessment);
  await app.register(briefings);
  await app.register(web);
  return app;
}
