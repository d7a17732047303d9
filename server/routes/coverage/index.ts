import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  candidateSites,
  coverageAreas,
  coverageRooms,
  coverageTowns,
  coverageVillages,
  type DemandScope,
  uncoveredDisputes,
  type VillageBy,
} from '../../db/queries/coverage.js';
import { rankByDensity } from '../../domain/coverage/density.js';
import { suggestSites } from '../../domain/coverage/gaps.js';
import type { SitePoint } from '../../domain/coverage/method.js';
import { parseList } from '../params.js';
import { EMPTY_COLLECTION, GeoJsonBody } from '../schemas.js';
import { straightLineInDb } from './reach.js';

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
const candidateKinds = ['village', 'police_station'] as const;

interface CandidateRow extends SitePoint {
  kind: 'village' | 'police_station';
  ref: string;
  name: string;
  town_code: string;
  town_name: string;
}

const METHOD_NOTE =
  'Straight-line distance on the WGS-84 spheroid (PostGIS geography). Greedy maximal covering location: each step picks the candidate covering the most disputes still outside every room and every earlier pick.';

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
      const metres = request.query.distanceKm * 1000;
      const by = request.query.villageBy as VillageBy;
      const tq = coverageTowns(metres, by);
      const rq = coverageRooms(metres, by);
      const towns = (await app.db.query<{ body: string }>(tq.text, tq.values)).rows[0]?.body ?? '{}';
      const rooms = (await app.db.query<{ body: string }>(rq.text, rq.values)).rows[0]?.body ?? '[]';
      // Both parts are JSON built in SQL; spliced as text rather than parsed and re-serialised.
      const body = `{"distanceKm":${request.query.distanceKm},"villageBy":"${by}","method":"straight_line",${towns.slice(1, -1)},"rooms":${rooms}}`;
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
      const q = coverageAreas(request.query.distanceKm * 1000);
      const { rows } = await app.db.query<{ body: string }>(q.text, q.values);
      return reply.type('application/geo+json').send(rows[0]?.body ?? EMPTY_COLLECTION);
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
      const q = coverageVillages(distanceKm * 1000, villageBy as VillageBy, scope as DemandScope);
      const { rows } = await app.db.query<{ body: string }>(q.text, q.values);
      return reply.type('application/geo+json').send(rows[0]?.body ?? EMPTY_COLLECTION);
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
      const metres = distanceKm * 1000;
      const kinds = parseList('candidates', request.query.candidates, candidateKinds) ?? [...candidateKinds];
      if (kinds.length === 0) kinds.push(...candidateKinds);

      const vq = coverageVillages(metres, villageBy as VillageBy, scope as DemandScope);
      const villages = JSON.parse(
        (await app.db.query<{ body: string }>(vq.text, vq.values)).rows[0]?.body ?? '{"features":[]}',
      ) as {
        features: {
          properties: {
            code: string;
            name: string;
            townName: string;
            covered: boolean;
            areaKm2: number;
            disputes: number;
            openDisputes: number;
          };
        }[];
      };
      const uncoveredVillages = villages.features.map((f) => f.properties).filter((p) => !p.covered);
      const names = new Map(uncoveredVillages.map((v) => [v.code, v]));
      const ranked = rankByDensity(
        uncoveredVillages.map((v) => ({ code: v.code, areaKm2: v.areaKm2, disputes: v.disputes })),
      ).slice(0, limit);

      const dq = uncoveredDisputes(metres, scope as DemandScope);
      const demand = (await app.db.query<{ id: string; lon: number; lat: number }>(dq.text, dq.values)).rows.map(
        (d) => ({ id: d.id, lon: Number(d.lon), lat: Number(d.lat), weight: 1 }),
      );
      const cq = candidateSites(kinds);
      const candidates = (await app.db.query<CandidateRow>(cq.text, cq.values)).rows.map((c) => ({
        ...c,
        lon: Number(c.lon),
        lat: Number(c.lat),
      }));
      const picks = await suggestSites(straightLineInDb(app.db), candidates, demand, metres, k);
      return {
        distanceKm,
        villageBy,
        scope,
        method: 'straight_line',
        model: 'greedy_maximal_coverage',
        note: METHOD_NOTE,
        uncoveredDisputes: demand.length,
        candidatesConsidered: candidates.length,
        villages: ranked.map((r) => ({
          rank: r.rank,
          code: r.code,
          name: names.get(r.code)?.name ?? '',
          townName: names.get(r.code)?.townName ?? '',
          areaKm2: r.areaKm2,
          disputes: r.disputes,
          openDisputes: names.get(r.code)?.openDisputes ?? 0,
          perKm2: Math.round(r.perKm2 * 100) / 100,
        })),
        sites: {
          type: 'FeatureCollection',
          features: picks.map((p) => ({
            type: 'Feature',
            id: p.id,
            geometry: { type: 'Point', coordinates: [p.site.lon, p.site.lat] },
            properties: {
              rank: p.rank,
              candidate: p.id,
              kind: p.site.kind,
              ref: p.site.ref,
              name: p.site.name,
              townCode: p.site.town_code,
              townName: p.site.town_name,
              newlyCovered: p.newlyCovered,
              cumulative: p.cumulative,
            },
          })),
        },
      };
    },
  );
};

export default coverage;
