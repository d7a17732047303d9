import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Queryable } from '../../db/index.js';
import {
  deleteStation,
  insertStation,
  locatePoint,
  type StationWrite,
  stationCollection,
  stationFeature,
  stationKindsOf,
  stationReferences,
  stationRow,
  updateStation,
} from '../../db/queries/stations.js';
import { type StationKind, stationKinds } from '../../domain/vocabulary.js';
import { badRequest, HttpError, notFound } from '../../plugins/errors.js';
import { assertAdminUnit } from '../lookups.js';
import { listParam, parseDate, parseList, TownCode } from '../params.js';
import { EMPTY_COLLECTION, GeoJsonBody } from '../schemas.js';

const StationId = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

const stationFields = {
  // An enum (not a union of literals) so that a wrong kind gets "must be one of: …" listing the kinds.
  kind: Type.Unsafe<StationKind>({ type: 'string', enum: [...stationKinds], description: 'station kind' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  townCode: TownCode,
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'WGS-84 longitude' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'WGS-84 latitude' }),
  staffCount: Type.Integer({ minimum: 0, maximum: 1000 }),
  openedOn: Type.Union([Type.String({ description: 'YYYY-MM-DD' }), Type.Null()]),
  hostStationId: Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()], {
    description: 'joint mediation rooms: the police station hosting it',
  }),
  staffedById: Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()], {
    description: 'joint mediation rooms: the judicial office staffing it',
  }),
};
const f = stationFields;
const CreateBody = Type.Object(
  {
    kind: f.kind,
    name: f.name,
    townCode: Type.Optional(
      Type.Union([f.townCode, Type.Null()], { description: 'default: the town holding the point' }),
    ),
    lon: f.lon,
    lat: f.lat,
    staffCount: Type.Optional(f.staffCount),
    openedOn: Type.Optional(f.openedOn),
    hostStationId: Type.Optional(f.hostStationId),
    staffedById: Type.Optional(f.staffedById),
  },
  { additionalProperties: false },
);
const EditBody = Type.Partial(Type.Object({ ...stationFields }), {
  additionalProperties: false,
  minProperties: 1,
});

/** The kind each link must point at: a room is hosted by a police station and staffed by a judicial office. */
const linkKinds = { hostStationId: 'police_station', staffedById: 'judicial_office' } as const;

/**
 * Checks a station as it would be stored: the point inside the county, a known town (a point outside that town
 * is allowed and flagged on read), links only on rooms and to stations of the right kind. Throws 400 naming the field.
 */
async function validateStation(
  db: Queryable,
  draft: Omit<StationWrite, 'townCode'> & { townCode: string | null },
  selfId: number | null,
): Promise<StationWrite> {
  parseDate('openedOn', draft.openedOn ?? undefined);
  const at = `(${draft.lon}, ${draft.lat})`;
  const lq = locatePoint(draft.lon, draft.lat);
  const place = (await db.query<{ in_county: boolean; town_code: string | null }>(lq.text, lq.values)).rows[0];
  if (!place?.in_county) throw badRequest('lon', `point ${at} lies outside the county`);
  let townCode = draft.townCode;
  if (townCode === null) {
    if (!place.town_code) throw badRequest('townCode', `no town holds point ${at}; give townCode`);
    townCode = place.town_code;
  }
  await assertAdminUnit(db, 'townCode', townCode, 'town');
  for (const field of ['hostStationId', 'staffedById'] as const) {
    const id = draft[field];
    if (id === null) continue;
    if (draft.kind !== 'joint_mediation_room') {
      throw badRequest(field, `only a joint_mediation_room has a ${field}, not a ${draft.kind}`);
    }
    if (id === selfId) throw badRequest(field, 'a station cannot link to itself');
    const q = stationKindsOf([id]);
    const row = (await db.query<{ id: number; kind: StationKind }>(q.text, q.values)).rows[0];
    if (!row) throw badRequest(field, `station ${id} does not exist`);
    if (row.kind !== linkKinds[field]) {
      throw badRequest(field, `station ${id} is a ${row.kind}, expected a ${linkKinds[field]}`);
    }
  }
  return { ...draft, townCode };
}

async function sendStation(db: Queryable, id: number) {
  const q = stationFeature(id);
  const { rows } = await db.query<{ body: string }>(q.text, q.values);
  if (!rows[0]) throw notFound(`station ${id}`);
  return rows[0].body;
}

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

  app.post(
    '/api/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'Create a station; 400 names the field (point outside the county, unknown town or kind, bad link)',
        description:
          'The point must lie inside the county. A point outside the given town is stored and flagged (locationMismatch). Coverage figures follow at once (they are computed on request).',
        body: CreateBody,
        response: { 201: GeoJsonBody },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const station = await validateStation(
        app.db,
        {
          kind: b.kind,
          name: b.name.trim() || b.name,
          townCode: b.townCode ?? null,
          lon: b.lon,
          lat: b.lat,
          staffCount: b.staffCount ?? 0,
          openedOn: b.openedOn ?? null,
          hostStationId: b.hostStationId ?? null,
          staffedById: b.staffedById ?? null,
        },
        null,
      );
      const q = insertStation(station);
      const id = (await app.db.query<{ id: number }>(q.text, q.values)).rows[0]?.id as number;
      return reply
        .code(201)
        .header('location', `/api/stations/${id}`)
        .type('application/geo+json')
        .send(await sendStation(app.db, id));
    },
  );

  app.patch(
    '/api/stations/:id',
    {
      schema: {
        tags: ['stations'],
        summary: 'Edit or move a station (any subset of its fields); validated as on create',
        params: StationId,
        body: EditBody,
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const rq = stationRow(id);
      const current = (await app.db.query<StationWrite>(rq.text, rq.values)).rows[0];
      if (!current) throw notFound(`station ${id}`);
      const station = await validateStation(app.db, { ...current, ...request.body }, id);
      const q = updateStation(id, station);
      await app.db.query(q.text, q.values);
      return reply.type('application/geo+json').send(await sendStation(app.db, id));
    },
  );

  app.delete(
    '/api/stations/:id',
    {
      schema: {
        tags: ['stations'],
        summary: 'Delete a station that no case, case history or room refers to (409 otherwise)',
        params: StationId,
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const refs = stationReferences(id);
      const used = (await app.db.query<{ cases: number; stations: number }>(refs.text, refs.values)).rows[0];
      if (used && (used.cases > 0 || used.stations > 0)) {
        throw new HttpError(
          409,
          `station ${id} is referred to by ${used.cases} case records and ${used.stations} stations; edit it instead`,
        );
      }
      const q = deleteStation(id);
      const { rows } = await app.db.query(q.text, q.values);
      if (rows.length === 0) throw notFound(`station ${id}`);
      return reply.code(204).send();
    },
  );
};

export default stations;
