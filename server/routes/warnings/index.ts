import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { audit } from '../../auth/audit.js';
import {
  WarningCollection,
  WarningDetail,
  WarningEvaluation,
  WarningList,
  WarningRule,
  WarningRules,
} from '../../contract/warnings.js';
import { personalDataKeyring } from '../../db/keys.js';
import { disputeCategories } from '../../domain/vocabulary.js';
import { ruleCodes } from '../../domain/warnings/rules.js';
import { warningStatuses } from '../../domain/warnings/status.js';
import { caller, scopedTown } from '../../plugins/auth.js';
import { badRequest } from '../../plugins/errors.js';
import {
  actOnWarning,
  evaluateAll,
  getWarning,
  listRules,
  listWarnings,
  scopeOf,
  updateRuleSettings,
  warningsGeoJson,
} from '../../services/warnings/index.js';
import { assertAdminUnit } from '../lookups.js';
import {
  BboxParam,
  DateParam,
  listParam,
  parseBbox,
  parseDateRange,
  parseList,
  TownCode,
  VillageCode,
} from '../params.js';

const tags = ['warnings'];
const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const IdParams = Type.Object({ id: Id });
const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/**
 * The map layer is GeoJSON built in SQL, sent as text: Fastify sends it as it is, so the route's response schema
 * (server/contract/warnings.ts) documents it without re-serialising it.
 */
function sendGeoJson(reply: FastifyReply, text: string) {
  return reply.type('application/geo+json').send(text);
}

const warnings: FastifyPluginAsyncTypebox = async (app) => {
  const ring = () => personalDataKeyring(app.db, app.config);
  app.get(
    '/api/warnings',
    {
      schema: {
        tags,
        summary: 'Early warnings in the caller’s scope, newest first, with totals by rule and status',
        description:
          'Filters: rule, status, town, village, period (the key a warning is raised once per, e.g. 2023-05, 2023-W20, case), and the dashboard’s category (case warnings only), from / to (day raised, China time) and bbox. format=geojson gives the map layer (points).',
        querystring: Type.Object(
          {
            rule: Type.Optional(listParam('rule codes', ruleCodes)),
            status: Type.Optional(listParam('warning statuses', warningStatuses)),
            town: Type.Optional(TownCode),
            village: Type.Optional(VillageCode),
            period: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z:-]{1,40}$' })),
            category: Type.Optional(listParam('dispute categories', disputeCategories)),
            from: Type.Optional(DateParam),
            to: Type.Optional(DateParam),
            bbox: Type.Optional(BboxParam),
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson')])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The page of warnings (json), or the map layer (geojson)',
            content: {
              'application/json': { schema: WarningList },
              'application/geo+json': { schema: WarningCollection },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const me = caller(request);
      const { from, to } = parseDateRange(q.from, q.to);
      await assertAdminUnit(app.db, 'town', q.town, 'town');
      await assertAdminUnit(app.db, 'village', q.village, 'village');
      if (q.town && q.village && !q.village.startsWith(q.town)) {
        throw badRequest('village', `village ${q.village} is not in town ${q.town}`);
      }
      // A scoped caller asking for another town or village: 404, as if it did not exist.
      const town = q.town !== undefined || me.towns === null ? scopedTown(me, q.town) : undefined;
      if (q.village !== undefined) scopedTown(me, q.village, 'village');
      const filter = {
        rules: parseList('rule', q.rule, ruleCodes),
        statuses: parseList('status', q.status, warningStatuses),
        town,
        village: q.village,
        period: q.period,
        categories: parseList('category', q.category, disputeCategories),
        from,
        to,
        bbox: parseBbox('bbox', q.bbox),
      };
      if (q.format === 'geojson') {
        const body = await warningsGeoJson(app.db, filter, scopeOf(me), q.limit ?? 5000);
        return sendGeoJson(reply, body);
      }
      return listWarnings(app.db, await ring(), filter, scopeOf(me), q.limit ?? 50, q.offset ?? 0);
    },
  );

  app.get(
    '/api/warnings/rules',
    {
      schema: {
        tags,
        summary: 'The warning rules: definitions (zh-CN, en), thresholds in force, their limits',
        response: { 200: WarningRules },
      },
    },
    async () => ({ rules: await listRules(app.db) }),
  );

  app.put(
    '/api/warnings/rules/:code',
    {
      schema: {
        tags,
        summary: 'Change a rule’s thresholds or switch it off (county administrator); versioned',
        params: Type.Object({ code: Type.String({ maxLength: 64 }) }),
        body: Type.Object(
          {
            version: Version,
            enabled: Type.Optional(Type.Boolean()),
            // Checked key by key against the rule's limits by the service, which names the key.
            thresholds: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown())),
          },
          { additionalProperties: false },
        ),
        response: { 200: WarningRule },
      },
    },
    async (request) => updateRuleSettings(app.db, caller(request), request.params.code, request.body),
  );

  app.post(
    '/api/warnings/evaluate',
    {
      schema: {
        tags,
        summary: 'Evaluate every rule over the county now (also the scheduler’s job)',
        response: { 200: WarningEvaluation },
      },
    },
    async (request) => {
      const r = await evaluateAll(app.db);
      await audit(app.db, caller(request), {
        action: 'warning.evaluate',
        detail: { raised: r.raised.length, fired: r.fired },
      });
      return { raised: r.raised.length, fired: r.fired, period: r.period };
    },
  );

  app.get(
    '/api/warnings/:id',
    {
      schema: {
        tags,
        summary: 'One warning with its evidence and what can be done with it',
        params: IdParams,
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: WarningDetail },
      },
    },
    async (request) => getWarning(app.db, await ring(), request.params.id, scopeOf(caller(request))),
  );

  const act = (to: 'acknowledged' | 'dismissed') =>
    ({
      schema: {
        tags,
        summary: to === 'acknowledged' ? 'Acknowledge a warning (versioned)' : 'Dismiss a warning with a reason',
        params: IdParams,
        body: Type.Object(
          {
            version: Version,
            ...(to === 'dismissed'
              ? { reason: Type.String({ minLength: 1, maxLength: 2000 }) }
              : { note: Type.Optional(Type.String({ maxLength: 2000 })) }),
          },
          { additionalProperties: false },
        ),
        response: { 200: WarningDetail },
      },
    }) as const;

  app.post('/api/warnings/:id/acknowledge', act('acknowledged'), async (request) => {
    const body = request.body as { version: number };
    return actOnWarning(app.db, await ring(), caller(request), request.params.id, {
      version: body.version,
      to: 'acknowledged',
    });
  });
  app.post('/api/warnings/:id/dismiss', act('dismissed'), async (request) => {
    const body = request.body as { version: number; reason: string };
    return actOnWarning(app.db, await ring(), caller(request), request.params.id, {
      version: body.version,
      to: 'dismissed',
      reason: body.reason,
    });
  });
};

export default warnings;
