import { confidenceBins } from './fdr.js';
import { giStarFromSums } from './gistar.js';
import { type Cell, kRing } from './hexgrid.js';
import { mannKendall } from './mann-kendall.js';
import { twoSidedP } from './normal.js';

export interface CellCount extends Cell {
  count: number;
}

export interface HotspotCell extends CellCount {
  z: number;
  p: number;
  /** ±3 / ±2 / ±1: hot (+) or cold (−) at 99 / 95 / 90 % confidence after FDR correction; 0 not significant. */
  bin: number;
}

/** Numeric cell keys (not strings): these run over tens of thousands of cells per request. */
const cellNumber = (q: number, r: number) => (q + 2 ** 25) * 2 ** 26 + (r + 2 ** 25);

/**
 * A study area ready for Gi*: its cells, their index and each cell's neighbours among them (CSR arrays). Built
 * once per study area (the route caches it with the area), so that a request only adds its counts.
 */
export interface PreparedArea {
  cells: readonly Cell[];
  index: ReadonlyMap<number, number>;
  /** Neighbours of cell i: `neighbours[start[i]] … neighbours[start[i + 1] − 1]`. */
  start: Int32Array;
  neighbours: Int32Array;
  ring: number;
}

export function prepareArea(studyArea: readonly Cell[], ring = 1): PreparedArea {
  const index = new Map<number, number>();
  const cells: Cell[] = [];
  for (const c of studyArea) {
    const k = cellNumber(c.q, c.r);
    if (!index.has(k)) {
      index.set(k, cells.length);
      cells.push({ q: c.q, r: c.r });
    }
  }
  const offsets = kRing({ q: 0, r: 0 }, ring);
  const start = new Int32Array(cells.length + 1);
  const list: number[] = [];
  cells.forEach((c, i) => {
    start[i] = list.length;
    for (const o of offsets) {
      const j = index.get(cellNumber(c.q + o.q, c.r + o.r));
      if (j !== undefined) list.push(j);
    }
  });
  start[cells.length] = list.length;
  return { cells, index, start, neighbours: Int32Array.from(list), ring };
}

/**
 * Gi* over the study area: every cell of `studyArea` (the cells covering the county, most of them empty) plus
 * any cell holding a count. Neighbourhood: the k-ring of adjacent hexagons (k = 1: the six touching cells, a
 * fixed distance band of √3·size between centres), the cell itself included (Gi*, not Gi).
 */
export function hotspotCells(
  counts: readonly CellCount[],
  studyArea: readonly Cell[] | PreparedArea,
  ring = 1,
): HotspotCell[] {
  const area = 'start' in studyArea && studyArea.ring === ring ? studyArea : prepareArea(studyArea as Cell[], ring);
  const base = area.cells.length;
  // Counted cells outside the study area join it for this request.
  const extra = new Map<number, number>();
  const extraCells: Cell[] = [];
  const values: number[] = new Array<number>(base).fill(0);
  for (const c of counts) {
    const k = cellNumber(c.q, c.r);
    let i = area.index.get(k) ?? extra.get(k);
    if (i === undefined) {
      i = base + extraCells.length;
      extra.set(k, i);
      extraCells.push({ q: c.q, r: c.r });
      values.push(0);
    }
    values[i] = (values[i] as number) + c.count;
  }
  const n = values.length;
  const local = new Float64Array(n);
  const weights = new Float64Array(n);
  const { start, neighbours } = area;
  for (let i = 0; i < base; i++) {
    let sum = values[i] as number;
    for (let k = start[i] as number; k < (start[i + 1] as number); k++)
      sum += values[neighbours[k] as number] as number;
    local[i] = sum;
    weights[i] = 1 + (start[i + 1] as number) - (start[i] as number);
  }
  const offsets = kRing({ q: 0, r: 0 }, ring);
  extraCells.forEach((c, e) => {
    const i = base + e;
    local[i] = (local[i] as number) + (values[i] as number);
    weights[i] = (weights[i] as number) + 1;
    for (const o of offsets) {
      const k = cellNumber(c.q + o.q, c.r + o.r);
      const j = area.index.get(k) ?? extra.get(k);
      if (j === undefined) continue;
      // i's neighbourhood gains j; a study-area cell j gains i (an extra j counts i when its own turn comes).
      local[i] = (local[i] as number) + (values[j] as number);
      weights[i] = (weights[i] as number) + 1;
      if (j < base) {
        local[j] = (local[j] as number) + (values[i] as number);
        weights[j] = (weights[j] as number) + 1;
      }
    }
  });
  const z = giStarFromSums(values, local, weights);
  const p = Array.from(z, twoSidedP);
  const bins = confidenceBins(z, p);
  const out: HotspotCell[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = (i < base ? area.cells[i] : extraCells[i - base]) as Cell;
    out[i] = {
      q: c.q,
      r: c.r,
      count: values[i] as number,
      z: z[i] as number,
      p: p[i] as number,
      bin: bins[i] as number,
    };
  }
  return out;
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
