import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  type DisputeSort,
  disputeCount,
  disputeDetail,
  disputeFeatureCollection,
  disputeList,
  disputeSorts,
} from '../../db/queries/disputes.js';
import { notFound } from '../../plugins/errors.js';
import { disputeFilterProperties, parseDisputeFilter } from '../dispute-filter.js';
import { EMPTY_COLLECTION, GeoJsonBody } from '../schemas.js';

export const MAX_LIMIT = 10_000;

const disputes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/disputes',
    {
      schema: {
        tags: ['disputes'],
        summary: 'Disputes matching the filters: a page of JSON items, or GeoJSON points with format=geojson',
        querystring: Type.Object(
          {
            ...disputeFilterProperties,
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson')], { default: 'json' })),
            sort: Type.Optional(
              Type.Union(
                Object.keys(disputeSorts).map((s) => Type.Literal(s)),
                { default: '-reportedAt' },
              ),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 100 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { format = 'json', sort = '-reportedAt', limit = 100, offset = 0, ...rest } = request.query;
      const filter = await parseDisputeFilter(app.db, rest);
      const page = { limit, offset, sort: sort as DisputeSort };
      if (format === 'geojson') {
        const q = disputeFeatureCollection(filter, page);
        const { rows } = await app.db.query<{ body: string }>(q.text, q.values);
        return reply.type('application/geo+json').send(rows[0]?.body ?? EMPTY_COLLECTION);
      }
      const c = disputeCount(filter);
      const l = disputeList(filter, page);
      const [count, list] = [
        await app.db.query<{ total: number }>(c.text, c.values),
        await app.db.query<{ item: string }>(l.text, l.values),
      ];
      // Items are JSON built in SQL; splice them into the envelope without parsing them again.
      const body = `{"total":${count.rows[0]?.total ?? 0},"limit":${limit},"offset":${offset},"items":[${list.rows
        .map((r) => r.item)
        .join(',')}]}`;
      return reply.type('application/json').send(body);
    },
  );

  app.get(
    '/api/disputes/:id',
    {
      schema: {
        tags: ['disputes'],
        summary: 'One dispute with its summary',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      const q = disputeDetail(request.params.id);
      const { rows } = await app.db.query<{ item: string }>(q.text, q.values);
      if (!rows[0]) throw notFound(`dispute ${request.params.id}`);
      return reply.type('application/json').send(rows[0].item);
    },
  );
};

export default disputes;
