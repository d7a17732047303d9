/** Pure helpers of a hot-spot cell as a task's subject (交办 from the map). */
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';

const TWO_32 = BigInt(4_294_967_296);

/** The stored id of a hexagon of the fixed grid (packCell of server/domain/stats/hexgrid.ts): q·2³² + r. */
export const cellIdOf = (q: number, r: number): string => (BigInt(q) * TWO_32 + BigInt(r)).toString();

/** A hexagon's centre: the mean of its corners (the ring repeats its first corner at the end). */
export function ringCentre(ring: readonly Position[]): [number, number] {
  const corners =
    ring.length > 1 && ring[0]?.[0] === ring.at(-1)?.[0] && ring[0]?.[1] === ring.at(-1)?.[1]
      ? ring.slice(0, -1)
      : ring;
  let lon = 0;
  let lat = 0;
  for (const [x = 0, y = 0] of corners) {
    lon += x;
    lat += y;
  }
  return [lon / corners.length, lat / corners.length];
}

/** The town whose outline holds the point, or null (outside the county). */
export function townAt(
  towns: readonly { geometry: Polygon | MultiPolygon; properties: { code: string } }[],
  lon: number,
  lat: number,
): string | null {
  for (const t of towns) if (booleanPointInPolygon([lon, lat], t.geometry)) return t.properties.code;
  return null;
}

/** The cell picked for a task, as one URL parameter (`size:id:lon:lat`), so a reload keeps the drill-down. */
export interface PickedCell {
  size: number;
  id: string;
  lon: number;
  lat: number;
}

export const cellParam = (c: PickedCell) => `${c.size}:${c.id}:${c.lon.toFixed(6)}:${c.lat.toFixed(6)}`;

export function parseCellParam(v: string | null): PickedCell | null {
  const m = /^(\d{3,4}):(-?\d{1,19}):(-?\d{1,3}(?:\.\d+)?):(-?\d{1,2}(?:\.\d+)?)$/.exec(v ?? '');
  if (!m) return null;
  return { size: Number(m[1]), id: m[2] as string, lon: Number(m[3]), lat: Number(m[4]) };
}
