import type { Queryable } from '../../db/index.js';
import {
  areaExtent,
  cellsInside,
  disputeHexCounts,
  disputeHexMonthlyCounts,
  riskItemHexCounts,
  type ScreeningFilter,
} from '../../db/queries/analytics.js';
import type { DisputeFilter } from '../../db/queries/filters.js';
import {
  type Cell,
  cellCentre,
  cellKey,
  type HexGrid,
  type LadderSize,
  snapCellSize,
  storedGrid,
} from '../../domain/stats/hexgrid.js';
import {
  type CellCount,
  emergingPattern,
  type HotspotCell,
  hotspotCells,
  type PreparedArea,
  prepareArea,
} from '../../domain/stats/hotspots.js';

export const NEIGHBOURHOOD =
  'k-ring 1: each hexagon with its six adjacent hexagons (centres √3·cellSize apart), self included (Gi*)';

export interface Area {
  grid: HexGrid;
  studyArea: Cell[];
  /** The study area's index and neighbour lists for Gi*, built once with it. */
  prepared: PreparedArea;
}

/**
 * The grid and the study area (cells whose centre lies in the county, or in the unit named: the filtered town, or
 * a briefing's county or town) for a size of the ladder (any other size is snapped to the nearest one). The grid is the stored one (fixed origin, migration 120),
 * so cells do not move when the filter changes. Boundaries change only with an import: the result is cached per
 * database, size and town.
 */
const areaCache = new WeakMap<object, Map<string, Promise<Area>>>();

export function studyArea(db: Queryable, requestedSize: number, town: string | undefined): Promise<Area> {
  const size = snapCellSize(requestedSize);
  let perDb = areaCache.get(db);
  if (!perDb) {
    perDb = new Map();
    areaCache.set(db, perDb);
  }
  const key = `${size}|${town ?? ''}`;
  let area = perDb.get(key);
  if (!area) {
    area = computeStudyArea(db, size, town);
    if (perDb.size > 64) perDb.clear();
    perDb.set(key, area);
    area.catch(() => perDb.delete(key));
  }
  return area;
}

interface Extent {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Candidate cells per statement of the study area. */
const STUDY_AREA_SLICE = 200;

async function computeStudyArea(db: Queryable, size: LadderSize, town: string | undefined): Promise<Area> {
  const grid = storedGrid(size);
  const county = (await db.query<Extent>(areaExtent(undefined).text, areaExtent(undefined).values)).rows[0];
  if (!county) return { grid, studyArea: [], prepared: prepareArea([]) };
  const extentSql = areaExtent(town);
  const extent = (await db.query<Extent>(extentSql.text, extentSql.values)).rows[0] ?? county;
  // Candidate cells over the extent's bounding box, one ring wider; the database keeps those inside.
  const kx = (Math.PI / 180) * 6_371_008.8 * Math.cos((grid.originLat * Math.PI) / 180);
  const ky = (Math.PI / 180) * 6_371_008.8;
  const x0 = (extent.minLon - grid.originLon) * kx;
  const x1 = (extent.maxLon - grid.originLon) * kx;
  const y0 = (extent.minLat - grid.originLat) * ky;
  const y1 = (extent.maxLat - grid.originLat) * ky;
  const qMin = Math.floor(x0 / (1.5 * size)) - 1;
  const qMax = Math.ceil(x1 / (1.5 * size)) + 1;
  const candidates = { q: [] as number[], r: [] as number[], lon: [] as number[], lat: [] as number[] };
  for (let q = qMin; q <= qMax; q++) {
    const rMin = Math.floor(y0 / (Math.sqrt(3) * size) - q / 2) - 1;
    const rMax = Math.ceil(y1 / (Math.sqrt(3) * size) - q / 2) + 1;
    for (let r = rMin; r <= rMax; r++) {
      const [lon, lat] = cellCentre(grid, { q, r });
      candidates.q.push(q);
      candidates.r.push(r);
      candidates.lon.push(lon);
      candidates.lat.push(lat);
    }
  }
  // In slices: one statement over every candidate at 400 m county-wide is ~9,000 point-in-polygon tests (6 s on the
  // embedded database), and the one connection would answer nobody else meanwhile (tests/integration/fairness).
  const rows: Cell[] = [];
  for (let i = 0; i < candidates.q.length; i += STUDY_AREA_SLICE) {
    const slice = (xs: number[]) => xs.slice(i, i + STUDY_AREA_SLICE);
    const inside = cellsInside(town, {
      q: slice(candidates.q),
      r: slice(candidates.r),
      lon: slice(candidates.lon),
      lat: slice(candidates.lat),
    });
    rows.push(...(await db.query<Cell>(inside.text, inside.values)).rows);
  }
  return { grid, studyArea: rows, prepared: prepareArea(rows) };
}

export type HotspotSource = 'disputes' | 'risks';

export async function hexCounts(
  db: Queryable,
  grid: HexGrid,
  source: HotspotSource,
  disputeFilter: DisputeFilter,
  screeningFilter: ScreeningFilter,
): Promise<CellCount[]> {
  const size = snapCellSize(grid.size);
  const q = source === 'disputes' ? disputeHexCounts(disputeFilter, size) : riskItemHexCounts(screeningFilter, size);
  return (await db.query<CellCount>(q.text, q.values)).rows;
}

/** Gi* hot and cold spots of the filtered points over the study area. */
export async function computeHotspots(
  db: Queryable,
  size: number,
  source: HotspotSource,
  disputeFilter: DisputeFilter,
  screeningFilter: ScreeningFilter = {},
): Promise<{ grid: HexGrid; studyCells: number; cells: HotspotCell[] }> {
  const town = source === 'disputes' ? disputeFilter.town : screeningFilter.town;
  const { grid, prepared } = await studyArea(db, size, town);
  const counts = await hexCounts(db, grid, source, disputeFilter, screeningFilter);
  const cells = hotspotCells(counts, prepared);
  return { grid, studyCells: cells.length, cells };
}

export interface EmergingCell extends HotspotCell {
  pattern: ReturnType<typeof emergingPattern>['pattern'];
  trendZ: number;
  trendP: number;
  recent: number;
  earlier: number;
}

/** Months from `first` to `last` inclusive, YYYY-MM. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    if (out.length > 1200) break;
  }
  return out;
}

/**
 * Emerging hot spots: Gi* over the earlier months and over the last `recentMonths` months, and a Mann–Kendall
 * test on each cell's monthly counts (see `domain/stats/hotspots.ts#emergingPattern`).
 */
export async function computeEmerging(
  db: Queryable,
  size: number,
  filter: DisputeFilter,
  lastMonth: string,
  recentMonths: number,
): Promise<{ grid: HexGrid; months: string[]; cells: EmergingCell[] }> {
  const { grid, prepared: area } = await studyArea(db, size, filter.town);
  const q = disputeHexMonthlyCounts(filter, snapCellSize(grid.size));
  const { rows } = await db.query<CellCount & { month: string }>(q.text, q.values);
  if (rows.length === 0) return { grid, months: [], cells: [] };
  // The series runs from the first month with a report to the filter's end (else the as-of month), so that
  // quiet recent months count as zeros in the trend.
  let firstMonth = rows[0]?.month as string;
  let last = filter.to ? filter.to.slice(0, 7) : lastMonth;
  for (const r of rows) {
    if (r.month < firstMonth) firstMonth = r.month;
    if (r.month > last) last = r.month;
  }
  const months = monthRange(firstMonth, last);
  const recentStart = months[Math.max(0, months.length - recentMonths)] as string;
  const series = new Map<string, number[]>();
  const recent = new Map<string, CellCount>();
  const earlier = new Map<string, CellCount>();
  const monthIndex = new Map(months.map((m, i) => [m, i]));
  for (const row of rows) {
    const key = cellKey(row);
    let s = series.get(key);
    if (!s) {
      s = new Array<number>(months.length).fill(0);
      series.set(key, s);
    }
    const i = monthIndex.get(row.month);
    if (i !== undefined) s[i] = (s[i] ?? 0) + row.count;
    const bucket = row.month >= recentStart ? recent : earlier;
    const c = bucket.get(key) ?? { q: row.q, r: row.r, count: 0 };
    c.count += row.count;
    bucket.set(key, c);
  }
  const total = new Map<string, CellCount>();
  for (const [key, s] of series) {
    const [q0, r0] = key.split(',').map(Number) as [number, number];
    total.set(key, { q: q0, r: r0, count: s.reduce((a, b) => a + b, 0) });
  }
  const overall = hotspotCells([...total.values()], area);
  const recentBins = new Map(hotspotCells([...recent.values()], area).map((c) => [cellKey(c), c.bin]));
  const earlierBins = new Map(hotspotCells([...earlier.values()], area).map((c) => [cellKey(c), c.bin]));
  const cells = overall.map((c) => {
    const key = cellKey(c);
    const monthly = series.get(key) ?? new Array<number>(months.length).fill(0);
    const e = emergingPattern({ earlierBin: earlierBins.get(key) ?? 0, recentBin: recentBins.get(key) ?? 0, monthly });
    return {
      ...c,
      ...e,
      recent: recent.get(key)?.count ?? 0,
      earlier: earlier.get(key)?.count ?? 0,
    };
  });
  return { grid, months, cells };
}
