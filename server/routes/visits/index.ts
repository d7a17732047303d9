import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CaseVisits } from '../../contract/people.js';
import { performances, satisfactions } from '../../domain/people/visits.js';
import { caller } from '../../plugins/auth.js';
import { caseVisits, overdue, recordVisit, satisfaction } from '../../services/visits/index.js';

const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Town = Type.String({ pattern: '^[0-9]{9}$' });
const Day = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** Follow-up visits (回访) of resolved cases and their figures (issue 18). */
const visits: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/disputes/:id/visits',
    {
      schema: {
        tags: ['visits'],
        summary: "A case's follow-up visits, the first visit's due date, and whether a visit offers a reopen",
        params: Type.Object({ id: Id }),
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: CaseVisits },
      },
    },
    async (request) => caseVisits(app.db, request.params.id),
  );

  app.post(
    '/api/disputes/:id/visits',
    {
      schema: {
        tags: ['visits'],
        summary: 'Record a follow-up visit of a resolved case (409 for any other); clientKey makes a retry safe',
        params: Type.Object({ id: Id }),
        body: Type.Object(
          {
            visitedOn: Day,
            mediatorId: Type.Optional(Id),
            performance: Enum(performances),
            satisfaction: Enum(satisfactions),
            note: Type.Optional(Type.String({ maxLength: 2000, pattern: '^[^\\u0000]*$' })),
            clientKey: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: CaseVisits, 201: CaseVisits },
      },
    },
    async (request, reply) => {
      const r = await recordVisit(app.db, caller(request).name, request.params.id, request.body);
      const body = { ...(await caseVisits(app.db, request.params.id)), visitId: r.id, replayed: r.replayed };
      return reply.code(r.replayed ? 200 : 201).send(body);
    },
  );

  app.get(
    '/api/visits/overdue',
    {
      schema: {
        tags: ['visits'],
        summary: 'Resolved cases whose first follow-up visit is overdue, with counts per town',
        querystring: Type.Object(
          {
            town: Type.Optional(Town),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { town, limit = 50, offset = 0 } = request.query;
      return overdue(app.db, town, limit, offset);
    },
  );

  app.get(
    '/api/visits/satisfaction',
    {
      schema: {
        tags: ['visits'],
        summary: "Parties' satisfaction at follow-up visits per town or handling station, with counts",
        querystring: Type.Object(
          {
            by: Type.Optional(Enum(['town', 'station'] as const)),
            town: Type.Optional(Town),
            from: Type.Optional(Day),
            to: Type.Optional(Day),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { by = 'town', town, from, to } = request.query;
      return satisfaction(app.db, by, town, from, to);
    },
  );
};

export default visits;
