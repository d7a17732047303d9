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
import { type EmergingCell, emergingCells, type MonthlyCellCount } from '../../domain/stats/emerging.js';
import {
  type Cell,
  candidateCells,
  type Extent,
  type HexGrid,
  type LadderSize,
  snapCellSize,
  storedGrid,
} from '../../domain/stats/hexgrid.js';
import {
  type CellCount,
  type HotspotCell,
  hotspotCells,
  type PreparedArea,
  prepareArea,
} from '../../domain/stats/hotspots.js';

export type { EmergingCell };

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

/** Candidate cells per statement of the study area. */
const STUDY_AREA_SLICE = 200;

async function computeStudyArea(db: Queryable, size: LadderSize, town: string | undefined): Promise<Area> {
  const grid = storedGrid(size);
  const county = (await db.query<Extent>(areaExtent(undefined).text, areaExtent(undefined).values)).rows[0];
  if (!county) return { grid, studyArea: [], prepared: prepareArea([]) };
  const extentSql = areaExtent(town);
  const extent = (await db.query<Extent>(extentSql.text, extentSql.values)).rows[0] ?? county;
  // Candidate cells over the extent's bounding box, one ring wider; the database keeps those inside.
  const candidates = candidateCells(grid, extent);
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

/**
 * Emerging hot spots: Gi* over the earlier months and over the last `recentMonths` months, and a Mann–Kendall
 * test on each cell's monthly counts (see `domain/stats/emerging.ts`).
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
  const { rows } = await db.query<MonthlyCellCount>(q.text, q.values);
  const lastWanted = filter.to ? filter.to.slice(0, 7) : lastMonth;
  return { grid, ...emergingCells(rows, lastWanted, recentMonths, area) };
}
