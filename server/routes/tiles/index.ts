import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { adminUnitTile, DISPUTE_DETAIL_ZOOM, stationTile } from '../../db/queries/tiles.js';
import { adminLevels, stationKinds } from '../../domain/vocabulary.js';
import { badRequest, HttpError } from '../../plugins/errors.js';
import { readFromReplica } from '../../plugins/read-replicas.js';
import { disputeTileBody, disputeTileTag, tagMatches } from '../../services/tiles/index.js';
import { disputeFilterProperties, parseDisputeFilter } from '../dispute-filter.js';
import { listParam, parseList } from '../params.js';

export const MAX_TILE_ZOOM = 22;

/** x and y must lie within the zoom's 2^z × 2^z grid. */
export function checkTileAddress(z: number, x: number, y: number) {
  const size = 2 ** z;
  if (x >= size) throw badRequest('x', `x ${x} is outside zoom ${z} (0…${size - 1})`);
  if (y >= size) throw badRequest('y', `y ${y} is outside zoom ${z} (0…${size - 1})`);
}

export const tileLayers = ['disputes', 'admin-units', 'stations'] as const;

const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: MAX_TILE_ZOOM }),
  x: Type.Integer({ minimum: 0 }),
  y: Type.Integer({ minimum: 0 }),
});

function sendTile(reply: FastifyReply, tile: Uint8Array, cacheControl = 'public, max-age=60') {
  return reply
    .type('application/vnd.mapbox-vector-tile')
    .header('cache-control', cacheControl)
    .send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
}

/** The smallest dispute cell an export token sees, in Web Mercator metres (≈ 870 m on the ground at Lixian). */
export const COARSE_TILE_METRES = 1000;

const tiles: FastifyPluginAsyncTypebox = async (app) => {
  // The dashboard's reads: on a read replica when one is in use (server/plugins/read-replicas.ts).
  app.addHook('preHandler', readFromReplica);
  app.get(
    '/tiles/disputes/:z/:x/:y.mvt',
    {
      schema: {
        tags: ['tiles'],
        summary: 'Disputes as a Mapbox Vector Tile (layer "disputes"), with the dashboard filters',
        description:
          'Points aggregated on a grid so that a tile carries a bounded number of features at any zoom: ' +
          'each feature has count, open and riskLevel (the highest in the cell); a feature standing for a ' +
          `single case also has id, category, status and townCode. Cells are ~8 px below zoom ${DISPUTE_DETAIL_ZOOM}, ` +
          `~4 px from it on. Export tokens get coarse tiles at every zoom: cells at least ${COARSE_TILE_METRES} m ` +
          '(Web Mercator) wide, each feature at its cell’s centre. Never stale: `Cache-Control: no-cache` with an ' +
          '`ETag` from the data version of the cells under the tile; `If-None-Match` with it answers 304 until a ' +
          'case there is created, moved or changed.',
        params: TileParams,
        response: {
          200: {
            description: 'Mapbox Vector Tile 2.1 (empty when nothing is there)',
            content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } },
          },
          304: { description: 'Not modified: nothing under the tile changed since the ETag sent', type: 'null' },
        },
        querystring: Type.Object(
          { ...disputeFilterProperties, bbox: Type.Optional(Type.Never()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { z, x, y } = request.params;
      checkTileAddress(z, x, y);
      const filter = await parseDisputeFilter(request.readDb, request.query);
      // Export tokens get shared locations only (issue 8): cells of at least a kilometre, features at their centres.
      const coarse = request.principal?.role === 'export_client' ? { metres: COARSE_TILE_METRES } : undefined;
      const ask = { filter, z, x, y, coarse };
      const tag = await disputeTileTag(request.readDb, ask);
      reply.header('etag', tag).header('cache-control', 'private, no-cache');
      if (tagMatches(request.headers['if-none-match'], tag)) return reply.code(304).send(null);
      return sendTile(reply, await disputeTileBody(request.readDb, ask), 'private, no-cache');
    },
  );

  app.get(
    '/tiles/admin-units/:z/:x/:y.mvt',
    {
      schema: {
        tags: ['tiles'],
        summary: 'Administrative units as a Mapbox Vector Tile (layer "admin-units", polygons)',
        params: TileParams,
        response: {
          200: {
            description: 'Mapbox Vector Tile 2.1 (empty when nothing is there)',
            content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } },
          },
        },
        querystring: Type.Object(
          { level: Type.Optional(Type.Union(adminLevels.map((l) => Type.Literal(l)))) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { z, x, y } = request.params;
      checkTileAddress(z, x, y);
      const { level } = request.query;
      return sendTile(reply, await request.readDb.vectorTile(adminUnitTile(level ? { level } : {}, z, x, y)));
    },
  );

  app.get(
    '/tiles/stations/:z/:x/:y.mvt',
    {
      schema: {
        tags: ['tiles'],
        summary: 'Stations as a Mapbox Vector Tile (layer "stations", points)',
        params: TileParams,
        response: {
          200: {
            description: 'Mapbox Vector Tile 2.1 (empty when nothing is there)',
            content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } },
          },
        },
        querystring: Type.Object(
          { kind: Type.Optional(listParam('station kinds', stationKinds)) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { z, x, y } = request.params;
      checkTileAddress(z, x, y);
      const kinds = parseList('kind', request.query.kind, stationKinds);
      return sendTile(reply, await request.readDb.vectorTile(stationTile(kinds ? { kinds } : {}, z, x, y)));
    },
  );

  // Any other layer name: a 404 that lists the layers (static routes above win over this parametric one).
  app.get('/tiles/:layer/:z/:x/:y.mvt', { schema: { hide: true } }, async (request) => {
    const { layer } = request.params as { layer: string };
    throw new HttpError(404, `unknown tile layer '${layer}'; layers: ${tileLayers.join(', ')}`);
  });
};

export default tiles;
