import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  insertRound,
  listRounds,
  roundProgress,
  roundToDo,
  roundVillages,
  screeningCollection,
} from '../../db/queries/screenings.js';
import { roundExists } from '../../db/queries/uploads.js';
import { coordinateSystems } from '../../domain/ingest/coordinates.js';
import { disputeCategories, riskLevels } from '../../domain/vocabulary.js';
import { caller, rowScope, scopedTown, uploaderOf } from '../../plugins/auth.js';
import { badRequest, HttpError, notFound } from '../../plugins/errors.js';
import { ingest } from '../../services/ingest/index.js';
import { assertAdminUnit } from '../lookups.js';
import { parseDate, TownCode, VillageCode } from '../params.js';
import { EMPTY_COLLECTION, GeoJsonBody } from '../schemas.js';
import { batchBody } from '../uploads/index.js';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

const Round = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  startsOn: Type.String(),
  dueOn: Type.String(),
  towns: Type.Union([Type.Array(Type.String()), Type.Null()]),
});

interface RoundRow {
  id: number;
  name: string;
  kind: string;
  starts_on: string;
  due_on: string;
  town_codes: string[] | null;
}
const roundBody = (r: RoundRow) => ({
  id: Number(r.id),
  name: r.name,
  kind: r.kind,
  startsOn: r.starts_on,
  dueOn: r.due_on,
  towns: r.town_codes,
});

const screenings: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/screenings',
    {
      schema: {
        tags: ['screenings'],
        summary: 'Screenings as GeoJSON points, by upload batch or round (newest first)',
        querystring: Type.Object(
          {
            batch: Type.Optional(Type.Integer({ minimum: 1 })),
            round: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Integer({ minimum: 1, maximum: 10000, default: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      // Scoped callers see their towns' screenings; field screeners their villages' (policy 'route').
      const q = screeningCollection({
        limit: request.query.limit,
        scope: rowScope(caller(request)),
        ...(request.query.batch ? { batch: request.query.batch } : {}),
        ...(request.query.round ? { round: request.query.round } : {}),
      });
      const { rows } = await app.db.query<{ body: string }>(q.text, q.values);
      return reply.type('application/geo+json').send(rows[0]?.body ?? EMPTY_COLLECTION);
    },
  );

  app.post(
    '/api/screenings',
    {
      schema: {
        tags: ['screenings'],
        summary: 'One screening from the phone form; a re-sent clientId returns the first result and stores nothing',
        body: Type.Object(
          {
            clientId: Type.String({ format: 'uuid' }),
            villageCode: Type.Optional(VillageCode),
            lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
            lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
            crs: Type.Optional(literals(coordinateSystems)),
            screenedOn: Type.String({ minLength: 8, maxLength: 20 }),
            screener: Type.String({ minLength: 1, maxLength: 100 }),
            zeroReport: Type.Boolean(),
            roundId: Type.Optional(Type.Integer({ minimum: 1 })),
            items: Type.Array(
              Type.Object(
                {
                  category: literals(disputeCategories),
                  riskLevel: literals(riskLevels),
                  note: Type.String({ maxLength: 2000, default: '' }),
                },
                { additionalProperties: false },
              ),
              { maxItems: 50 },
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const b = request.body;
      if ((b.lon === undefined) !== (b.lat === undefined)) throw badRequest('lat', 'give both lon and lat, or neither');
      const first = b.items[0];
      const { batch, replayed } = await ingest(app.db, {
        bytes: null,
        records: [
          {
            row: 1,
            rec: {
              client_id: b.clientId,
              village_code: b.villageCode,
              lon: b.lon,
              lat: b.lat,
              crs: b.crs,
              screened_on: b.screenedOn,
              screener: b.screener,
              zero_report: b.zeroReport ? 'true' : 'false',
              category: first?.category,
              risk_level: first?.riskLevel,
            },
          },
        ],
        formItems: b.items.map((i) => ({ category: i.category, risk_level: i.riskLevel, note: i.note })),
        format: 'form',
        fileName: null,
        crs: b.crs ?? 'wgs84',
        allOrNothing: true,
        uploadedBy: caller(request).name,
        uploader: uploaderOf(caller(request)),
        idempotencyKey: `form:${b.clientId}`,
        roundId: b.roundId ?? null,
        maxRows: 1,
      });
      if (batch.status === 'rejected') {
        const e = batch.report.find((r) => r.severity === 'error');
        throw new HttpError(400, `${e?.field ?? 'body'}: ${e?.reason ?? 'rejected'}`, e?.field ?? 'body');
      }
      return reply.code(replayed ? 200 : 201).send(batchBody(batch, { replayed, withReport: true }));
    },
  );

  app.post(
    '/api/screening-rounds',
    {
      schema: {
        tags: ['screenings'],
        summary: 'Open a screening round: every village in scope owes a report (risks or zero report) by the due date',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            kind: literals(['monthly', 'special']),
            startsOn: Type.String(),
            dueOn: Type.String(),
            towns: Type.Optional(Type.Array(TownCode, { minItems: 1, maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Round },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const startsOn = parseDate('startsOn', b.startsOn) as string;
      const dueOn = parseDate('dueOn', b.dueOn) as string;
      if (dueOn < startsOn) throw badRequest('dueOn', 'must not be before startsOn');
      for (const t of b.towns ?? []) await assertAdminUnit(app.db, 'towns', t, 'town');
      const q = insertRound({ name: b.name, kind: b.kind, startsOn, dueOn, towns: b.towns ?? null });
      const { rows } = await app.db.query<RoundRow>(q.text, q.values);
      return reply.code(201).send(roundBody(rows[0] as RoundRow));
    },
  );

  app.get(
    '/api/screening-rounds',
    {
      schema: { tags: ['screenings'], summary: 'Screening rounds, newest first', response: { 200: Type.Array(Round) } },
    },
    async () => {
      const q = listRounds();
      return (await app.db.query<RoundRow>(q.text, q.values)).rows.map(roundBody);
    },
  );

  const roundParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9007199254740991 }) });
  const asOfQuery = Type.Object(
    {
      asOf: Type.Optional(
        Type.String({
          description:
            "judge the round as of this day (YYYY-MM-DD); default the county's today (app_now(), 2023-05-17 on the demo)",
        }),
      ),
    },
    { additionalProperties: false },
  );
  const assertRound = async (id: number) => {
    const q = roundExists(id);
    const { rows } = await app.db.query(q.text, q.values);
    if (!rows[0]) throw notFound(`screening round ${id}`);
  };

  app.get(
    '/api/screening-rounds/:id/villages',
    {
      schema: {
        tags: ['screenings'],
        summary: "Each village in the round's scope with its state: risks, zero, overdue, pending (GeoJSON polygons)",
        params: roundParams,
        querystring: asOfQuery,
        response: { 200: GeoJsonBody },
      },
    },
    async (request, reply) => {
      await assertRound(request.params.id);
      const q = roundVillages(
        request.params.id,
        parseDate('asOf', request.query.asOf) ?? null,
        rowScope(caller(request)),
      );
      const { rows } = await app.db.query<{ body: string }>(q.text, q.values);
      return reply.type('application/geo+json').send(rows[0]?.body ?? EMPTY_COLLECTION);
    },
  );

  app.get(
    '/api/screening-rounds/:id/progress',
    {
      schema: {
        tags: ['screenings'],
        summary: 'Per town: villages in scope and how many reported risks, zero reports, are overdue or not yet due',
        params: roundParams,
        querystring: asOfQuery,
        response: {
          200: Type.Array(
            Type.Object({
              townCode: Type.String(),
              townName: Type.String(),
              villages: Type.Integer(),
              risks: Type.Integer(),
              zero: Type.Integer(),
              overdue: Type.Integer(),
              pending: Type.Integer(),
            }),
          ),
        },
      },
    },
    async (request) => {
      await assertRound(request.params.id);
      const q = roundProgress(
        request.params.id,
        parseDate('asOf', request.query.asOf) ?? null,
        rowScope(caller(request)),
      );
      const { rows } = await app.db.query<{
        town_code: string;
        town_name: string;
        villages: number;
        risks: number;
        zero: number;
        overdue: number;
        pending: number;
      }>(q.text, q.values);
      return rows.map((r) => ({ ...r, townCode: r.town_code, townName: r.town_name }));
    },
  );

  app.get(
    '/api/screening-rounds/:id/to-do',
    {
      schema: {
        tags: ['screenings'],
        summary: 'Villages of the round still to report (overdue first by town), optionally for one town',
        params: roundParams,
        querystring: Type.Object(
          { asOf: Type.Optional(Type.String()), town: Type.Optional(TownCode) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      await assertRound(request.params.id);
      await assertAdminUnit(app.db, 'town', request.query.town, 'town');
      const p = caller(request);
      const q = roundToDo(
        request.params.id,
        parseDate('asOf', request.query.asOf) ?? null,
        scopedTown(p, request.query.town) ?? null,
        rowScope(p),
      );
      return (await app.db.query(q.text, q.values)).rows;
    },
  );
};

export default screenings;
