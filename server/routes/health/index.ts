import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { asOfLocal, versions } from '../../db/queries/health.js';

const Health = Type.Object({
  status: Type.Literal('ok'),
  backend: Type.Union([Type.Literal('embedded'), Type.Literal('postgis')]),
  postgres: Type.String(),
  postgis: Type.String(),
  reads: Type.Object(
    {
      maxLagS: Type.Number({ description: 'DATABASE_READ_MAX_LAG_S: a replica further behind is skipped' }),
      replicas: Type.Array(
        Type.Object({
          id: Type.String({ description: 'replica-1, replica-2, … in the order of DATABASE_READ_URL' }),
          inUse: Type.Boolean(),
          reason: Type.Union([Type.String(), Type.Null()], { description: 'why it is skipped' }),
          lagS: Type.Union([Type.Number(), Type.Null()], { description: 'seconds behind at the last check' }),
        }),
      ),
    },
    {
      description:
        "Read replicas (DATABASE_READ_URL): which serve the dashboard's reads and why others are skipped; " +
        'with none in use, every read goes to the primary',
    },
  ),
});

const AppConfig = Type.Object({
  basemapUrl: Type.Union([Type.String(), Type.Null()]),
  basemapAttribution: Type.Union([Type.String(), Type.Null()]),
  dataPeriod: Type.Object({ from: Type.String(), to: Type.String() }),
  asOf: Type.String({ description: 'the day ages and overdue limits are measured to (ISO 8601)' }),
  demo: Type.Boolean(),
});

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness, which database backend runs, and which read replicas are in use',
        response: { 200: Health },
      },
    },
    async () => {
      const v = versions();
      const { rows } = await app.db.query<{ postgres: string; postgis: string }>(v.text, v.values);
      const row = rows[0] ?? { postgres: 'unknown', postgis: 'unknown' };
      const reads = { maxLagS: app.config.reads.maxLagS, replicas: await app.readRouter.report() };
      return { status: 'ok' as const, backend: app.db.backend, postgres: row.postgres, postgis: row.postgis, reads };
    },
  );

  app.get(
    '/api/config',
    { schema: { tags: ['system'], summary: 'Settings the web app reads at start', response: { 200: AppConfig } } },
    async () => {
      const a = asOfLocal();
      const { rows } = await app.db.query<{ as_of: string }>(a.text, a.values);
      return {
        basemapUrl: app.config.basemapUrl,
        basemapAttribution: app.config.basemapAttribution,
        // The demo county reproduces the source article, which covers 2018-01-01 → 2023-05-17.
        dataPeriod: { from: '2018-01-01', to: '2023-05-17' },
        asOf: rows[0]?.as_of ?? new Date().toISOString(),
        demo: true,
      };
    },
  );
};

export default health;
