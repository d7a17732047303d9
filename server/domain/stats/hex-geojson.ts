import { type Cell, cellCentre, type HexGrid, ringOffsets } from './hexgrid.js';
import type { HotspotCell } from './hotspots.js';

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Each cell's feature text up to its counts (`{"type":"Feature","geometry":{…ring…},"properties":{"q":…,"r":…,`),
 * cached per grid: the stored grid is fixed (migration 120), so a cell's corners never change, and formatting
 * ~45,000 coordinates was most of a hot spot answer's own time at 1M disputes. Bounded: a grid's cache is dropped
 * past MAX_CELLS cells.
 */
const MAX_CELLS = 150_000;
const heads = new Map<string, Map<number, string>>();

function headCache(grid: HexGrid): Map<number, string> {
  const gridKey = `${grid.size}|${grid.originLon}|${grid.originLat}`;
  let cache = heads.get(gridKey);
  if (!cache || cache.size > MAX_CELLS) {
    cache = new Map();
    heads.set(gridKey, cache);
  }
  return cache;
}

function featureHead(grid: HexGrid, offsets: [number[], number[]], cell: Cell): string {
  const [dLon, dLat] = offsets;
  const [cx, cy] = cellCentre(grid, cell);
  let ring = '';
  for (let i = 0; i < dLon.length; i++) {
    ring += `${i ? ',' : ''}[${round(cx + (dLon[i] as number), 6)},${round(cy + (dLat[i] as number), 6)}]`;
  }
  return `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[${ring}]]},"properties":{"q":${cell.q},"r":${cell.r},`;
}

/**
 * The hot spot answer as GeoJSON (UTF-8 bytes): one Polygon feature per cell holding a point or a significant
 * class, then `meta`. Written out rather than built as objects for JSON.stringify (thousands of hexagons per
 * answer: 6,500 at 1M disputes for one year's open cases); the bytes are those of JSON.stringify's text. The
 * features are ASCII and encoded apart from `meta` (whose neighbourhood text is not), so that V8 never widens the
 * megabytes of features to a two-byte string before encoding them.
 */
export function hotspotCollection(grid: HexGrid, cells: readonly HotspotCell[], meta: object): Buffer {
  const cache = headCache(grid);
  const offsets = ringOffsets(grid);
  const parts: string[] = [];
  for (const c of cells) {
    if (c.count === 0 && c.bin === 0) continue;
    const key = (c.q + 2 ** 25) * 2 ** 26 + (c.r + 2 ** 25);
    let head = cache.get(key);
    if (head === undefined) {
      head = featureHead(grid, offsets, c);
      cache.set(key, head);
    }
    parts.push(`${head}"count":${c.count},"z":${round(c.z, 3)},"p":${Number(c.p.toPrecision(3))},"bin":${c.bin}}}`);
  }
  return Buffer.concat([
    Buffer.from('{"type":"FeatureCollection","features":[', 'latin1'),
    Buffer.from(parts.join(','), 'latin1'),
    Buffer.from(`],"meta":${JSON.stringify(meta)}}`, 'utf8'),
  ]);
}
