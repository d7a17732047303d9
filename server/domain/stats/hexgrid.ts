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

const SQRT3 = Math.sqrt(3);

/**
 * The cell containing a point. The hexagon containing (x, y) is found with three floors instead of cube rounding
 * (the same cells; they differ only on the edges between cells), written so that the database's stored cell ids
 * (`hex_cell` in migration 120) do the same floating-point operations in the same order and agree with this to
 * the last bit: with X = x / size and Y = y / (√3 · size),
 *   q = ⌊(⌊X + Y⌋ + ⌊X − Y⌋ + 2) / 3⌋,  r = ⌊(⌊Y − X⌋ + ⌊2Y⌋ + 2) / 3⌋.
 * (The three floors split the plane along the lines q − r, q − s and r − s = integer, the perpendicular bisectors
 * of neighbouring centres; hand-written because no maintained library bins into this axial layout.)
 */
export function cellAt(grid: HexGrid, lon: number, lat: number): Cell {
  const x = (lon - grid.originLon) * metresPerDegreeLon(grid.originLat);
  const y = (lat - grid.originLat) * metresPerDegreeLat;
  const X = x / grid.size;
  const Y = y / (SQRT3 * grid.size);
  const q = Math.floor((Math.floor(X + Y) + Math.floor(X - Y) + 2) / 3);
  const r = Math.floor((Math.floor(Y - X) + Math.floor(2 * Y) + 2) / 3);
  return { q: q + 0, r: r + 0 };
}

/**
 * The grid of the stored cell ids (migration 120): one origin and one projection for every county and request, so
 * that the database computes each dispute's cell once, at insert. Near the middle of Hunan (112° E, 27.5° N): the
 * local equirectangular projection keeps cells equal-area everywhere (a constant scale east–west); in ground terms
 * hexagons are narrower east–west by cos(lat) ÷ cos(27.5°), 2 % at Lixian (29.6° N), within ±3 % across Hunan, and
 * equal-area to ±0.3 % within one county.
 */
export const STORED_ORIGIN = { lon: 112, lat: 27.5 } as const;

/** Cell sizes (centre to corner, metres) with a stored id per dispute: column `hex_<size>` (migration 120). */
export const CELL_SIZE_LADDER = [250, 400, 600, 1000, 1650, 2700, 4500, 7500] as const;
export type LadderSize = (typeof CELL_SIZE_LADDER)[number];

/** The ladder size nearest to `size` (on a log scale: 500 → 600, 1250 → 1000, 20,000 → 7,500). */
export function snapCellSize(size: number): LadderSize {
  let best: LadderSize = CELL_SIZE_LADDER[0];
  for (const s of CELL_SIZE_LADDER) {
    if (Math.abs(Math.log(s / size)) < Math.abs(Math.log(best / size))) best = s;
  }
  return best;
}

/** The stored grid of a ladder size. */
export const storedGrid = (size: LadderSize): HexGrid => ({
  size,
  originLon: STORED_ORIGIN.lon,
  originLat: STORED_ORIGIN.lat,
});

/** A cell as the stored bigint id: q · 2³² + r (|q|, |r| < 2³¹). */
export const packCell = ({ q, r }: Cell): bigint => BigInt(q) * 4_294_967_296n + BigInt(r);

/** The cell of a stored id (the inverse of `packCell`). */
export function unpackCell(id: bigint): Cell {
  const q = (id + 2_147_483_648n) >> 32n;
  return { q: Number(q), r: Number(id - q * 4_294_967_296n) };
}

/** The offsets of a cell's corners from its centre, degrees [dLon[], dLat[]], closed (7 corners, the first repeated). */
export function ringOffsets(grid: HexGrid): [number[], number[]] {
  const kx = metresPerDegreeLon(grid.originLat);
  const dLon: number[] = [];
  const dLat: number[] = [];
  for (let i = 0; i <= 6; i++) {
    const angle = (Math.PI / 3) * (i % 6);
    dLon.push((grid.size * Math.cos(angle)) / kx);
    dLat.push((grid.size * Math.sin(angle)) / metresPerDegreeLat);
  }
  return [dLon, dLat];
}

/** The closed ring of a cell's six corners, [lon, lat]. */
export function cellRing(grid: HexGrid, cell: Cell, offsets = ringOffsets(grid)): [number, number][] {
  const [cx, cy] = cellCentre(grid, cell);
  const [dLon, dLat] = offsets;
  return dLon.map((dx, i) => [cx + dx, cy + (dLat[i] as number)]);
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

/** A bounding box in degrees. */
export interface Extent {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/**
 * The cells whose centre may lie in the extent: every cell over its bounding box, one ring wider, as columns
 * (q, r and the centre's lon, lat) ready for the database to keep those inside an outline.
 */
export function candidateCells(grid: HexGrid, extent: Extent) {
  const size = grid.size;
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
  return candidates;
}
