import { cellKey } from './hexgrid.js';
import { type CellCount, emergingPattern, type HotspotCell, hotspotCells, type PreparedArea } from './hotspots.js';
import { monthRange } from './months.js';

export interface MonthlyCellCount extends CellCount {
  month: string;
}

export interface EmergingCell extends HotspotCell {
  pattern: ReturnType<typeof emergingPattern>['pattern'];
  trendZ: number;
  trendP: number;
  recent: number;
  earlier: number;
}

/** Each cell's monthly series over `months`, and its counts before and from `recentStart`. */
function splitByMonth(rows: readonly MonthlyCellCount[], months: readonly string[], recentStart: string) {
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
  return { series, recent, earlier };
}

/**
 * Emerging hot spot patterns from per-cell monthly counts: Gi* over all months, the earlier ones and the last
 * `recentMonths`, and a Mann–Kendall test on each cell's monthly series (`emergingPattern`). The series runs from
 * the first month with a report to `lastWanted` (or a later month with a report), so that quiet recent months
 * count as zeros in the trend.
 */
export function emergingCells(
  rows: readonly MonthlyCellCount[],
  lastWanted: string,
  recentMonths: number,
  area: PreparedArea,
): { months: string[]; cells: EmergingCell[] } {
  if (rows.length === 0) return { months: [], cells: [] };
  let firstMonth = rows[0]?.month as string;
  let last = lastWanted;
  for (const r of rows) {
    if (r.month < firstMonth) firstMonth = r.month;
    if (r.month > last) last = r.month;
  }
  const months = monthRange(firstMonth, last);
  const recentStart = months[Math.max(0, months.length - recentMonths)] as string;
  const { series, recent, earlier } = splitByMonth(rows, months, recentStart);
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
    return { ...c, ...e, recent: recent.get(key)?.count ?? 0, earlier: earlier.get(key)?.count ?? 0 };
  });
  return { months, cells };
}
