import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requestPeriod } from '../../services/assessment/period.js';
import { briefingFileName, makeBriefing } from '../../services/briefings/index.js';

const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** Briefings (专报): made on request as PDF or XLSX for a county or town and a period. */
const briefings: FastifyPluginAsyncTypebox = async (app) => {
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
        return reply
          .type(
            format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .send(made.body);
      },
    );
  }
};

export default briefings;
