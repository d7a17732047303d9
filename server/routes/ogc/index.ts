import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { inScope } from '../../auth/roles.js';
import type { Db } from '../../db/index.js';
import {
  type Dataset,
  type DatasetName,
  datasetCount,
  datasetNames,
  datasets,
  type ExportFilter,
  featureById,
  featurePage,
} from '../../db/queries/export.js';
import { collectionExtent, itemPlace } from '../../db/queries/ogc.js';
import { disputeCategories, disputeStatuses } from '../../domain/vocabulary.js';
import { assertInScope, caller, scopedTown } from '../../plugins/auth.js';
import { HttpError } from '../../plugins/errors.js';
import { readFromReplica } from '../../plugins/read-replicas.js';
import { disputeFilterProperties, parseDisputeFilter } from '../dispute-filter.js';
import { PRECISION_NOTE, parsePrecision, precisionProperties } from '../export/precision.js';
import { listParam } from '../params.js';
import { GeoJsonBody } from '../schemas.js';
import { parseDatetime, parseOgcBbox } from './params.js';

/**
 * OGC API – Features – Part 1: Core, with the GeoJSON and OpenAPI 3.0 conformance classes, at /ogc: what GDAL
 * (`OAPIF:`), QGIS ("WFS / OGC API – Features") and ArcGIS open. Coordinates are CRS84 (lon, lat). Same data,
 * same exclusions as the exports: no parties, no case summaries.
 */
export const OGC_DEFAULT_LIMIT = 100;
export const OGC_MAX_LIMIT = 10_000;

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const conformanceClasses = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

const JSON_TYPE = 'application/json';
const GEOJSON_TYPE = 'application/geo+json';

interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

const OgcBody = Type.Unsafe<unknown>({
  type: 'object',
  additionalProperties: true,
  description: 'OGC API – Features JSON',
});

function collectionOf(id: string): Dataset {
  if (!(datasetNames as readonly string[]).includes(id)) {
    throw new HttpError(404, `collection '${id}' not found; collections: ${datasetNames.join(', ')}`);
  }
  return datasets[id as DatasetName];
}

const disputeItemFilters = {
  town: disputeFilterProperties.town,
  village: disputeFilterProperties.village,
  status: Type.Optional(listParam('disputes only: statuses, or the groups open / closed', disputeStatuses)),
  category: Type.Optional(listParam('disputes only: dispute categories', disputeCategories)),
};

const ogc: FastifyPluginAsyncTypebox = async (app) => {
  // The dashboard's reads: on a read replica when one is in use (server/plugins/read-replicas.ts).
  app.addHook('preHandler', readFromReplica);
  // Extents scan whole tables: kept for a minute (they change slowly, and clients ask for /collections often).
  const extents = new Map<DatasetName, { at: number; value: unknown }>();
  async function extentOf(db: Db, ds: Dataset) {
    const hit = extents.get(ds.name);
    if (hit && Date.now() - hit.at < 60_000) return hit.value;
    const q = collectionExtent(ds);
    const { rows } = await db.query<{
      xmin: number | null;
      ymin: number | null;
      xmax: number | null;
      ymax: number | null;
      t0?: string | null;
      t1?: string | null;
    }>(q.text, q.values);
    const r = rows[0];
    const value: Record<string, unknown> = {
      spatial: {
        bbox: [r && r.xmin !== null ? [r.xmin, r.ymin, r.xmax, r.ymax] : [-180, -90, 180, 90]],
        crs: CRS84,
      },
    };
    if (ds.temporal) {
      value.temporal = {
        interval: [[r?.t0 ?? null, r?.t1 ?? null]],
        trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
      };
    }
    extents.set(ds.name, { at: Date.now(), value });
    return value;
  }

  async function collectionBody(request: FastifyRequest, ds: Dataset) {
    const base = `${baseUrl(request)}/ogc/collections/${ds.name}`;
    return {
      id: ds.name,
      title: ds.title,
      description: ds.description,
      itemType: 'feature',
      crs: [CRS84],
      storageCrs: CRS84,
      extent: await extentOf(request.readDb, ds),
      links: [
        { href: base, rel: 'self', type: JSON_TYPE, title: 'this collection' },
        { href: `${base}/items`, rel: 'items', type: GEOJSON_TYPE, title: `${ds.name} as GeoJSON` },
        {
          href: `${baseUrl(request)}/api/export/${ds.name}.csv`,
          rel: 'enclosure',
          type: 'text/csv',
          title: 'the whole collection as CSV',
        },
      ] satisfies Link[],
    };
  }

  const common = { tags: ['ogc'] };
  const fParam = { f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson')])) };

  app.get(
    '/ogc',
    {
      schema: {
        ...common,
        summary: 'OGC API – Features landing page',
        querystring: Type.Object(fParam, { additionalProperties: false }),
        response: { 200: OgcBody },
      },
    },
    async (request, reply) => {
      const base = baseUrl(request);
      const links: Link[] = [
        { href: `${base}/ogc`, rel: 'self', type: JSON_TYPE, title: 'this document' },
        {
          href: `${base}/docs/json`,
          rel: 'service-desc',
          type: 'application/vnd.oai.openapi+json;version=3.0',
          title: 'the API definition',
        },
        { href: `${base}/docs`, rel: 'service-doc', type: 'text/html', title: 'the API documentation' },
        { href: `${base}/ogc/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'conformance classes' },
        {
          href: `${base}/ogc/conformance`,
          rel: 'http://www.opengis.net/def/rel/ogc/1.0/conformance',
          type: JSON_TYPE,
          title: 'conformance classes',
        },
        { href: `${base}/ogc/collections`, rel: 'data', type: JSON_TYPE, title: 'the feature collections' },
        {
          href: `${base}/ogc/collections`,
          rel: 'http://www.opengis.net/def/rel/ogc/1.0/data',
          type: JSON_TYPE,
          title: 'the feature collections',
        },
      ];
      return reply.type(JSON_TYPE).send({
        title: 'Lixian joint mediation risk map (澧县警司联调风险地图)',
        description:
          'Disputes, screenings, stations and administrative units of the county as OGC API – Features. ' +
          'No personal data of the parties and no case summaries.',
        links,
      });
    },
  );

  app.get(
    '/ogc/conformance',
    {
      schema: {
        ...common,
        summary: 'Conformance classes',
        querystring: Type.Object(fParam, { additionalProperties: false }),
        response: { 200: OgcBody },
      },
    },
    async (_request, reply) => reply.type(JSON_TYPE).send({ conformsTo: conformanceClasses }),
  );

  app.get(
    '/ogc/collections',
    {
      schema: {
        ...common,
        summary: 'The feature collections',
        querystring: Type.Object(fParam, { additionalProperties: false }),
        response: { 200: OgcBody },
      },
    },
    async (request, reply) => {
      const collections = [];
      for (const name of datasetNames) collections.push(await collectionBody(request, datasets[name]));
      return reply.type(JSON_TYPE).send({
        links: [{ href: `${baseUrl(request)}/ogc/collections`, rel: 'self', type: JSON_TYPE, title: 'this document' }],
        collections,
      });
    },
  );

  const CollectionParams = Type.Object({
    collectionId: Type.String({ description: `one of: ${datasetNames.join(', ')}` }),
  });

  app.get(
    '/ogc/collections/:collectionId',
    {
      schema: {
        ...common,
        summary: 'One feature collection',
        params: CollectionParams,
        querystring: Type.Object(fParam, { additionalProperties: false }),
        response: { 200: OgcBody },
      },
    },
    async (request, reply) =>
      reply.type(JSON_TYPE).send(await collectionBody(request, collectionOf(request.params.collectionId))),
  );

  app.get(
    '/ogc/collections/:collectionId/items',
    {
      schema: {
        ...common,
        summary: 'Features of a collection (GeoJSON), filtered by bbox and datetime, paged with next links',
        description:
          `limit is clamped to ${OGC_MAX_LIMIT}. datetime is an RFC 3339 instant or interval (start/end, .. for an ` +
          'open end; a bare date means that whole day in China Standard Time). Disputes also take the dashboard ' +
          'filters town, village, status, category.' +
          PRECISION_NOTE,
        params: CollectionParams,
        querystring: Type.Object(
          {
            ...fParam,
            bbox: Type.Optional(
              Type.String({ description: 'minLon,minLat,maxLon,maxLat (or 6 numbers with heights), CRS84' }),
            ),
            datetime: Type.Optional(Type.String({ examples: ['2024-01-01T00:00:00Z/..', '2024-03-01/2024-03-31'] })),
            limit: Type.Optional(Type.Integer({ minimum: 1, default: OGC_DEFAULT_LIMIT })),
            offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0 })),
            ...disputeItemFilters,
            ...precisionProperties,
          },
          { additionalProperties: false },
        ),
        response: { 200: { description: 'GeoJSON', content: { 'application/geo+json': { schema: GeoJsonBody } } } },
      },
    },
    async (request, reply) => {
      const ds = collectionOf(request.params.collectionId);
      const {
        bbox,
        datetime,
        limit: askedLimit = OGC_DEFAULT_LIMIT,
        offset = 0,
        f: _f,
        precision,
        gridM,
        ...rest
      } = request.query;
      const limit = Math.min(askedLimit, OGC_MAX_LIMIT);
      const filter: ExportFilter = { precision: parsePrecision(request.principal, { precision, gridM }) };
      const box = parseOgcBbox('bbox', bbox);
      const interval = parseDatetime('datetime', datetime);
      // Scope ('route' in the access policy): a town-limited caller gets their town's disputes and screenings only;
      // asking for another town or village is 404.
      const who = caller(request);
      if (ds.name === 'disputes') {
        if (rest.village) assertInScope(who, rest.village, 'village');
        const town = rest.village && !rest.town ? undefined : scopedTown(who, rest.town);
        filter.dispute = await parseDisputeFilter(request.readDb, { ...rest, town, bbox: box?.join(',') });
      } else {
        const extra = Object.keys(rest).find((k) => rest[k as keyof typeof rest] !== undefined);
        if (extra) throw new HttpError(400, `${extra}: is only a filter of the disputes collection`, extra);
        if (box) filter.bbox = box;
        const town = ds.name === 'screenings' ? scopedTown(who, undefined) : undefined;
        if (town) filter.town = town;
      }
      if (interval) filter.datetime = interval;
      const c = datasetCount(ds, filter);
      const p = featurePage(ds, filter, limit, offset);
      const matched = (await request.readDb.query<{ n: number }>(c.text, c.values)).rows[0]?.n ?? 0;
      const { rows } = await request.readDb.query<{ f: string }>(p.text, p.values);

      const base = `${baseUrl(request)}/ogc/collections/${ds.name}`;
      const pageUrl = (o: number) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(request.query)) {
          if (v !== undefined && k !== 'offset' && k !== 'limit') params.set(k, String(v));
        }
        params.set('limit', String(limit));
        params.set('offset', String(o));
        return `${base}/items?${params.toString()}`;
      };
      const links: Link[] = [
        { href: pageUrl(offset), rel: 'self', type: GEOJSON_TYPE, title: 'this page' },
        { href: base, rel: 'collection', type: JSON_TYPE, title: 'the collection' },
      ];
      if (offset + rows.length < matched) {
        links.push({ href: pageUrl(offset + limit), rel: 'next', type: GEOJSON_TYPE, title: 'next page' });
      }
      if (offset > 0) {
        links.push({
          href: pageUrl(Math.max(0, offset - limit)),
          rel: 'prev',
          type: GEOJSON_TYPE,
          title: 'previous page',
        });
      }
      // Features are JSON text from SQL: spliced into the envelope, never parsed again.
      const body =
        `{"type":"FeatureCollection","numberMatched":${matched},"numberReturned":${rows.length},` +
        `"timeStamp":"${new Date().toISOString()}","links":${JSON.stringify(links)},` +
        `"features":[${rows.map((r) => r.f).join(',')}]}`;
      return reply.type(GEOJSON_TYPE).send(body);
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items/:featureId',
    {
      schema: {
        ...common,
        summary: 'One feature (GeoJSON)',
        description: `Disputes and screenings: location precision as for items.${PRECISION_NOTE}`,
        params: Type.Object({ collectionId: Type.String(), featureId: Type.String() }),
        querystring: Type.Object({ ...fParam, ...precisionProperties }, { additionalProperties: false }),
        response: { 200: { description: 'GeoJSON', content: { 'application/geo+json': { schema: GeoJsonBody } } } },
      },
    },
    async (request, reply) => {
      const ds = collectionOf(request.params.collectionId);
      const raw = request.params.featureId;
      const notFound = () => new HttpError(404, `feature '${raw}' not found in collection ${ds.name}`);
      let id: string | number = raw;
      if (ds.keyType === 'integer') {
        if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw notFound();
        id = Number(raw);
      }
      const p = caller(request);
      if (p.towns !== null && (ds.name === 'disputes' || ds.name === 'screenings')) {
        const place = itemPlace(ds.name === 'disputes' ? 'disputes' : 'screenings', id);
        const { rows: at } = await request.readDb.query<{ town_code: string; station_id: number | null }>(
          place.text,
          place.values,
        );
        const row = at[0];
        const ownStation = row?.station_id != null && p.stationId !== null && Number(row.station_id) === p.stationId;
        if (!row || !(inScope(p, row.town_code) || ownStation)) throw notFound();
      }
      const q = featureById(ds, id, parsePrecision(request.principal, request.query));
      const { rows } = await request.readDb.query<{ f: string }>(q.text, q.values);
      if (!rows[0]) throw notFound();
      const base = `${baseUrl(request)}/ogc/collections/${ds.name}`;
      const links: Link[] = [
        { href: `${base}/items/${encodeURIComponent(raw)}`, rel: 'self', type: GEOJSON_TYPE, title: 'this feature' },
        { href: base, rel: 'collection', type: JSON_TYPE, title: 'the collection' },
      ];
      // Insert the links member into the feature's JSON text.
      const body = `${rows[0].f.replace(/}\s*$/, '')},"links":${JSON.stringify(links)}}`;
      return reply.type(GEOJSON_TYPE).send(body);
    },
  );
};

export default ogc;
