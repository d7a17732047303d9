import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/index.js';
import { openReadRouter, primaryOnly, type ReadRouter } from '../db/replicas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The database this request reads from: a read replica for the routes that opted in with `readFromReplica`
     * (the dashboard's summary, analytics, tiles, exports, OGC items), the primary (`app.db`) for every other.
     */
    readDb: Db;
  }
  interface FastifyInstance {
    /** Picks the read handle and reports the replicas (server/db/replicas.ts); primary-only without replicas. */
    readRouter: ReadRouter;
  }
}

/**
 * A route plugin's hook (`app.addHook('preHandler', readFromReplica)`): its requests read from a replica when one
 * is in use. After sign-in and the scope checks, which read sessions and accounts on the primary.
 */
export async function readFromReplica(this: FastifyInstance, request: FastifyRequest) {
  request.readDb = await this.readRouter.pick();
}

export default fp(async function readReplicasPlugin(app: FastifyInstance) {
  const { urls, maxLagS, checkMs, debugHeader } = app.config.reads;
  const router =
    app.db.backend === 'postgis' && urls.length > 0
      ? openReadRouter(app.db, {
          urls,
          maxLagS,
          checkMs,
          poolSize: app.config.poolSize,
          statementTimeoutMs: app.config.statementTimeoutMs,
          onError: (err, replica) => app.log.warn({ err, replica }, 'read replica skipped'),
        })
      : primaryOnly(app.db, app.db.backend === 'embedded' ? urls : []);
  app.decorate('readRouter', router);
  app.decorateRequest('readDb', null as unknown as Db);
  app.addHook('onRequest', async (request) => {
    request.readDb = app.db;
  });
  app.addHook('onClose', () => router.close());

  // Test mode only: the server that answers this request's reads says whether it is a standby, and its port.
  if (debugHeader && app.db.backend === 'postgis') {
    app.addHook('onSend', async (request, reply, payload) => {
      const at = await router.answering(request.readDb).catch(() => null);
      if (at) reply.header('x-read-server', `in-recovery=${at.inRecovery}; port=${at.port ?? ''}`);
      return payload;
    });
  }
});
