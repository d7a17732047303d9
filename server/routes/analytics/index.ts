import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import {
  CaseHistoryResponse,
  CategoriesResponse,
  DensityResponse,
  EmergingResponse,
  HotspotsResponse,
  MonthlyResponse,
  ResolutionLevelsResponse,
  UnitsResponse,
  UnresolvedResponse,
  WeekdayHourResponse,
} from '../../contract/analytics.js';
import {
  asOf,
  caseHistory,
  categoryMix,
  monthlyEvents,
  unitCounts,
  unresolvedCases,
  weekdayHour,
} from '../../db/queries/analytics.js';
import { kpis } from '../../domain/kpis.js';
import { hotspotCollection } from '../../domain/stats/hex-geojson.js';
import { cellCentre, cellRing, cellSizeForZoom, STORED_ORIGIN, snapCellSize } from '../../domain/stats/hexgrid.js';
import { monthlySeries } from '../../domain/stats/months.js';
import { disputeCategories } from '../../domain/vocabulary.js';
import { badRequest, notFound } from '../../plugins/errors.js';
import { readFromReplica } from '../../plugins/read-replicas.js';
import {
  computeEmerging,
  computeHotspots,
  hexCounts,
  NEIGHBOURHOOD,
  studyArea,
} from '../../services/analytics/index.js';
import { disputeFilterProperties, parseDisputeFilter } from '../dispute-filter.js';

const { town, village, status, category, from, to } = disputeFilterProperties;
const filters = { town, status, category, from, to };

/** Cells smaller than 250 m would put tens of thousands of hexagons on a county; larger than 20 km, a handful. */
const CellSize = Type.Integer({
  minimum: 250,
  maximum: 20_000,
  description:
    'hexagon centre-to-corner distance, metres; snapped to the nearest stored size (250, 400, 600, 1000, 1650, 2700, 4500, 7500)',
});
const Zoom = Type.Number({ minimum: 0, maximum: 22, description: 'map zoom; picks a cell size ≈ 25 px across' });

const tags = ['statistics'];

function send(reply: FastifyReply, body: unknown, type = 'application/json') {
  return sendText(reply, JSON.stringify(body), type);
}

/**
 * JSON already serialised, as text or UTF-8 bytes: Fastify sends both as they are, so the route's response schema
 * (server/contract/analytics.ts) documents the answer without re-serialising it.
 */
function sendText(reply: FastifyReply, text: string | Buffer, type = 'application/json') {
  return reply.type(type).send(text);
}

/**
 * The cell size of a request: the one asked for (or the one its zoom suggests), snapped to the ladder of sizes with
 * stored cell ids (migration 120). Answers say both: meta.cellSize (used) and meta.requestedCellSize.
 */
function cellSize(q: { cellSize?: number | undefined; zoom?: number | undefined }) {
  if (q.cellSize !== undefined && q.zoom !== undefined) throw badRequest('cellSize', 'give cellSize or zoom, not both');
  const requested = q.cellSize ?? cellSizeForZoom(q.zoom ?? 10, STORED_ORIGIN.lat);
  return { size: snapCellSize(requested), requestedCellSize: requested };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

const analytics: FastifyPluginAsyncTypebox = async (app) => {
  // The dashboard's reads: on a read replica when one is in use (server/plugins/read-replicas.ts).
  app.addHook('preHandler', readFromReplica);
  app.get(
    '/api/analytics/hotspots',
    {
      schema: {
        tags,
        summary: 'Hot and cold spots: Getis-Ord Gi* on a hexagon grid with FDR correction',
        description: `Disputes (source=disputes) or screening risk items (source=risks) are counted per flat-topped hexagon in SQL; Gi* z-scores are analytic; neighbourhood: ${NEIGHBOURHOOD}. The study area is every cell whose centre lies in the county (or the filtered town), empty cells included. bin = ±3/±2/±1: hot (+) or cold (−) at 99/95/90 % confidence after Benjamini–Hochberg FDR correction; 0 not significant. Cells with no point and no significant class are left out of the answer.`,
        querystring: Type.Object(
          {
            source: Type.Optional(
              Type.Union([Type.Literal('disputes'), Type.Literal('risks')], { default: 'disputes' }),
            ),
            cellSize: Type.Optional(CellSize),
            zoom: Type.Optional(Zoom),
            ...filters,
          },
          { additionalProperties: false },
        ),
        response: { 200: HotspotsResponse },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const source = q.source ?? 'disputes';
      if (source === 'risks' && q.status !== undefined) {
        throw badRequest('status', 'screening risk items have no status; leave it out with source=risks');
      }
      const filter = await parseDisputeFilter(request.readDb, {
        town: q.town,
        status: q.status,
        category: q.category,
        from: q.from,
        to: q.to,
      });
      const { size, requestedCellSize } = cellSize(q);
      const result = await computeHotspots(request.readDb, size, source, filter, {
        ...(filter.town ? { town: filter.town } : {}),
        ...(filter.categories ? { categories: filter.categories } : {}),
        ...(filter.from ? { from: filter.from } : {}),
        ...(filter.to ? { to: filter.to } : {}),
      });
      const summary = { hot99: 0, hot95: 0, hot90: 0, cold99: 0, cold95: 0, cold90: 0 };
      for (const c of result.cells) {
        if (c.bin !== 0)
          summary[`${c.bin > 0 ? 'hot' : 'cold'}${[90, 95, 99][Math.abs(c.bin) - 1]}` as keyof typeof summary] += 1;
      }
      const meta = {
        source,
        cellSize: size,
        requestedCellSize,
        neighbourhood: NEIGHBOURHOOD,
        studyCells: result.studyCells,
        ...summary,
      };
      // Bytes, not a string (see hotspotCollection).
      return sendText(reply, hotspotCollection(result.grid, result.cells, meta), 'application/geo+json');
    },
  );

  app.get(
    '/api/analytics/density',
    {
      schema: {
        tags,
        summary: 'Weights for the heat layer: dispute counts on a fine hexagon grid, as points',
        description:
          'Each point is a hexagon centre with `count` and `weight` = count ÷ the largest count (0–1); the map draws the kernel density surface (MapLibre heatmap) from these weights.',
        querystring: Type.Object(
          { cellSize: Type.Optional(CellSize), zoom: Type.Optional(Zoom), ...filters },
          { additionalProperties: false },
        ),
        response: { 200: DensityResponse },
      },
    },
    async (request, reply) => {
      const filter = await parseDisputeFilter(request.readDb, request.query);
      const { size, requestedCellSize } = cellSize(request.query);
      const { grid } = await studyArea(request.readDb, size, undefined);
      const counts = await hexCounts(request.readDb, grid, 'disputes', filter, {});
      const max = counts.reduce((m, c) => Math.max(m, c.count), 0);
      const features = counts.map((c) => {
        const [lon, lat] = cellCentre(grid, c);
        return {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [round(lon, 6), round(lat, 6)] },
          properties: { count: c.count, weight: round(c.count / max, 4) },
        };
      });
      return send(
        reply,
        { type: 'FeatureCollection', features, meta: { cellSize: size, requestedCellSize, max } },
        'application/geo+json',
      );
    },
  );

  app.get(
    '/api/analytics/emerging',
    {
      schema: {
        tags,
        summary: 'Emerging hot spots: Gi* in the earlier and recent months plus a Mann–Kendall trend per cell',
        description: `pattern: new (hot only in the last recentMonths), intensifying / diminishing (hot in both and a rising / falling Mann–Kendall trend of monthly counts at 90 %), persistent (hot in both, no trend), diminishing (hot earlier, no longer). Neighbourhood: ${NEIGHBOURHOOD}. Months end at the county's as-of day (app_now()).`,
        querystring: Type.Object(
          {
            cellSize: Type.Optional(CellSize),
            zoom: Type.Optional(Zoom),
            recentMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, default: 12 })),
            ...filters,
          },
          { additionalProperties: false },
        ),
        response: { 200: EmergingResponse },
      },
    },
    async (request, reply) => {
      const filter = await parseDisputeFilter(request.readDb, request.query);
      const { size, requestedCellSize } = cellSize(request.query);
      const now = (await request.readDb.query<{ month: string }>(asOf().text)).rows[0]?.month as string;
      const result = await computeEmerging(request.readDb, size, filter, now, request.query.recentMonths ?? 12);
      const features = result.cells
        .filter((c) => c.pattern !== null)
        .map((c) => ({
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [cellRing(result.grid, c).map(([x, y]) => [round(x, 6), round(y, 6)])],
          },
          properties: {
            q: c.q,
            r: c.r,
            count: c.count,
            recent: c.recent,
            earlier: c.earlier,
            bin: c.bin,
            pattern: c.pattern,
            trendZ: round(c.trendZ, 3),
            trendP: Number(c.trendP.toPrecision(3)),
          },
        }));
      const months = result.months;
      return send(
        reply,
        {
          type: 'FeatureCollection',
          features,
          meta: {
            cellSize: size,
            requestedCellSize,
            neighbourhood: NEIGHBOURHOOD,
            firstMonth: months[0] ?? null,
            lastMonth: months.at(-1) ?? null,
          },
        },
        'application/geo+json',
      );
    },
  );

  app.get(
    '/api/analytics/unresolved',
    {
      schema: {
        tags,
        summary: 'Open cases with age and overdue flag, and open / overdue counts per town and village',
        description:
          "Age = whole days from reporting to the county's as-of day (app_now()); overdue = age > the category's limit in overdue_limits (default 30 days).",
        querystring: Type.Object({ town, village, category, from, to }, { additionalProperties: false }),
        response: { 200: UnresolvedResponse },
      },
    },
    async (request, reply) => {
      const filter = await parseDisputeFilter(request.readDb, request.query);
      const cases = unresolvedCases(filter);
      const towns = unitCounts(filter, 'town');
      const villages = unitCounts(filter, 'village');
      const [c, t, v] = await Promise.all([
        request.readDb.query<{ body: string }>(cases.text, cases.values),
        request.readDb.query<UnitRow>(towns.text, towns.values),
        request.readDb.query<UnitRow>(villages.text, villages.values),
      ]);
      const pick = (r: UnitRow) => ({
        code: r.code,
        name: r.name,
        parentCode: r.parentCode,
        open: r.open,
        overdue: r.overdue,
      });
      const body = `{"cases":${c.rows[0]?.body ?? '{"type":"FeatureCollection","features":[]}'},"towns":${JSON.stringify(
        t.rows.map(pick),
      )},"villages":${JSON.stringify(v.rows.filter((r) => r.open > 0).map(pick))}}`;
      return sendText(reply, body);
    },
  );

  app.get(
    '/api/analytics/units',
    {
      schema: {
        tags,
        summary: 'KPIs per town, or per village (of one town or the county), for choropleths and drill-down',
        description:
          'successRate = resolved ÷ found; closedSuccessRate = resolved ÷ (resolved + failed + referred); villageLevelRate (小事不出村) = resolved at village ÷ resolved; townLevelRate (大事不出镇) = resolved at village or town ÷ resolved; overdue as in /api/analytics/unresolved.',
        querystring: Type.Object(
          { level: Type.Union([Type.Literal('town'), Type.Literal('village')]), ...filters },
          { additionalProperties: false },
        ),
        response: { 200: UnitsResponse },
      },
    },
    async (request, reply) => {
      const filter = await parseDisputeFilter(request.readDb, request.query);
      const q = unitCounts(filter, request.query.level);
      const { rows } = await request.readDb.query<UnitRow>(q.text, q.values);
      return send(reply, {
        level: request.query.level,
        units: rows.map((r) => ({
          code: r.code,
          name: r.name,
          parentCode: r.parentCode,
          overdue: r.overdue,
          ...kpis(r),
        })),
      });
    },
  );

  app.get(
    '/api/analytics/resolution-levels',
    {
      schema: {
        tags,
        summary:
          '小事不出村 / 大事不出镇 rates per town and for the county, next to the success rate, with their counts',
        querystring: Type.Object(filters, { additionalProperties: false }),
        response: { 200: ResolutionLevelsResponse },
      },
    },
    async (request, reply) => {
      const filter = await parseDisputeFilter(request.readDb, request.query);
      const q = unitCounts(filter, 'town');
      const { rows } = await request.readDb.query<UnitRow>(q.text, q.values);
      const shape = (r: UnitRow | Omit<UnitRow, 'code' | 'name' | 'parentCode' | 'overdue'>) => {
        const k = kpis(r);
        return {
          found: k.found,
          resolved: k.resolved,
          resolvedAtVillage: k.resolvedAtVillage,
          resolvedAtTown: k.resolvedAtTown,
          resolvedAtCounty: k.resolved - k.resolvedAtVillage - k.resolvedAtTown,
          successRate: k.successRate,
          villageLevelRate: k.villageLevelRate,
          townLevelRate: k.townLevelRate,
        };
      };
      const total = rows.reduce(
        (a, r) => ({
          found: a.found + r.found,
          resolved: a.resolved + r.resolved,
          failed: a.failed + r.failed,
          referred: a.referred + r.referred,
          open: a.open + r.open,
          resolvedAtVillage: a.resolvedAtVillage + r.resolvedAtVillage,
          resolvedAtTown: a.resolvedAtTown + r.resolvedAtTown,
        }),
        { found: 0, resolved: 0, failed: 0, referred: 0, open: 0, resolvedAtVillage: 0, resolvedAtTown: 0 },
      );
      return send(reply, {
        county: shape(total),
        towns: rows.map((r) => ({ code: r.code, name: r.name, ...shape(r) })),
      });
    },
  );

  app.get(
    '/api/analytics/monthly',
    {
      schema: {
        tags,
        summary: 'Monthly found / resolved / open for the county (or one town), optionally per town',
        description:
          "found = reported in the month; resolved = resolved in the month; open = reported by the month's end and not yet closed (failed and referred cases close when last touched). Months run to the as-of month (app_now()).",
        querystring: Type.Object(
          {
            by: Type.Optional(Type.Union([Type.Literal('county'), Type.Literal('town')], { default: 'county' })),
            ...filters,
          },
          { additionalProperties: false },
        ),
        response: { 200: MonthlyResponse },
      },
    },
    async (request, reply) => {
      const filter = await parseDisputeFilter(request.readDb, request.query);
      const by = request.query.by ?? 'county';
      const q = monthlyEvents(filter, by);
      const [{ rows }, now] = await Promise.all([
        request.readDb.query<{ town: string; month: string; kind: 'found' | 'resolved' | 'closed'; count: number }>(
          q.text,
          q.values,
        ),
        request.readDb.query<{ month: string }>(asOf().text),
      ]);
      return send(reply, monthlySeries(rows, by, now.rows[0]?.month as string, filter));
    },
  );

  app.get(
    '/api/analytics/weekday-hour',
    {
      schema: {
        tags,
        summary: 'When disputes are reported: counts by ISO weekday (1 = Monday) × hour, China Standard Time',
        querystring: Type.Object(filters, { additionalProperties: false }),
        response: { 200: WeekdayHourResponse },
      },
    },
    async (request, reply) => {
      const filter = await parseDisputeFilter(request.readDb, request.query);
      const q = weekdayHour(filter);
      const { rows } = await request.readDb.query<{ weekday: number; hour: number; count: number }>(q.text, q.values);
      const matrix = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
      for (const r of rows) (matrix[r.weekday - 1] as number[])[r.hour] = r.count;
      return send(reply, { weekdays: [1, 2, 3, 4, 5, 6, 7], hours: matrix[0]?.map((_, h) => h), counts: matrix });
    },
  );

  app.get(
    '/api/analytics/categories',
    {
      schema: {
        tags,
        summary: 'Category mix: found / resolved / open per dispute category',
        querystring: Type.Object(filters, { additionalProperties: false }),
        response: { 200: CategoriesResponse },
      },
    },
    async (request, reply) => {
      const filter = await parseDisputeFilter(request.readDb, request.query);
      const q = categoryMix(filter);
      const { rows } = await request.readDb.query<{ category: string; found: number; resolved: number; open: number }>(
        q.text,
        q.values,
      );
      const byCategory = new Map(rows.map((r) => [r.category, r]));
      const wanted = filter.categories ?? disputeCategories;
      return send(reply, {
        categories: wanted.map((c) => byCategory.get(c) ?? { category: c, found: 0, resolved: 0, open: 0 }),
      });
    },
  );

  app.get(
    '/api/analytics/cases/:id/history',
    {
      schema: {
        tags,
        summary: "A case's history: its case_events, and its reported / accepted / resolved times",
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        response: { 200: CaseHistoryResponse },
      },
    },
    async (request, reply) => {
      const q = caseHistory(request.params.id);
      // One case's history is the register's (read after its own writes): the primary, never a replica behind.
      const { rows } = await app.db.query(q.text, q.values);
      if (!rows[0]) throw notFound(`dispute ${request.params.id}`);
      return send(reply, rows[0]);
    },
  );
};

interface UnitRow {
  code: string;
  name: string;
  parentCode: string | null;
  found: number;
  resolved: number;
  failed: number;
  referred: number;
  open: number;
  overdue: number;
  resolvedAtVillage: number;
  resolvedAtTown: number;
}

export default analytics;
