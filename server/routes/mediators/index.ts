import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { audit } from '../../auth/audit.js';
import { mayRevealPersonalData } from '../../auth/roles.js';
import { CaseMediators, MediatorDetail, MediatorList, RegisterChecks } from '../../contract/mediators.js';
import { personalDataKeyring } from '../../db/keys.js';
import { mediatorKinds } from '../../domain/people/register.js';
import { caller } from '../../plugins/auth.js';
import { HttpError } from '../../plugins/errors.js';
import {
  addTraining,
  caseMediators,
  createMediator,
  editMediator,
  listMediators,
  mediatorDetail,
  registerChecks,
  revealMediator,
  setCaseMediators,
} from '../../services/mediators/index.js';

const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Town = Type.String({ pattern: '^[0-9]{9}$' });
const Day = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000]*\\S[^\\u0000]*$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));

const fields = {
  name: Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\u0000]*\\S[^\\u0000]*$' }),
  kind: Enum(mediatorKinds),
  stationId: Type.Optional(Id),
  villageCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  appointmentNo: Nullable(Text(40)),
  appointedBy: Nullable(Text(100)),
  appointedFrom: Nullable(Day),
  appointedTo: Nullable(Day),
  qualification: Nullable(Text(100)),
  qualificationExpiresOn: Nullable(Day),
  active: Type.Optional(Type.Boolean()),
};

/** The register of mediators and staff, and the mediators named on a case (issue 18). */
const mediators: FastifyPluginAsyncTypebox = async (app) => {
  const ring = () => personalDataKeyring(app.db, app.config);

  app.get(
    '/api/mediators',
    {
      schema: {
        tags: ['mediators'],
        summary: 'The register: mediators and staff of a town (names masked), with their case figures',
        querystring: Type.Object(
          {
            town: Type.Optional(Town),
            station: Type.Optional(Id),
            kind: Type.Optional(Enum(mediatorKinds)),
            active: Type.Optional(Type.Boolean()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: MediatorList },
      },
    },
    async (request) => {
      const { limit = 200, offset = 0, ...f } = request.query;
      return listMediators(app.db, await ring(), f, limit, offset);
    },
  );

  app.get(
    '/api/mediators/checks',
    {
      schema: {
        tags: ['mediators'],
        summary:
          'Appointments or qualifications expiring within 60 days, rooms without a judicial assistant, training short',
        querystring: Type.Object({ town: Type.Optional(Town) }, { additionalProperties: false }),
        response: { 200: RegisterChecks },
      },
    },
    async (request) => registerChecks(app.db, await ring(), request.query.town),
  );

  app.get(
    '/api/mediators/:id',
    {
      schema: {
        tags: ['mediators'],
        summary: 'One mediator: appointment, qualification, trainings, figures, recent cases (name masked)',
        params: Type.Object({ id: Id }),
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: MediatorDetail },
      },
    },
    async (request) => mediatorDetail(app.db, await ring(), caller(request), request.params.id),
  );

  app.post(
    '/api/mediators',
    {
      schema: {
        tags: ['mediators'],
        summary: 'Register a mediator (serving a station, or a village committee by villageCode)',
        body: Type.Object(fields, { additionalProperties: false }),
        response: { 201: MediatorDetail },
      },
    },
    async (request, reply) => {
      const p = caller(request);
      const id = await createMediator(app.db, await ring(), p, p.name, request.body);
      return reply.code(201).send(await mediatorDetail(app.db, await ring(), p, id));
    },
  );

  app.patch(
    '/api/mediators/:id',
    {
      schema: {
        tags: ['mediators'],
        summary: 'Change a mediator (needs the version read; 409 if someone changed it meanwhile)',
        params: Type.Object({ id: Id }),
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            ...fields,
            name: Type.Optional(fields.name),
            kind: Type.Optional(fields.kind),
          },
          { additionalProperties: false },
        ),
        response: { 200: MediatorDetail },
      },
    },
    async (request) => {
      const p = caller(request);
      const { version, ...input } = request.body;
      await editMediator(app.db, await ring(), p, request.params.id, version, input);
      return mediatorDetail(app.db, await ring(), p, request.params.id);
    },
  );

  app.post(
    '/api/mediators/:id/trainings',
    {
      schema: {
        tags: ['mediators'],
        summary: 'Record a training a mediator took (date, hours, course)',
        params: Type.Object({ id: Id }),
        body: Type.Object(
          {
            trainedOn: Day,
            hours: Type.Number({ exclusiveMinimum: 0, maximum: 200, multipleOf: 0.5 }),
            course: Text(200),
          },
          { additionalProperties: false },
        ),
        response: { 201: MediatorDetail },
      },
    },
    async (request, reply) => {
      const p = caller(request);
      await addTraining(app.db, p, p.name, request.params.id, request.body);
      return reply.code(201).send(await mediatorDetail(app.db, await ring(), p, request.params.id));
    },
  );

  app.post(
    '/api/mediators/:id/reveal',
    {
      schema: {
        tags: ['mediators'],
        summary: "One mediator's name in clear (audited): admins, town officers, station staff",
        params: Type.Object({ id: Id }),
        response: { 200: Type.Object({ id: Type.Integer(), name: Type.String() }) },
      },
    },
    async (request, reply) => {
      const p = caller(request);
      if (!mayRevealPersonalData(p)) throw new HttpError(403, 'Your role sees personal data masked only.');
      const out = await revealMediator(app.db, await ring(), p, request.params.id);
      // Audited before the answer leaves; identifiers only, never the name.
      await audit(app.db, p, {
        action: 'reveal-personal-data',
        targetType: 'mediator',
        targetId: out.id,
        ip: request.ip,
        detail: { mediatorId: out.id, fields: ['name'] },
      });
      reply.header('cache-control', 'no-store');
      return out;
    },
  );

  app.get(
    '/api/disputes/:id/mediators',
    {
      schema: {
        tags: ['mediators'],
        summary: 'The mediators named on a case (names masked)',
        params: Type.Object({ id: Id }),
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: CaseMediators },
      },
    },
    async (request) => caseMediators(app.db, await ring(), request.params.id),
  );

  app.put(
    '/api/disputes/:id/mediators',
    {
      schema: {
        tags: ['mediators'],
        summary: "Name a case's mediators (one or more; replaces the list): active, of the case's town or station",
        params: Type.Object({ id: Id }),
        body: Type.Object({ mediatorIds: Type.Array(Id, { maxItems: 20 }) }, { additionalProperties: false }),
        response: { 200: CaseMediators },
      },
    },
    async (request) => {
      await setCaseMediators(app.db, caller(request).name, request.params.id, request.body.mediatorIds);
      return caseMediators(app.db, await ring(), request.params.id);
    },
  );
};

export default mediators;
