import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type TSchema } from 'typebox';
import type { Queryable } from '../../db/index.js';
import { type DatasetName, datasets, type ExportFilter } from '../../db/queries/export.js';
import { adminLevels, stationKinds } from '../../domain/vocabulary.js';
import { badRequest } from '../../plugins/errors.js';
import { readFromReplica } from '../../plugins/read-replicas.js';
import { disputeFilterProperties, parseDisputeFilter } from '../dispute-filter.js';
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
import { GeoJsonBody } from '../schemas.js';
import { PRECISION_NOTE, parsePrecision, precisionProperties } from './precision.js';
import { downloadName, type ExportFormat, exportFormats, exportStream, mediaTypes } from './stream.js';

type Query = Record<string, string | undefined>;

/** Each dataset's filters: the same names and meanings as the dashboard's wherever they apply. */
const filters: Record<
  DatasetName,
  { properties: Record<string, TSchema>; parse: (db: Queryable, q: Query) => Promise<ExportFilter> }
> = {
  disputes: {
    properties: disputeFilterProperties,
    parse: async (db, q) => ({ dispute: await parseDisputeFilter(db, q) }),
  },
  screenings: {
    properties: {
      town: Type.Optional(TownCode),
      village: Type.Optional(VillageCode),
      from: Type.Optional(DateParam),
      to: Type.Optional(DateParam),
      bbox: Type.Optional(BboxParam),
    },
    parse: async (db, q) => {
      const { from, to } = parseDateRange(q.from, q.to);
      await assertAdminUnit(db, 'town', q.town, 'town');
      await assertAdminUnit(db, 'village', q.village, 'village');
      if (q.town && q.village && !q.village.startsWith(q.town)) {
        throw badRequest('village', `village ${q.village} is not in town ${q.town}`);
      }
      return compact({ town: q.town, village: q.village, from, to, bbox: parseBbox('bbox', q.bbox) });
    },
  },
  stations: {
    properties: {
      town: Type.Optional(TownCode),
      kind: Type.Optional(listParam('station kinds', stationKinds)),
      bbox: Type.Optional(BboxParam),
    },
    parse: async (db, q) => {
      await assertAdminUnit(db, 'town', q.town, 'town');
      return compact({ town: q.town, kinds: parseList('kind', q.kind, stationKinds), bbox: parseBbox('bbox', q.bbox) });
    },
  },
  'admin-units': {
    properties: {
      level: Type.Optional(Type.Union(adminLevels.map((l) => Type.Literal(l)))),
      parent: Type.Optional(Type.String({ pattern: '^[0-9]{6}([0-9]{3})?$', description: 'parent unit code' })),
      bbox: Type.Optional(BboxParam),
    },
    parse: async (_db, q) =>
      compact({
        level: q.level as ExportFilter['level'],
        parent: q.parent,
        bbox: parseBbox('bbox', q.bbox),
      }),
  },
};

/** Drops undefined members (the filter types are exact optional properties). */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const formatText: Record<ExportFormat, string> = {
  geojson: 'a GeoJSON FeatureCollection (RFC 7946)',
  ndjson: 'newline-delimited GeoJSON: one Feature per line',
  csv: "CSV (UTF-8 with BOM for Excel, CRLF; text cells that a spreadsheet would run as a formula start with ')",
};

const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The dashboard's reads: on a read replica when one is in use (server/plugins/read-replicas.ts).
  app.addHook('preHandler', readFromReplica);
  for (const name of Object.keys(datasets) as DatasetName[]) {
    const ds = datasets[name];
    const f = filters[name];
    for (const format of exportFormats) {
      app.get(
        `/api/export/${name}.${format}`,
        {
          schema: {
            tags: ['export'],
            summary: `Export ${name} as ${format}`,
            description:
              `${ds.description} Streamed as ${formatText[format]}, as a download (Content-Disposition), ` +
              'ordered by id. Contains no personal data of the parties and no case summaries.' +
              (ds.villagePoint ? PRECISION_NOTE : ''),
            querystring: Type.Object(
              { ...f.properties, ...(ds.villagePoint ? precisionProperties : {}) },
              { additionalProperties: false },
            ),
            response: {
              200: {
                description: `${formatText[format]}, streamed`,
                content: {
                  [mediaTypes[format].split(';')[0] as string]: {
                    schema: format === 'csv' ? { type: 'string' } : GeoJsonBody,
                  },
                },
              },
            },
          },
        },
        async (request, reply) => {
          const { precision, gridM, ...q } = request.query as Query & { gridM?: number };
          const filter = await f.parse(request.readDb, q);
          if (ds.villagePoint) {
            filter.precision = parsePrecision(request.principal, {
              precision: precision as 'exact' | 'village' | 'grid' | undefined,
              gridM,
            });
          }
          const body = await exportStream(request.readDb, ds, filter, format);
          return reply
            .type(mediaTypes[format])
            .header('content-disposition', `attachment; filename="${downloadName(ds, format)}"`)
            .header('cache-control', 'no-store')
            .send(body);
        },
      );
    }
  }
};

export default exportRoutes;
