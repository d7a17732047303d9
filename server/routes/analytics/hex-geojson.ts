import { type Cell, cellCentre, type HexGrid, ringOffsets } from '../../domain/stats/hexgrid.js';
import type { HotspotCell } from '../../domain/stats/hotspots.js';

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Each cell's polygon ring as GeoJSON text, cached per grid: the stored grid is fixed (migration 120), so a cell's
 * corners never change, and formatting ~45,000 coordinates was most of a hot spot answer's own time at 1M
 * disputes. Bounded: a grid's cache is dropped past MAX_RINGS cells.
 */
const MAX_RINGS = 150_000;
const rings = new Map<string, Map<number, string>>();

function ringText(grid: HexGrid, cell: Cell): string {
  const gridKey = `${grid.size}|${grid.originLon}|${grid.originLat}`;
  let cache = rings.get(gridKey);
  if (!cache || cache.size > MAX_RINGS) {
    cache = new Map();
    rings.set(gridKey, cache);
  }
  const key = (cell.q + 2 ** 25) * 2 ** 26 + (cell.r + 2 ** 25);
  let text = cache.get(key);
  if (text === undefined) {
    const [dLon, dLat] = ringOffsets(grid);
    const [cx, cy] = cellCentre(grid, cell);
    text = '';
    for (let i = 0; i < dLon.length; i++) {
      text += `${i ? ',' : ''}[${round(cx + (dLon[i] as number), 6)},${round(cy + (dLat[i] as number), 6)}]`;
    }
    cache.set(key, text);
  }
  return text;
}

/**
 * The hot spot answer as GeoJSON text: one Polygon feature per cell holding a point or a significant class, then
 * `meta`. Written out rather than built as objects for JSON.stringify (thousands of hexagons per answer: 6,500 at
 * 1M disputes for one year's open cases); the text is the JSON that JSON.stringify would give.
 */
export function hotspotCollection(grid: HexGrid, cells: readonly HotspotCell[], meta: object): string {
  const parts: string[] = [];
  for (const c of cells) {
    if (c.count === 0 && c.bin === 0) continue;
    parts.push(
      `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[${ringText(grid, c)}]]},` +
        `"properties":{"q":${c.q},"r":${c.r},"count":${c.count},"z":${round(c.z, 3)},` +
        `"p":${Number(c.p.toPrecision(3))},"bin":${c.bin}}}`,
    );
  }
  return `{"type":"FeatureCollection","features":[${parts.join(',')}],"meta":${JSON.stringify(meta)}}`;
}
