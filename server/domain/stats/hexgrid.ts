/**
 * A flat-topped hexagon grid in a local equirectangular projection (metres east/north of an origin). At county
 * scale (≈ 60 km) the projection's distortion is well under 1 %, cells keep equal area, and the same
 * arithmetic runs in SQL (binning with GROUP BY, see `db/queries/analytics.ts`) and here (cell geometry,
 * neighbours). Axial coordinates (q, r) as in Red Blob Games' "Hexagonal Grids"; `size` is the centre-to-
 * corner distance in metres, so the cell's width is 2·size and the spacing of neighbouring centres √3·size.
 */
export interface HexGrid {
  /** Centre-to-corner distance, metres. */
  size: number;
  originLon: number;
  originLat: number;
}

const EARTH_RADIUS = 6_371_008.8;
const RAD = Math.PI / 180;

export const metresPerDegreeLat = EARTH_RADIUS * RAD;
export const metresPerDegreeLon = (lat: number) => EARTH_RADIUS * RAD * Math.cos(lat * RAD);

export interface Cell {
  q: number;
  r: number;
}

export const cellKey = (c: Cell) => `${c.q},${c.r}`;

export function cellCentre(grid: HexGrid, { q, r }: Cell): [number, number] {
  const x = grid.size * 1.5 * q;
  const y = grid.size * Math.sqrt(3) * (r + q / 2);
  return [grid.originLon + x / metresPerDegreeLon(grid.originLat), grid.originLat + y / metresPerDegreeLat];
}

/** The cell containing a point (cube rounding), the same rule as the SQL binning. */
export function cellAt(grid: HexGrid, lon: number, lat: number): Cell {
  const x = (lon - grid.originLon) * metresPerDegreeLon(grid.originLat);
  const y = (lat - grid.originLat) * metresPerDegreeLat;
  const fq = ((2 / 3) * x) / grid.size;
  const fr = ((-1 / 3) * x + (Math.sqrt(3) / 3) * y) / grid.size;
  const fs = -fq - fr;
  let q = Math.round(fq);
  let r = Math.round(fr);
  const s = Math.round(fs);
  const dq = Math.abs(q - fq);
  const dr = Math.abs(r - fr);
  const ds = Math.abs(s - fs);
  if (dq > dr && dq > ds) q = -r - s;
  else if (dr > ds) r = -q - s;
  return { q: q + 0, r: r + 0 };
}

/** The closed ring of a cell's six corners, [lon, lat]. */
export function cellRing(grid: HexGrid, cell: Cell): [number, number][] {
  const [cx, cy] = cellCentre(grid, cell);
  const kx = metresPerDegreeLon(grid.originLat);
  const ring: [number, number][] = [];
  for (let i = 0; i <= 6; i++) {
    const angle = (Math.PI / 3) * (i % 6);
    ring.push([cx + (grid.size * Math.cos(angle)) / kx, cy + (grid.size * Math.sin(angle)) / metresPerDegreeLat]);
  }
  return ring;
}

/** Cells within `k` steps of `cell`, the cell itself excluded (k = 1: the six adjacent cells). */
export function kRing(cell: Cell, k: number): Cell[] {
  const out: Cell[] = [];
  for (let dq = -k; dq <= k; dq++) {
    for (let dr = Math.max(-k, -dq - k); dr <= Math.min(k, -dq + k); dr++) {
      if (dq !== 0 || dr !== 0) out.push({ q: cell.q + dq, r: cell.r + dr });
    }
  }
  return out;
}

/** Cell size in metres for a map zoom: about 25 screen pixels across. */
export function cellSizeForZoom(zoom: number, latitude: number): number {
  const metresPerPixel = (156_543.03 * Math.cos(latitude * RAD)) / 2 ** zoom;
  const size = Math.round((metresPerPixel * 25) / 2 / 50) * 50;
  return Math.min(20_000, Math.max(100, size));
}
