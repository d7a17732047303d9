import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { stationCollection, stationFeature } from '../../db/queries/stations.js';
import { stationKinds } from '../../domain/vocabulary.js';
import { notFound } from '../../plugins/errors.js';
import { assertAdminUnit } from '../lookups.js';
import { listParam, parseList, TownCode } from '../params.js';
import { EMPTY_COLLECTION, GeoJsonBody } from '../schemas.js';

const stations: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'Police stations, judicial offices, joint mediation rooms… as GeoJSON points',
        querystring: Type.Object(
          { kind: Type.Optional(listParam('station kinds', stationKinds)), town: Type.Optional(TownCode) },
          { additionalProperties: false },
        ),
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      const kinds = parseList('kind', request.query.kind, stationKinds);
      await assertAdminUnit(app.db, 'town', request.query.town, 'town');
      const q = stationCollection({
        ...(kinds ? { kinds } : {}),
        ...(request.query.town ? { town: request.query.town } : {}),
      });
      const { rows } = await app.db.query<{ body: string }>(q.text, q.values);
      return reply.type('application/geo+json').send(rows[0]?.body ?? EMPTY_COLLECTION);
    },
  );

  app.get(
    '/api/stations/:id',
    {
      schema: {
        tags: ['stations'],
        summary: 'One station as a GeoJSON Feature',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      const q = stationFeature(request.params.id);
      const { rows } = await app.db.query<{ body: string }>(q.text, q.values);
      if (!rows[0]) throw notFound(`station ${request.params.id}`);
      return reply.type('application/geo+json').send(rows[0].body);
    },
  );
};

export default stations;
