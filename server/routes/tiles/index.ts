import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { disputeTile } from '../../db/queries/tiles.js';
import { badRequest } from '../../plugins/errors.js';
import { disputeFilterProperties, parseDisputeFilter } from '../dispute-filter.js';

export const MAX_TILE_ZOOM = 22;

/** x and y must lie within the zoom's 2^z × 2^z grid. */
export function checkTileAddress(z: number, x: number, y: number) {
  const size = 2 ** z;
  if (x >= size) throw badRequest('x', `x ${x} is outside zoom ${z} (0…${size - 1})`);
  if (y >= size) throw badRequest('y', `y ${y} is outside zoom ${z} (0…${size - 1})`);
}

const tiles: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/tiles/disputes/:z/:x/:y.mvt',
    {
      schema: {
        tags: ['tiles'],
        summary: 'Disputes as a Mapbox Vector Tile (layer "disputes"), with the dashboard filters',
        params: Type.Object({
          z: Type.Integer({ minimum: 0, maximum: MAX_TILE_ZOOM }),
          x: Type.Integer({ minimum: 0 }),
          y: Type.Integer({ minimum: 0 }),
        }),
        querystring: Type.Object(
          { ...disputeFilterProperties, bbox: Type.Optional(Type.Never()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { z, x, y } = request.params;
      checkTileAddress(z, x, y);
      const filter = await parseDisputeFilter(app.db, request.query);
      const tile = await app.db.vectorTile(disputeTile(filter, z, x, y));
      return reply
        .type('application/vnd.mapbox-vector-tile')
        .header('cache-control', 'public, max-age=60')
        .send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
    },
  );
};

export default tiles;
