import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from './errors.js';

const distDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Serves the built dashboard; unknown non-API paths get index.html so that client routes survive a reload. */
export default fp(async function webPlugin(app: FastifyInstance) {
  const built = existsSync(`${distDir}index.html`);
  if (built) {
    // wildcard: files are looked up per request, so a rebuild is served without a restart.
    await app.register(fastifyStatic, { root: distDir, index: 'index.html' });
  }
  app.setNotFoundHandler((request, reply) => {
    // API paths and missing build assets are real 404s; only client routes fall back to index.html.
    const isApi = /^\/(api|docs|ogc|tiles|assets)(\/|$)/.test(request.url);
    if (isApi || request.method !== 'GET') {
      throw new HttpError(404, `No route ${request.method} ${request.url.split('?')[0]}`);
    }
    if (!built) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built yet: run `npm run build` (npm start does it for you).');
    }
    return reply.sendFile('index.html');
  });
});
