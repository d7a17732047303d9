import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { CaseFiguresResponse } from '../../contract/cases.js';
import { type RegisterSort, registerSorts } from '../../db/queries/cases.js';
import {
  type DisputeStatus,
  disputeCategories,
  disputeStatuses,
  mediationChannels,
  referralKinds,
  resolutionLevels,
  riskLevels,
} from '../../domain/vocabulary.js';
import { caller, scopedTown } from '../../plugins/auth.js';
import {
  type CaseScope,
  caseDetail,
  caseFigures,
  caseKeyring,
  caseKeys,
  createCase,
  editCase,
  encryptPending,
  handoff,
  listCases,
  recordAgreement,
  reopenCase,
  revealCaseParty,
  transition,
} from '../../services/cases/index.js';
import { reopenFromVisit } from '../../services/visits/index.js';

const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const IdParams = Type.Object({ id: Id });
const Version = Type.Integer({ minimum: 1 });
const Note = Type.Optional(Type.String({ maxLength: 2000 }));
const Day = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const VillageCode = Type.String({ pattern: '^[0-9]{12}$' });
const Party = Type.Object(
  {
    role: Enum(['applicant', 'respondent', 'other'] as const),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 -]{7,20}$' })),
    idNumber: Type.Optional(Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' })),
  },
  { additionalProperties: false },
);
/** A comma-separated list of statuses, each checked by the schema (400 naming `status`). */
const StatusList = Type.String({ pattern: `^(${disputeStatuses.join('|')})(,(${disputeStatuses.join('|')}))*$` });

/**
 * Who acts and where they may act: always the signed-in caller (no body field names the actor: a body with
 * `actor` is a 400 naming it). Scoped callers may place cases only in their towns (station staff also route to
 * their own station).
 */
function who(request: FastifyRequest): { actor: string; scope: CaseScope } {
  const p = caller(request);
  return { actor: p.name, scope: { towns: p.towns, stationId: p.stationId } };
}

const cases: FastifyPluginAsyncTypebox = async (app) => {
  const ring = () => caseKeyring(app.db, app.config);
  const key = () => caseKeys(app.db, app.config);

  // Parties of a database from before encryption at rest (migrations/100): encrypted before the first request.
  app.addHook('onReady', async () => {
    const n = await encryptPending(app.db, app.config);
    if (n > 0) app.log.info(`encrypted the personal data of ${n} parties (migration 100)`);
  });

  app.get(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'The case register: filter, search, sort (escalation ranks high-risk open cases first)',
        querystring: Type.Object(
          {
            town: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
            station: Type.Optional(Id),
            status: Type.Optional(StatusList),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            overdue: Type.Optional(Type.Boolean()),
            repeat: Type.Optional(Type.Boolean()),
            sort: Type.Optional(Enum([...Object.keys(registerSorts), 'escalation'] as RegisterSort[])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { sort = 'escalation', limit = 50, offset = 0, status, q, ...rest } = request.query;
      // Scope ('route'): the caller's town, except station staff asking for their own station's cases.
      const me = caller(request);
      if (me.stationId === null || rest.station !== me.stationId) rest.town = scopedTown(me, rest.town);
      const statuses = status?.split(',') as DisputeStatus[] | undefined;
      return listCases(app.db, { filter: { ...rest, q: q?.trim() || undefined, statuses }, sort, limit, offset });
    },
  );

  app.get(
    '/api/cases/figures',
    {
      schema: {
        tags: ['cases'],
        summary: 'Assessment figures per town or station: acceptance and success rates, times, levels, referrals',
        querystring: Type.Object(
          {
            by: Type.Optional(Enum(['town', 'station'] as const)),
            town: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: CaseFiguresResponse },
      },
    },
    async (request) => caseFigures(app.db, request.query.by ?? 'town', request.query.town),
  );

  app.get(
    '/api/disputes/:id/case',
    {
      schema: {
        tags: ['cases'],
        summary: 'A case with its escalation factors, masked parties, agreements, history, links and next moves',
        params: IdParams,
      },
    },
    async (request) => caseDetail(app.db, await ring(), request.params.id),
  );

  app.get(
    '/api/disputes/:id/events',
    { schema: { tags: ['cases'], summary: 'The append-only history of a case', params: IdParams } },
    async (request) => (await caseDetail(app.db, await ring(), request.params.id)).events,
  );

  app.post(
    '/api/disputes',
    {
      schema: {
        tags: ['cases'],
        summary: 'Register a case (location by point or by village; optionally from a screening risk item)',
        body: Type.Object(
          {
            category: Enum(disputeCategories),
            riskLevel: Enum(riskLevels),
            lon: Type.Optional(Lon),
            lat: Type.Optional(Lat),
            villageCode: Type.Optional(VillageCode),
            stationId: Type.Optional(Id),
            channel: Type.Optional(Enum(mediationChannels)),
            summary: Type.Optional(Type.String({ maxLength: 4000 })),
            threat: Type.Optional(Type.Boolean()),
            injury: Type.Optional(Type.Boolean()),
            parties: Type.Optional(Type.Array(Party, { maxItems: 20 })),
            screeningItemId: Type.Optional(Id),
            note: Note,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const id = await createCase(app.db, await key(), { ...request.body, ...who(request) });
      return reply.code(201).send(await caseDetail(app.db, await ring(), id));
    },
  );

  app.patch(
    '/api/disputes/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'Edit a case (needs the version read; 409 if someone changed it meanwhile)',
        params: IdParams,
        body: Type.Object(
          {
            version: Version,
            category: Type.Optional(Enum(disputeCategories)),
            riskLevel: Type.Optional(Enum(riskLevels)),
            summary: Type.Optional(Type.String({ maxLength: 4000 })),
            threat: Type.Optional(Type.Boolean()),
            injury: Type.Optional(Type.Boolean()),
            followUpOn: Type.Optional(Day),
            lon: Type.Optional(Lon),
            lat: Type.Optional(Lat),
            villageCode: Type.Optional(VillageCode),
            note: Note,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      await editCase(app.db, request.params.id, { ...request.body, ...who(request) });
      return caseDetail(app.db, await ring(), request.params.id);
    },
  );

  app.post(
    '/api/disputes/:id/transitions',
    {
      schema: {
        tags: ['cases'],
        summary: 'Move a case to its next state; an illegal move gets 409 with the allowed ones',
        params: IdParams,
        body: Type.Object(
          {
            version: Version,
            to: Enum(disputeStatuses),
            channel: Type.Optional(Enum(mediationChannels)),
            level: Type.Optional(Enum(resolutionLevels)),
            referralKind: Type.Optional(Enum(referralKinds)),
            note: Note,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      await transition(app.db, request.params.id, { ...request.body, ...who(request) });
      return caseDetail(app.db, await ring(), request.params.id);
    },
  );

  app.post(
    '/api/disputes/:id/handoffs',
    {
      schema: {
        tags: ['cases'],
        summary: 'Hand a case from its station to another (police station ↔ judicial office)',
        params: IdParams,
        body: Type.Object(
          {
            version: Version,
            toStationId: Id,
            channel: Type.Optional(Enum(mediationChannels)),
            level: Type.Optional(Enum(resolutionLevels)),
            note: Note,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      await handoff(app.db, request.params.id, { ...request.body, ...who(request) });
      return caseDetail(app.db, await ring(), request.params.id);
    },
  );

  app.post(
    '/api/disputes/:id/agreement',
    {
      schema: {
        tags: ['cases'],
        summary: 'Record the agreement of a resolved case and its follow-up visit date',
        params: IdParams,
        body: Type.Object(
          {
            version: Version,
            agreedOn: Day,
            kind: Enum(['oral', 'written', 'judicially_confirmed'] as const),
            followUpOn: Type.Optional(Day),
            note: Note,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      await recordAgreement(app.db, request.params.id, { ...request.body, ...who(request) });
      return caseDetail(app.db, await ring(), request.params.id);
    },
  );

  app.post(
    '/api/disputes/:id/reopen',
    {
      schema: {
        tags: ['cases'],
        summary: 'A resolved case flares up again: a new case linked to it (same place, category, parties)',
        params: IdParams,
        body: Type.Object(
          {
            version: Version,
            riskLevel: Type.Optional(Enum(riskLevels)),
            threat: Type.Optional(Type.Boolean()),
            injury: Type.Optional(Type.Boolean()),
            /** The follow-up visit that found the agreement broken: the new case is linked to it. */
            visitId: Type.Optional(Id),
            note: Note,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { visitId, ...body } = request.body;
      const input = { ...body, ...who(request) };
      const id =
        visitId === undefined
          ? await reopenCase(app.db, await key(), request.params.id, input)
          : await reopenFromVisit(app.db, await key(), request.params.id, visitId, input);
      return reply.code(201).send(await caseDetail(app.db, await ring(), id));
    },
  );

  app.post(
    '/api/disputes/:id/parties/:partyId/reveal',
    {
      schema: {
        tags: ['cases'],
        summary: 'One party of a case in clear (name, phone, ID number): admins, town officers, station staff',
        description:
          'Personal data is masked in every other answer, for every role. This reveals one party of one case ' +
          'and writes one audit row (who, which case and party, when, from where; never the values). Leaders ' +
          'and export tokens get 403; a case outside the caller’s town or station, or a party not of this ' +
          'case, 404.',
        params: Type.Object({ id: Id, partyId: Id }),
        response: {
          200: Type.Object({
            id: Type.Integer(),
            role: Type.String(),
            name: Type.String(),
            phone: Type.Union([Type.String(), Type.Null()]),
            idNumber: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request, reply) => {
      const { id, partyId } = request.params;
      const party = await revealCaseParty(app.db, await ring(), caller(request), {
        disputeId: id,
        partyId,
        ip: request.ip,
      });
      reply.header('cache-control', 'no-store');
      return party;
    },
  );
};

export default cases;
