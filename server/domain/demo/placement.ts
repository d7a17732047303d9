import type { Position } from 'geojson';
import type { VillagePlace } from './geography.js';
import { distanceToBoundaryMetres, offsetMetres, pointInMultiPolygon, roundPosition } from './geometry.js';
import type { Rng } from './rng.js';

/**
 * A point a few hundred metres around the village point (Gaussian, tighter in dense urban communities) and
 * strictly inside the village — at least 2 m from its edge, so that rounding and other point-in-polygon
 * implementations agree on which village holds it. Falls back to the village point itself.
 */
export function pointNearVillage(rng: Rng, village: VillagePlace, sigmaM = village.isCommunity ? 150 : 350): Position {
  for (let attempt = 0; attempt < 30; attempt++) {
    const p = roundPosition(offsetMetres(village.point, sigmaM * rng.normal(), sigmaM * rng.normal()));
    if (pointInMultiPolygon(p, village.geometry) && distanceToBoundaryMetres(p, village.geometry) >= 2) return p;
  }
  return village.point;
}
