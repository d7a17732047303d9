import type { MultiPolygon, Polygon, Position } from 'geojson';

// Small planar helpers for the demo geography. The county spans ~80 km, so a local equirectangular projection
// (metres east/north of a fixed origin) is accurate to well under 1 % for distances and jitter, and much faster
// than geodesic formulas in the inner loops of sampling. Nothing here mutates its input.

const ORIGIN_LAT = 29.7;
const METRES_PER_DEG_LAT = 110_850;
const METRES_PER_DEG_LON = 111_320 * Math.cos((ORIGIN_LAT * Math.PI) / 180);

/** 6 decimals ≈ 0.1 m: finer than any input, coarse enough to keep the payload small. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function roundPosition(p: Position): Position {
  return [round6(p[0] ?? 0), round6(p[1] ?? 0)];
}

/** Moves a position by metres east and north. */
export function offsetMetres(p: Position, east: number, north: number): Position {
  return [(p[0] ?? 0) + east / METRES_PER_DEG_LON, (p[1] ?? 0) + north / METRES_PER_DEG_LAT];
}

export function distanceMetres(a: Position, b: Position): number {
  const dx = ((a[0] ?? 0) - (b[0] ?? 0)) * METRES_PER_DEG_LON;
  const dy = ((a[1] ?? 0) - (b[1] ?? 0)) * METRES_PER_DEG_LAT;
  return Math.hypot(dx, dy);
}

function segmentDistanceMetres(p: Position, a: Position, b: Position): number {
  const px = ((p[0] ?? 0) - (a[0] ?? 0)) * METRES_PER_DEG_LON;
  const py = ((p[1] ?? 0) - (a[1] ?? 0)) * METRES_PER_DEG_LAT;
  const bx = ((b[0] ?? 0) - (a[0] ?? 0)) * METRES_PER_DEG_LON;
  const by = ((b[1] ?? 0) - (a[1] ?? 0)) * METRES_PER_DEG_LAT;
  const len2 = bx * bx + by * by;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * bx + py * by) / len2));
  return Math.hypot(px - t * bx, py - t * by);
}

/** Distance from a point to the nearest edge of any ring of the geometry. */
export function distanceToBoundaryMetres(p: Position, geometry: MultiPolygon): number {
  let best = Number.POSITIVE_INFINITY;
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        const a = ring[i - 1];
        const b = ring[i];
        if (a && b) best = Math.min(best, segmentDistanceMetres(p, a, b));
      }
    }
  }
  return best;
}

function insideRing(p: Position, ring: Position[]): boolean {
  const x = p[0] ?? 0;
  const y = p[1] ?? 0;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]?.[0] ?? 0;
    const yi = ring[i]?.[1] ?? 0;
    const xj = ring[j]?.[0] ?? 0;
    const yj = ring[j]?.[1] ?? 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd ray casting; points on an edge may go either way, so callers keep a margin from the boundary. */
export function pointInMultiPolygon(p: Position, geometry: MultiPolygon): boolean {
  return geometry.coordinates.some(
    (polygon) =>
      polygon[0] !== undefined && insideRing(p, polygon[0]) && !polygon.slice(1).some((h) => insideRing(p, h)),
  );
}

/** [west, south, east, north] */
export type BBox = [number, number, number, number];

export function bboxOf(geometry: MultiPolygon): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of geometry.coordinates) {
    for (const [x = 0, y = 0] of polygon[0] ?? []) {
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return box;
}

export function expandBBox(box: BBox, degrees: number): BBox {
  return [box[0] - degrees, box[1] - degrees, box[2] + degrees, box[3] + degrees];
}

/** Shoelace area in square degrees; positive for a counter-clockwise ring. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += ((ring[j]?.[0] ?? 0) - (ring[i]?.[0] ?? 0)) * ((ring[j]?.[1] ?? 0) + (ring[i]?.[1] ?? 0));
  }
  return sum / 2;
}

export function areaSquareMetres(geometry: MultiPolygon): number {
  let area = 0;
  for (const polygon of geometry.coordinates) {
    polygon.forEach((ring, i) => {
      const a = Math.abs(signedArea(ring)) * METRES_PER_DEG_LON * METRES_PER_DEG_LAT;
      area += i === 0 ? a : -a;
    });
  }
  return area;
}

const same = (a: Position | undefined, b: Position | undefined) => a?.[0] === b?.[0] && a?.[1] === b?.[1];

/**
 * Rounds a ring to 6 decimals and removes what rounding and clipping leave behind. A ring that passes through
 * the same vertex twice (the county outline does, north of 盐井镇; clipping output can too) is invalid in OGC
 * terms — ST_IsValid reports a ring self-intersection — so it is cut there into simple rings; a zero-width
 * spike (a → b → a) is the degenerate case whose cut-off loop has two vertices and vanishes. Returns open
 * rings (no closing vertex).
 */
function cleanRing(ring: Position[]): Position[][] {
  let out: Position[] = [];
  for (const p of ring) {
    const q = roundPosition(p);
    if (!same(out[out.length - 1], q)) out.push(q);
  }
  while (out.length > 1 && same(out[0], out[out.length - 1])) out.pop();
  const loops: Position[][] = [];
  for (;;) {
    const cut = firstRepeat(out);
    if (!cut) break;
    const [i, j] = cut;
    loops.push(out.slice(i, j));
    out = [...out.slice(0, i), ...out.slice(j)];
  }
  return [out, ...loops.flatMap(cleanRing)].filter((r) => r.length >= 3);
}

function firstRepeat(ring: Position[]): [number, number] | null {
  const seen = new Map<string, number>();
  for (let j = 0; j < ring.length; j++) {
    const key = `${ring[j]?.[0]},${ring[j]?.[1]}`;
    const i = seen.get(key);
    if (i !== undefined) return [i, j];
    seen.set(key, j);
  }
  return null;
}

function orient(ring: Position[], counterClockwise: boolean): Position[] {
  const ccw = signedArea(ring) > 0;
  const oriented = ccw === counterClockwise ? ring : [...ring].reverse();
  const first = oriented[0];
  return first ? [...oriented, first] : oriented;
}

/**
 * Normalises clipping output for storage: always a MultiPolygon, 6-decimal coordinates, closed rings, RFC 7946
 * winding (outer rings counter-clockwise, holes clockwise), and parts or holes smaller than `minPartM2` dropped
 * (slivers from clipping a Voronoi cell against a detailed outline).
 */
export function normalizeMultiPolygon(geometry: Polygon | MultiPolygon, minPartM2 = 2_000): MultiPolygon {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const minArea = minPartM2 / (METRES_PER_DEG_LON * METRES_PER_DEG_LAT);
  const out: Position[][][] = [];
  for (const polygon of polygons) {
    const [outer, ...holes] = polygon;
    if (!outer) continue;
    // A loop cut from the outer ring that winds the same way is another part; one that winds the other way
    // encloses a hole (polyclip can express a hole as an inward loop touching the shell).
    const outerSign = Math.sign(signedArea(outer));
    const shells: Position[][] = [];
    const holeRings: Position[][] = holes.flatMap(cleanRing);
    for (const ring of cleanRing(outer)) {
      if (Math.sign(signedArea(ring)) === outerSign) shells.push(ring);
      else holeRings.push(ring);
    }
    const keptHoles = holeRings.filter((h) => Math.abs(signedArea(h)) >= minArea);
    for (const shell of shells) {
      if (Math.abs(signedArea(shell)) < minArea) continue;
      const mine = keptHoles.filter((h) => h[0] !== undefined && insideRingOrOnIt(h, shell));
      out.push([orient(shell, true), ...mine.map((h) => orient(h, false))]);
    }
  }
  return { type: 'MultiPolygon', coordinates: out };
}

/** Whether a hole belongs to a shell: a vertex of the hole strictly inside the shell decides. */
function insideRingOrOnIt(hole: Position[], shell: Position[]): boolean {
  const shellKeys = new Set(shell.map((p) => `${p[0]},${p[1]}`));
  const probe = hole.find((p) => !shellKeys.has(`${p[0]},${p[1]}`));
  return probe !== undefined && insideRing(probe, shell);
}
