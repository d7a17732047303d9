import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { SummaryResponse } from '../../contract/summary.js';
import { type TownCounts, townCounts } from '../../db/queries/summary.js';
import { kpis, sumCounts } from '../../domain/kpis.js';
import { readFromReplica } from '../../plugins/read-replicas.js';
import { disputeFilterProperties, parseDisputeFilter } from '../dispute-filter.js';

const { town, from, to, category } = disputeFilterProperties;

const summary: FastifyPluginAsyncTypebox = async (app) => {
  // The dashboard's reads: on a read replica when one is in use (server/plugins/read-replicas.ts).
  app.addHook('preHandler', readFromReplica);
  app.get(
    '/api/summary',
    {
      schema: {
        tags: ['statistics'],
        summary: 'County (or one town) KPIs with a per-town breakdown',
        description:
          "successRate = resolved ÷ found (the article's 化解率); closedSuccessRate = resolved ÷ (resolved + failed + referred); villageLevelRate = resolved at village ÷ resolved (小事不出村); townLevelRate = resolved at village or town ÷ resolved (大事不出镇).",
        querystring: Type.Object({ town, from, to, category }, { additionalProperties: false }),
        response: { 200: SummaryResponse },
      },
    },
    async (request) => {
      const filter = await parseDisputeFilter(request.readDb, request.query);
      const q = townCounts(filter);
      const { rows } = await request.readDb.query<TownCounts>(q.text, q.values);
      return {
        total: kpis(sumCounts(rows)),
        towns: rows.map((r) => ({ ...kpis(r), code: r.code, name: r.name, meanDaysToResolve: r.meanDaysToResolve })),
      };
    },
  );
};

export default summary;
