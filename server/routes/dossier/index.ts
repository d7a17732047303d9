import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { audit } from '../../auth/audit.js';
import { mayRevealPersonalData } from '../../auth/roles.js';
import { CaseDossier } from '../../contract/people.js';
import { personalDataKeyring } from '../../db/keys.js';
import { dossierItems, dossierStates } from '../../domain/dossier/checklist.js';
import { confirmationResults } from '../../domain/dossier/confirmation.js';
import { documentKinds } from '../../domain/dossier/documents.js';
import { caller } from '../../plugins/auth.js';
import { HttpError } from '../../plugins/errors.js';
import {
  caseDocument,
  caseDossier,
  completenessBy,
  markDossierItem,
  setConfirmation,
} from '../../services/dossier/index.js';

const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Town = Type.String({ pattern: '^[0-9]{9}$' });
const Day = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** The case dossier (卷宗), judicial confirmation and the documents generated from a case (issue 18). */
const dossier: FastifyPluginAsyncTypebox = async (app) => {
  const ring = () => personalDataKeyring(app.db, app.config);

  app.get(
    '/api/disputes/:id/dossier',
    {
      schema: {
        tags: ['dossier'],
        summary:
          "A case's dossier checklist in the ministry's order, completeness, judicial confirmation and its window",
        params: Type.Object({ id: Id }),
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: CaseDossier },
      },
    },
    async (request) => caseDossier(app.db, request.params.id),
  );

  app.put(
    '/api/disputes/:id/dossier',
    {
      schema: {
        tags: ['dossier'],
        summary: 'Mark one dossier item present, missing or not applicable (null: back to what the data says)',
        params: Type.Object({ id: Id }),
        body: Type.Object(
          { item: Enum(dossierItems), state: Type.Union([Enum(dossierStates), Type.Null()]) },
          { additionalProperties: false },
        ),
        response: { 200: CaseDossier },
      },
    },
    async (request) => {
      await markDossierItem(app.db, caller(request).name, request.params.id, request.body.item, request.body.state);
      return caseDossier(app.db, request.params.id);
    },
  );

  app.put(
    '/api/disputes/:id/judicial-confirmation',
    {
      schema: {
        tags: ['dossier'],
        summary: "Record the judicial confirmation of a resolved case's agreement: applied on, court, result, date",
        params: Type.Object({ id: Id }),
        body: Type.Object(
          {
            appliedOn: Day,
            court: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000]*$' }),
            result: Enum(confirmationResults),
            decidedOn: Type.Optional(Day),
            version: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: CaseDossier },
      },
    },
    async (request) => {
      await setConfirmation(app.db, caller(request).name, request.params.id, request.body);
      return caseDossier(app.db, request.params.id);
    },
  );

  app.get(
    '/api/disputes/:id/document',
    {
      schema: {
        tags: ['dossier'],
        summary: "The people's mediation agreement or mediation record of a case, as DOCX or PDF",
        description:
          'In the ministry’s layout, numbered （年份）澧人调字第N号, signatures blank. Parties are masked; ' +
          '`revealParty` shows one party in clear for the roles that may reveal personal data, with an audit row.',
        params: Type.Object({ id: Id }),
        querystring: Type.Object(
          {
            kind: Type.Optional(Enum(documentKinds)),
            format: Type.Optional(Enum(['docx', 'pdf'] as const)),
            revealParty: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const p = caller(request);
      const { kind = 'agreement', format = 'docx', revealParty } = request.query;
      if (revealParty !== undefined && !mayRevealPersonalData(p)) {
        throw new HttpError(403, 'Your role sees personal data masked only.');
      }
      const doc = await caseDocument(app.db, await ring(), request.params.id, {
        kind,
        format,
        revealPartyId: revealParty,
      });
      if (revealParty !== undefined) {
        await audit(app.db, p, {
          action: 'reveal-personal-data',
          targetType: 'party',
          targetId: revealParty,
          ip: request.ip,
          detail: { disputeId: request.params.id, partyId: revealParty, document: kind, format },
        });
      }
      reply
        .header('content-type', doc.contentType)
        .header('content-disposition', `attachment; filename="${doc.fileName}"`)
        .header('cache-control', 'no-store');
      return reply.send(doc.body);
    },
  );

  app.get(
    '/api/dossier/completeness',
    {
      schema: {
        tags: ['dossier'],
        summary: "Completeness of resolved cases' dossiers per town or handling station (default: the last 365 days)",
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
      return completenessBy(app.db, by, town, from, to);
    },
  );
};

export default dossier;
