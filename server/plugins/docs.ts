import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** OpenAPI 3 generated from the route schemas; the interactive reference is served at /docs. */
export default fp(async function docsPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Joint mediation risk map API (警司联调风险地图)',
        description:
          'Disputes (矛盾纠纷), screenings (隐患排查), stations and admin units of a county, for the dashboard and other systems. Coordinates are WGS-84 longitude/latitude. Demo data is synthetic.',
        version: '0.1.0',
      },
      tags: [
        { name: 'system' },
        { name: 'geography' },
        { name: 'stations' },
        {
          name: 'coverage',
          description:
            'Service areas of joint mediation rooms by straight-line distance on geography, gaps per town, and a greedy maximal-coverage gap finder.',
        },
        { name: 'disputes' },
        { name: 'statistics' },
        { name: 'tiles' },
        {
          name: 'uploads',
          description:
            'Screening uploads (CSV, XLSX, GeoJSON) as batches: per-row report, all-or-nothing mode, Idempotency-Key, templates.',
        },
        {
          name: 'screenings',
          description:
            'Screenings (隐患排查) from the phone form, and screening rounds with the state of each village.',
        },
        {
          name: 'cases',
          description:
            'Case workflow (issue 7): register, transitions, handoffs between police and judicial office, agreements, reopen, figures. Parties are masked.',
        },
        {
          name: 'export',
          description:
            'Streamed downloads (GeoJSON, newline-delimited GeoJSON, CSV) with the dashboard filters. No personal data of the parties, no case summaries.',
        },
        {
          name: 'ogc',
          description:
            'OGC API – Features (Part 1 Core + GeoJSON) at /ogc, for GDAL (OAPIF:), QGIS and other GIS clients. No personal data of the parties, no case summaries.',
        },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
});
