import { areaExtent, cellsInside, disputeHexCounts } from '../../db/queries/analytics.js';
import type { Queryable } from '../../db/types.js';
import {
  type Cell,
  cellCentre,
  cellKey,
  type HexGrid,
  type LadderSize,
  storedGrid,
} from '../../domain/stats/hexgrid.js';
import {
  type CellCount,
  type HotspotCell,
  hotspotCells,
  type PreparedArea,
  prepareArea,
} from '../../domain/stats/hotspots.js';

/**
 * The period's Gi* hot spots over a briefing's scope (a county or a town, by code), on the stored hexagon grid
 * the dashboard uses, with the same statistic and FDR correction (server/domain/stats). The study area is the
 * scope's own outline, so a county of a many-county database is tested against itself (the dashboard's
 * services/analytics builds its study area the same way, but over every county of the database or one town).
 */
interface Extent {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

interface Area {
  grid: HexGrid;
  keys: Set<string>;
  prepared: PreparedArea;
}

const areas = new WeakMap<object, Map<string, Promise<Area>>>();

async function studyArea(db: Queryable, code: string, size: LadderSize): Promise<Area> {
  const grid = storedGrid(size);
  const e = areaExtent(code);
  const extent = (await db.query<Extent>(e.text, e.values)).rows[0];
  if (!extent) return { grid, keys: new Set(), prepared: prepareArea([]) };
  const kx = (Math.PI / 180) * 6_371_008.8 * Math.cos((grid.originLat * Math.PI) / 180);
  const ky = (Math.PI / 180) * 6_371_008.8;
  const [x0, x1] = [(extent.minLon - grid.originLon) * kx, (extent.maxLon - grid.originLon) * kx];
  const [y0, y1] = [(extent.minLat - grid.originLat) * ky, (extent.maxLat - grid.originLat) * ky];
  const c = { q: [] as number[], r: [] as number[], lon: [] as number[], lat: [] as number[] };
  for (let q = Math.floor(x0 / (1.5 * size)) - 1; q <= Math.ceil(x1 / (1.5 * size)) + 1; q++) {
    const rMin = Math.floor(y0 / (Math.sqrt(3) * size) - q / 2) - 1;
    const rMax = Math.ceil(y1 / (Math.sqrt(3) * size) - q / 2) + 1;
    for (let r = rMin; r <= rMax; r++) {
      const [lon, lat] = cellCentre(grid, { q, r });
      c.q.push(q);
      c.r.push(r);
      c.lon.push(lon);
      c.lat.push(lat);
    }
  }
  const inside = cellsInside(code, c);
  const cells = (await db.query<Cell>(inside.text, inside.values)).rows;
  return { grid, keys: new Set(cells.map(cellKey)), prepared: prepareArea(cells) };
}

function cachedArea(db: Queryable, code: string, size: LadderSize) {
  let perDb = areas.get(db);
  if (!perDb) {
    perDb = new Map();
    areas.set(db, perDb);
  }
  const key = `${code}|${size}`;
  let area = perDb.get(key);
  if (!area) {
    area = studyArea(db, code, size);
    if (perDb.size > 64) perDb.clear();
    perDb.set(key, area);
    area.catch(() => perDb.delete(key));
  }
  return area;
}

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
  const { grid, keys, prepared } = await cachedArea(db, code, size);
  const q = disputeHexCounts(level === 'town' ? { town: code, from, to } : { from, to }, size);
  // Cells outside the scope (other counties of the database) stay out of its test.
  const counts = (await db.query<CellCount>(q.text, q.values)).rows.filter((c) => keys.has(cellKey(c)));
  const scored = hotspotCells(counts, prepared);
  const hot = scored.filter((c) => c.bin > 0).sort((a, b) => b.bin - a.bin || b.z - a.z);
  return { grid, hot, cellSize: size };
}
