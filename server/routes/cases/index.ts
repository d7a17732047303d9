import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { audit } from '../../auth/audit.js';
import { mayRevealPersonalData } from '../../auth/roles.js';
import { figures, type RegisterSort, registerCount, registerPage, registerSorts } from '../../db/queries/cases.js';
import { encryptPendingParties, personalDataKeyring, revealParty } from '../../domain/personal-data-store.js';
import {
  disputeCategories,
  disputeStatuses,
  mediationChannels,
  referralKinds,
  resolutionLevels,
  riskLevels,
} from '../../domain/vocabulary.js';
import { caller, scopedTown } from '../../plugins/auth.js';
import { badRequest, HttpError, notFound } from '../../plugins/errors.js';
import {
  type CaseRow,
  type CaseScope,
  caseDetail,
  createCase,
  editCase,
  handoff,
  partyKey,
  recordAgreement,
  reopenCase,
  transition,
  withScore,
} from './service.js';

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
const MAX_RANKED = 5000;

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
  const ring = () => personalDataKeyring(app.db, app.config);
  const key = async () => ({ hash: await partyKey(app.db, app.config.partyHashKey), ring: await ring() });

  // Parties of a database from before encryption at rest (migrations/100): encrypted before the first request.
  app.addHook('onReady', async () => {
    const r = await ring();
    const n = await app.db.transaction((tx) => encryptPendingParties(tx, r));
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
            status: Type.Optional(Type.String({ pattern: '^[a-z,]+$' })),
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
      const statuses = status ? status.split(',').filter(Boolean) : undefined;
      for (const s of statuses ?? []) {
        if (!(disputeStatuses as readonly string[]).includes(s)) {
          throw badRequest('status', `unknown status '${s}'; one of: ${disputeStatuses.join(', ')}`);
        }
      }
      const filter = { ...rest, q: q?.trim() || undefined, statuses: statuses as (typeof disputeStatuses)[number][] };
      const c = registerCount(filter);
      const total = (await app.db.query<{ total: number }>(c.text, c.values)).rows[0]?.total ?? 0;
      if (sort === 'escalation') {
        // The score is the domain's (one transparent formula); rank every match, then page.
        if (total > MAX_RANKED) {
          throw badRequest('sort', `escalation ranks at most ${MAX_RANKED} cases; filter (e.g. status) first`);
        }
        const p = registerPage(filter, 'risk', null, 0);
        const rows = (await app.db.query<{ item: CaseRow }>(p.text, p.values)).rows.map((r) => withScore(r.item));
        rows.sort((a, b) => b.escalation.score - a.escalation.score || a.id - b.id);
        return { total, limit, offset, items: rows.slice(offset, offset + limit) };
      }
      const p = registerPage(filter, sort, limit, offset);
      const rows = (await app.db.query<{ item: CaseRow }>(p.text, p.values)).rows.map((r) => withScore(r.item));
      return { total, limit, offset, items: rows };
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
      },
    },
    async (request) => {
      const { by = 'town', town } = request.query;
      const q = figures(by, town);
      const { rows } = await app.db.query<Record<string, number | string | null>>(q.text, q.values);
      const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);
      return {
        by,
        definitions: {
          acceptanceRate: 'accepted ÷ found',
          successRate: 'resolved ÷ closed (resolved + failed + referred)',
          villageShare: 'resolved at village level ÷ resolved',
          townOrBelowShare: 'resolved at village or town level ÷ resolved',
          daysToAccept: 'mean days from reported to accepted',
          daysToResolve: 'mean days from reported to resolved',
        },
        units: rows.map((r) => {
          const n = (k: string) => Number(r[k] ?? 0);
          const closed = n('resolved') + n('failed') + n('referred');
          return {
            key: r.key,
            name: r.name,
            townCode: r.town_code,
            kind: r.kind,
            found: n('found'),
            accepted: n('accepted'),
            acceptanceRate: rate(n('accepted'), n('found')),
            resolved: n('resolved'),
            failed: n('failed'),
            referred: n('referred'),
            open: n('open'),
            closed,
            successRate: rate(n('resolved'), closed),
            daysToAccept: r.days_to_accept === null ? null : Number(r.days_to_accept),
            daysToResolve: r.days_to_resolve === null ? null : Number(r.days_to_resolve),
            resolvedAtVillage: n('at_village'),
            resolvedAtTown: n('at_town'),
            villageShare: rate(n('at_village'), n('resolved')),
            townOrBelowShare: rate(n('at_village') + n('at_town'), n('resolved')),
            referrals: {
              litigation: n('ref_litigation'),
              arbitration: n('ref_arbitration'),
              public_security_case: n('ref_public_security_case'),
              criminal_case: n('ref_criminal_case'),
            },
          };
        }),
      };
    },
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
      const b = request.body;
      if ((b.lon === undefined) !== (b.lat === undefined)) {
        throw badRequest(b.lon === undefined ? 'lon' : 'lat', 'give both lon and lat');
      }
      const id = await createCase(app.db, await key(), { ...b, ...who(request) });
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
            note: Note,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const id = await reopenCase(app.db, await key(), request.params.id, { ...request.body, ...who(request) });
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
      const p = caller(request);
      if (!mayRevealPersonalData(p)) throw new HttpError(403, 'Your role sees personal data masked only.');
      const { id, partyId } = request.params;
      const party = await revealParty(app.db, await ring(), id, partyId);
      if (!party) throw notFound(`party ${partyId} of dispute ${id}`);
      // Audited before the answer leaves: no audit row, no clear value. Identifiers only, never the values.
      await audit(app.db, p, {
        action: 'reveal-personal-data',
        targetType: 'party',
        targetId: partyId,
        ip: request.ip,
        detail: { disputeId: id, partyId, fields: ['name', 'phone', 'idNumber'] },
      });
      reply.header('cache-control', 'no-store');
      return party;
    },
  );
};

export default cases;
