import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { caller } from '../../plugins/auth.js';
import { requestPeriod } from '../../services/assessment/period.js';
import { briefingFileName, makeBriefing } from '../../services/briefings/index.js';
import { briefingList, scheduleList, setSchedule, storedBriefing } from '../../services/briefings/scheduled.js';

const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** Briefings (专报): made on request as PDF or XLSX for a county or town and a period. */
const NoQuery = Type.Object({}, { additionalProperties: false });
const TYPES = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const briefings: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/briefings',
    {
      schema: {
        tags: ['briefings'],
        summary: 'Stored (scheduled) briefings, newest period first',
        querystring: NoQuery,
      },
    },
    async () => ({ briefings: await briefingList(app.db) }),
  );

  for (const format of ['pdf', 'xlsx'] as const) {
    app.get(
      `/api/briefings/stored/:id.${format}`,
      {
        schema: {
          tags: ['briefings'],
          summary: `A stored briefing as ${format.toUpperCase()}`,
          params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
          querystring: NoQuery,
        },
      },
      async (request, reply) => {
        const b = await storedBriefing(app.db, request.params.id, format);
        const name = `briefing-${b.scope}-${b.period.replace('..', '_')}.${format}`;
        reply.header('content-disposition', `attachment; filename="${name}"`);
        return reply.type(TYPES[format]).send(b.body);
      },
    );
  }

  app.get(
    '/api/briefing-schedules',
    {
      schema: {
        tags: ['briefings'],
        summary: 'Which counties and towns get scheduled briefings',
        querystring: NoQuery,
      },
    },
    async () => ({ schedules: await scheduleList(app.db) }),
  );

  app.put(
    '/api/briefing-schedules',
    {
      schema: {
        tags: ['briefings'],
        summary: 'Turn a weekly (Monday 08:00) or monthly (1st, 08:00) briefing of a county or town on or off',
        body: Type.Object(
          {
            scope: Type.String({ pattern: '^([0-9]{6}|[0-9]{9})$' }),
            frequency: Enum(['weekly', 'monthly'] as const),
            lang: Type.Optional(Enum(['zh-CN', 'en'] as const)),
            enabled: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) =>
      setSchedule(app.db, { ...request.body, lang: request.body.lang ?? 'zh-CN' }, caller(request).name),
  );

  for (const format of ['pdf', 'xlsx'] as const) {
    app.get(
      `/api/briefings/:period.${format}`,
      {
        schema: {
          tags: ['briefings'],
          summary:
            format === 'pdf'
              ? 'The briefing as an A4 PDF (Chinese; English with lang=en) for a week, month, quarter, year or a..b'
              : 'The briefing’s tables as XLSX',
          params: Type.Object({ period: Type.String({ maxLength: 40 }) }),
          querystring: Type.Object(
            {
              scope: Type.Optional(
                Type.String({ pattern: '^([0-9]{6}|[0-9]{9})$', description: 'county or town code' }),
              ),
              lang: Type.Optional(Enum(['zh-CN', 'en'] as const)),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const period = requestPeriod({ period: request.params.period });
        const made = await makeBriefing(app.db, {
          period,
          scope: request.query.scope,
          lang: request.query.lang ?? 'zh-CN',
          format,
        });
        reply.header('content-disposition', `attachment; filename="${briefingFileName(made.scope, period, format)}"`);
        return reply.type(TYPES[format]).send(made.body);
      },
    );
  }
};

export default briefings;
