import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { adminUnitCollection, adminUnitFeature } from '../../db/queries/admin-units.js';
import { adminLevels } from '../../domain/vocabulary.js';
import { notFound } from '../../plugins/errors.js';
import { EMPTY_COLLECTION, GeoJsonBody } from '../schemas.js';

const adminUnits: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/admin-units',
    {
      schema: {
        tags: ['geography'],
        summary: 'County, town and village boundaries as a GeoJSON FeatureCollection',
        querystring: Type.Object(
          {
            level: Type.Optional(Type.Union(adminLevels.map((l) => Type.Literal(l)))),
            parent: Type.Optional(Type.String({ pattern: '^[0-9]{6,12}$', description: 'parent unit code' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      const q = adminUnitCollection(request.query);
      const { rows } = await app.db.query<{ body: string }>(q.text, q.values);
      return reply.type('application/geo+json').send(rows[0]?.body ?? EMPTY_COLLECTION);
    },
  );

  app.get(
    '/api/admin-units/:code',
    {
      schema: {
        tags: ['geography'],
        summary: 'One admin unit as a GeoJSON Feature',
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{6,12}$' }) }),
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      const q = adminUnitFeature(request.params.code);
      const { rows } = await app.db.query<{ body: string }>(q.text, q.values);
      if (!rows[0]) throw notFound(`admin unit ${request.params.code}`);
      return reply.type('application/geo+json').send(rows[0].body);
    },
  );
};

export default adminUnits;
