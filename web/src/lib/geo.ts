import type { Geometry, Position } from 'geojson';

/** [west, south, east, north] */
export type Bbox = [number, number, number, number];

function visit(coordinates: unknown, extend: (p: Position) => void): void {
  if (!Array.isArray(coordinates)) return;
  if (typeof coordinates[0] === 'number') {
    extend(coordinates as Position);
    return;
  }
  for (const child of coordinates) visit(child, extend);
}

/** Bounding box of any GeoJSON geometry, or null when it has no coordinates. Never mutates its input. */
export function geometryBbox(geometry: Geometry | null | undefined): Bbox | null {
  if (!geometry) return null;
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  const extend = ([x, y]: Position) => {
    if (x === undefined || y === undefined) return;
    if (x < west) west = x;
    if (x > east) east = x;
    if (y < south) south = y;
    if (y > north) north = y;
  };
  if (geometry.type === 'GeometryCollection') {
    for (const g of geometry.geometries) {
      const b = geometryBbox(g);
      if (b) {
        extend([b[0], b[1]]);
        extend([b[2], b[3]]);
      }
    }
  } else {
    visit(geometry.coordinates, extend);
  }
  return Number.isFinite(west) ? [west, south, east, north] : null;
}

/** Union of bounding boxes; null when there are none. */
export function unionBbox(boxes: readonly (Bbox | null)[]): Bbox | null {
  let out: Bbox | null = null;
  for (const b of boxes) {
    if (!b) continue;
    out = out
      ? [Math.min(out[0], b[0]), Math.min(out[1], b[1]), Math.max(out[2], b[2]), Math.max(out[3], b[3])]
      : [...b];
  }
  return out;
}
