import { confidenceBins } from './fdr.js';
import { giStar } from './gistar.js';
import { type Cell, kRing } from './hexgrid.js';
import { mannKendall } from './mann-kendall.js';

export interface CellCount extends Cell {
  count: number;
}

export interface HotspotCell extends CellCount {
  z: number;
  p: number;
  /** ±3 / ±2 / ±1: hot (+) or cold (−) at 99 / 95 / 90 % confidence after FDR correction; 0 not significant. */
  bin: number;
}

/**
 * Gi* over the study area: every cell of `studyArea` (the cells covering the county, most of them empty) plus
 * any cell holding a count. Neighbourhood: the k-ring of adjacent hexagons (k = 1: the six touching cells, a
 * fixed distance band of √3·size between centres), the cell itself included (Gi*, not Gi).
 */
export function hotspotCells(counts: readonly CellCount[], studyArea: readonly Cell[], ring = 1): HotspotCell[] {
  // Numeric keys (not strings): this runs over thousands of cells per request.
  const key = (q: number, r: number) => (q + 32_768) * 65_536 + (r + 32_768);
  const index = new Map<number, number>();
  const cells: CellCount[] = [];
  const add = (c: Cell, count: number) => {
    const at = index.get(key(c.q, c.r));
    if (at === undefined) {
      index.set(key(c.q, c.r), cells.length);
      cells.push({ q: c.q, r: c.r, count });
    } else (cells[at] as CellCount).count += count;
  };
  for (const c of studyArea) add(c, 0);
  for (const c of counts) add(c, c.count);
  const offsets = kRing({ q: 0, r: 0 }, ring);
  const neighbours = cells.map((c) => {
    const list: number[] = [];
    for (const o of offsets) {
      const j = index.get(key(c.q + o.q, c.r + o.r));
      if (j !== undefined) list.push(j);
    }
    return list;
  });
  const { z, p } = giStar(
    cells.map((c) => c.count),
    neighbours,
  );
  const bins = confidenceBins(z, p);
  return cells.map((c, i) => ({ ...c, z: z[i] as number, p: p[i] as number, bin: bins[i] as number }));
}

export type EmergingPattern = 'new' | 'intensifying' | 'persistent' | 'diminishing';

export interface EmergingInput {
  /** Gi* class over the earlier part of the period. */
  earlierBin: number;
  /** Gi* class over the recent part (e.g. the last 12 months). */
  recentBin: number;
  /** The cell's counts per month, in time order (zeros included). */
  monthly: readonly number[];
}

/**
 * A simplified Emerging Hot Spot Analysis (after ArcGIS): a cell hot (≥ 90 %) in the recent window only is
 * `new`; hot in both windows it is `intensifying` / `diminishing` when the Mann–Kendall test finds a rising /
 * falling trend in its monthly counts at 90 % confidence, else `persistent`; hot earlier but no longer is
 * `diminishing`. Other cells have no pattern (null).
 */
export function emergingPattern({ earlierBin, recentBin, monthly }: EmergingInput): {
  pattern: EmergingPattern | null;
  trendZ: number;
  trendP: number;
} {
  const trend = mannKendall(monthly);
  const falling = trend.p < 0.1 && trend.z < 0;
  const rising = trend.p < 0.1 && trend.z > 0;
  let pattern: EmergingPattern | null = null;
  if (recentBin > 0 && earlierBin <= 0) pattern = 'new';
  else if (recentBin > 0 && earlierBin > 0) pattern = rising ? 'intensifying' : falling ? 'diminishing' : 'persistent';
  else if (earlierBin > 0) pattern = 'diminishing';
  return { pattern, trendZ: trend.z, trendP: trend.p };
}
