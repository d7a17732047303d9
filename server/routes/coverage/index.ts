import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  candidateKinds,
  coverageGaps,
  coverageSummary,
  type DemandScope,
  METHOD_NOTE,
  serviceAreas,
  type VillageBy,
  villageCoverage,
} from '../../services/coverage/index.js';
import { parseList } from '../params.js';
import { EMPTY_COLLECTION, GeoJsonBody } from '../schemas.js';

/** Beyond 50 km one room would reach across the whole county: no longer a service area. */
export const MAX_DISTANCE_KM = 50;

const DistanceKm = Type.Number({
  exclusiveMinimum: 0,
  maximum: MAX_DISTANCE_KM,
  default: 5,
  description: `straight-line reach of a room in km, > 0 and ≤ ${MAX_DISTANCE_KM}`,
});
const VillageByParam = Type.Unsafe<VillageBy>({
  type: 'string',
  enum: ['point', 'polygon'],
  default: 'point',
  description: 'point: the village centre is within reach; polygon: any part of the village is',
});
const ScopeParam = Type.Unsafe<DemandScope>({
  type: 'string',
  enum: ['all', 'open'],
  default: 'all',
  description: 'which disputes count as demand: all found since 2018, or only the open ones',
});

const coverage: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/coverage',
    {
      schema: {
        tags: ['coverage'],
        summary: 'Coverage of joint mediation rooms: county totals, per town (host, staffing, gaps), per room',
        querystring: Type.Object(
          { distanceKm: DistanceKm, villageBy: VillageByParam },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const body = await coverageSummary(app.db, request.query.distanceKm, request.query.villageBy as VillageBy);
      return reply.type('application/json').send(body);
    },
  );

  app.get(
    '/api/coverage/areas',
    {
      schema: {
        tags: ['coverage'],
        summary: 'Service areas as GeoJSON: a disc per room (part=ring, radius in metres on geography) and their union',
        querystring: Type.Object({ distanceKm: DistanceKm }, { additionalProperties: false }),
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      const body = await serviceAreas(app.db, request.query.distanceKm);
      return reply.type('application/geo+json').send(body ?? EMPTY_COLLECTION);
    },
  );

  app.get(
    '/api/coverage/villages',
    {
      schema: {
        tags: ['coverage'],
        summary: 'Villages as GeoJSON polygons flagged covered or not, with disputes and disputes per km²',
        querystring: Type.Object(
          { distanceKm: DistanceKm, villageBy: VillageByParam, scope: ScopeParam },
          { additionalProperties: false },
        ),
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      const { distanceKm, villageBy, scope } = request.query;
      const body = await villageCoverage(app.db, distanceKm, villageBy as VillageBy, scope as DemandScope);
      return reply.type('application/geo+json').send(body ?? EMPTY_COLLECTION);
    },
  );

  app.get(
    '/api/coverage/gaps',
    {
      schema: {
        tags: ['coverage'],
        summary: 'Gap finder: uncovered villages ranked by disputes per km², and K suggested sites for new rooms',
        description: METHOD_NOTE,
        querystring: Type.Object(
          {
            distanceKm: DistanceKm,
            villageBy: VillageByParam,
            scope: ScopeParam,
            k: Type.Integer({ minimum: 1, maximum: 10, default: 3, description: 'how many new sites to suggest' }),
            candidates: Type.Optional(
              Type.String({
                description: 'comma-separated: village (village centres), police_station (without a room)',
              }),
            ),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 20, description: 'ranked villages returned' }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { distanceKm, villageBy, scope, k, limit } = request.query;
      const kinds = parseList('candidates', request.query.candidates, candidateKinds) ?? [...candidateKinds];
      if (kinds.length === 0) kinds.push(...candidateKinds);
      return coverageGaps(app.db, {
        distanceKm,
        villageBy: villageBy as VillageBy,
        scope: scope as DemandScope,
        k,
        limit,
        kinds,
      });
    },
  );
};

export default coverage;
