import { disputeHexCounts } from '../../db/queries/analytics.js';
import type { Queryable } from '../../db/types.js';
import { cellKey, type HexGrid, type LadderSize } from '../../domain/stats/hexgrid.js';
import { type CellCount, type HotspotCell, hotspotCells } from '../../domain/stats/hotspots.js';
import { studyArea } from '../analytics/index.js';

/**
 * The period's Gi* hot spots over a briefing's scope (a county or a town, by code), on the stored hexagon grid
 * the dashboard uses, with the same statistic and FDR correction (server/domain/stats) and the same study area
 * (services/analytics, cached there): the scope's own outline, so a county of a many-county database is tested
 * against itself.
 */
export interface BriefingHotspots {
  grid: HexGrid;
  /** Hot cells (bin > 0) at 90 / 95 / 99 % after FDR, hottest first. */
  hot: HotspotCell[];
  cellSize: LadderSize;
}

export async function periodHotspots(
  db: Queryable,
  code: string,
  level: 'county' | 'town',
  from: string,
  to: string,
): Promise<BriefingHotspots> {
  const size: LadderSize = level === 'county' ? 1000 : 400;
  const { grid, studyArea: cells, prepared } = await studyArea(db, size, code);
  const keys = new Set(cells.map(cellKey));
  const q = disputeHexCounts(level === 'town' ? { town: code, from, to } : { from, to }, size);
  // Cells outside the scope (other counties of the database) stay out of its test.
  const counts = (await db.query<CellCount>(q.text, q.values)).rows.filter((c) => keys.has(cellKey(c)));
  const scored = hotspotCells(counts, prepared);
  const hot = scored.filter((c) => c.bin > 0).sort((a, b) => b.bin - a.bin || b.z - a.z);
  return { grid, hot, cellSize: size };
}
