import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { assessmentBys } from '../../db/queries/assessment.js';
import { indicatorKeys } from '../../domain/assessment/indicators.js';
import { caller } from '../../plugins/auth.js';
import { assessmentCsv, assessmentXlsx } from '../../services/assessment/export.js';
import { addStandard, assess, standards } from '../../services/assessment/index.js';
import { requestPeriod } from '../../services/assessment/period.js';

const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Query = Type.Object(
  {
    period: Type.Optional(Type.String({ maxLength: 40, description: '2023-W20, 2023-05, 2023-Q2, 2023 or a..b' })),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    by: Type.Optional(Enum(assessmentBys)),
    county: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'limit to one county (code)' })),
    lang: Type.Optional(Enum(['zh-CN', 'en'] as const)),
  },
  { additionalProperties: false },
);
const Indicator = Type.Object(
  {
    key: Enum(indicatorKeys),
    weight: Type.Number(),
    target: Type.Number(),
    floor: Type.Number(),
  },
  { additionalProperties: false },
);
const StandardBody = Type.Object(
  {
    validFrom: Day,
    minCases: Type.Integer(),
    indicators: Type.Array(Indicator, { maxItems: indicatorKeys.length * 2 }),
  },
  { additionalProperties: false },
);

/** The assessment (考核): rankings of towns, joint mediation rooms and stations; the versioned standard. */
const assessment: FastifyPluginAsyncTypebox = async (app) => {
  const run = (q: {
    period?: string;
    from?: string;
    to?: string;
    by?: (typeof assessmentBys)[number];
    county?: string;
  }) => assess(app.db, { by: q.by ?? 'town', period: requestPeriod(q), county: q.county });

  app.get(
    '/api/assessment',
    {
      schema: {
        tags: ['assessment'],
        summary: 'Scores and ranks per town, joint mediation room or station for a period, with each indicator',
        querystring: Query,
      },
    },
    async (request) => run(request.query),
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/assessment.${format}`,
      {
        schema: { tags: ['assessment'], summary: `The ranking as ${format.toUpperCase()}`, querystring: Query },
      },
      async (request, reply) => {
        const a = await run(request.query);
        const lang = request.query.lang ?? 'zh-CN';
        const name = `assessment-${a.by}-${a.period.key.replace('..', '_')}.${format}`;
        reply.header('content-disposition', `attachment; filename="${name}"`);
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(assessmentCsv(a, lang));
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .send(await assessmentXlsx(a, lang));
      },
    );
  }

  app.get(
    '/api/assessment/standards',
    {
      schema: {
        tags: ['assessment'],
        summary: 'Every version of the assessment standard, oldest first',
        querystring: Type.Object({}, { additionalProperties: false }),
      },
    },
    async () => ({ standards: await standards(app.db) }),
  );

  app.post(
    '/api/assessment/standards',
    {
      schema: {
        tags: ['assessment'],
        summary: 'Add a version of the standard (weights sum to 100), in force from validFrom (today or later)',
        body: StandardBody,
      },
    },
    async (request, reply) => {
      const who = caller(request);
      const saved = await app.db.transaction((tx) => addStandard(tx, request.body, who.name));
      return reply.code(201).send(saved);
    },
  );
};

export default assessment;
