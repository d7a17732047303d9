import { featureCollection, intersect, point, pointOnFeature, voronoi } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import {
  type BBox,
  bboxOf,
  distanceMetres,
  distanceToBoundaryMetres,
  expandBBox,
  normalizeMultiPolygon,
  offsetMetres,
  pointInMultiPolygon,
  roundPosition,
} from './geometry.js';
import { COUNTY_CODE, type ReferenceGeography } from './reference.js';
import type { Rng } from './rng.js';
import type { DemoAdminUnit } from './types.js';

// There are no public town or village boundaries for Lixian, so the demo derives them: towns are Voronoi cells
// of the (approximate) town seats clipped to the county outline, villages are Voronoi cells of sampled village
// points clipped to their town. The result is a plausible, repeatable partition — not official boundaries.

export interface VillagePlace {
  code: string;
  name: string;
  townCode: string;
  /** 社区 (urban community) rather than 村: placed in the town centre, with smaller cells. */
  isCommunity: boolean;
  /** The village's anchor point; also its label point. */
  point: Position;
  geometry: MultiPolygon;
}

export interface TownPlace {
  code: string;
  name: string;
  /** 街道 (urban sub-district of the county seat) rather than 镇. */
  isUrban: boolean;
  seat: Position;
  geometry: MultiPolygon;
  labelPoint: Position;
  villages: VillagePlace[];
}

export interface Geography {
  countyCode: string;
  countyName: string;
  countyGeometry: MultiPolygon;
  countyLabelPoint: Position;
  towns: TownPlace[];
  villages: VillagePlace[];
}

/** Village points keep this far from their town's edge, so every village cell has some depth around its point. */
const MIN_EDGE_DISTANCE_M = 200;
/** Candidates per placed point in best-candidate sampling (Mitchell): more = more even spacing. */
const CANDIDATES = 24;

function toMultiPolygon(f: Feature<Polygon | MultiPolygon> | null): MultiPolygon | null {
  if (!f) return null;
  return f.geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [f.geometry.coordinates] } : f.geometry;
}

function clip(cell: Polygon, mask: MultiPolygon): MultiPolygon | null {
  const pair: Feature<Polygon | MultiPolygon>[] = [
    { type: 'Feature', properties: {}, geometry: cell },
    { type: 'Feature', properties: {}, geometry: mask },
  ];
  return toMultiPolygon(intersect(featureCollection(pair)));
}

/** Voronoi cells of the points (same order), each clipped to the mask and normalised. */
function clippedVoronoi(points: Position[], mask: MultiPolygon, box: BBox): MultiPolygon[] {
  const cells = voronoi(featureCollection(points.map((p) => point(p))), { bbox: box });
  return points.map((p, i) => {
    const cell = cells.features[i];
    if (!cell) throw new Error(`no Voronoi cell for point ${p.join(',')} (duplicate point?)`);
    const clipped = clip(cell.geometry, mask);
    const geometry = clipped ? normalizeMultiPolygon(clipped) : null;
    if (!geometry || geometry.coordinates.length === 0) throw new Error(`empty cell at ${p.join(',')}`);
    return geometry;
  });
}

function labelPointFor(seat: Position, geometry: MultiPolygon): Position {
  const rounded = roundPosition(seat);
  if (pointInMultiPolygon(rounded, geometry) && distanceToBoundaryMetres(rounded, geometry) > 1) return rounded;
  return roundPosition(pointOnFeature({ type: 'Feature', properties: {}, geometry }).geometry.coordinates);
}

interface SamplingArea {
  geometry: MultiPolygon;
  box: BBox;
}

/**
 * Best-candidate sampling: of several random candidates inside the area, keep the one farthest from the points
 * already placed (and from the edge), which spreads points evenly without a grid look. `near` restricts the
 * candidates to a disc, used to cluster urban communities around the town centre.
 */
function placePoint(
  rng: Rng,
  area: SamplingArea,
  placed: readonly Position[],
  near?: { centre: Position; radiusM: number },
): Position {
  for (let minEdge = MIN_EDGE_DISTANCE_M; minEdge >= 1; minEdge /= 2) {
    let best: Position | null = null;
    let bestScore = -1;
    let found = 0;
    for (let attempt = 0; attempt < CANDIDATES * 40 && found < CANDIDATES; attempt++) {
      let candidate: Position;
      if (near) {
        const r = near.radiusM * Math.sqrt(rng.next());
        const angle = rng.uniform(0, 2 * Math.PI);
        candidate = roundPosition(offsetMetres(near.centre, r * Math.cos(angle), r * Math.sin(angle)));
      } else {
        candidate = roundPosition([rng.uniform(area.box[0], area.box[2]), rng.uniform(area.box[1], area.box[3])]);
      }
      if (!pointInMultiPolygon(candidate, area.geometry)) continue;
      const edge = distanceToBoundaryMetres(candidate, area.geometry);
      if (edge < minEdge) continue;
      found++;
      let nearest = Number.POSITIVE_INFINITY;
      for (const p of placed) nearest = Math.min(nearest, distanceMetres(candidate, p));
      // Twice the edge distance: a point at distance d from the edge "owns" roughly 2d of width towards it.
      const score = Math.min(nearest, 2 * edge);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best) return best;
  }
  throw new Error('could not place a village point inside its town');
}

/** Village points: communities clustered around the seat (the town centre), villages spread over the town. */
function placeVillagePoints(
  rng: Rng,
  town: { seat: Position; geometry: MultiPolygon },
  villages: { isCommunity: boolean }[],
): Position[] {
  const area: SamplingArea = { geometry: town.geometry, box: bboxOf(town.geometry) };
  const communities = villages.filter((v) => v.isCommunity).length;
  // Urban communities are a few hundred metres across; the disc grows with their number.
  const centre = { centre: town.seat, radiusM: 500 * Math.sqrt(Math.max(1, communities)) };
  const placed: Position[] = [];
  for (const v of villages) placed.push(placePoint(rng, area, placed, v.isCommunity ? centre : undefined));
  return placed;
}

export function buildGeography(reference: ReferenceGeography, rng: Rng): Geography {
  const countyGeometry = normalizeMultiPolygon(reference.countyOutline);
  const countyBox = expandBBox(bboxOf(countyGeometry), 0.1);

  const seats = reference.towns.map((t) => reference.seats.get(t.code) ?? [0, 0]);
  const townGeometries = clippedVoronoi(seats, countyGeometry, countyBox);

  const towns: TownPlace[] = reference.towns.map((t, i) => {
    const seat = seats[i] ?? [0, 0];
    const geometry = townGeometries[i] as MultiPolygon;
    return {
      code: t.code,
      name: t.name,
      isUrban: t.name.endsWith('街道'),
      seat,
      geometry,
      labelPoint: labelPointFor(seat, geometry),
      villages: [],
    };
  });

  for (const town of towns) {
    const refs = reference.villages.filter((v) => v.parentCode === town.code);
    const kinds = refs.map((v) => ({ isCommunity: v.name.endsWith('社区') }));
    const points = placeVillagePoints(rng, { seat: town.labelPoint, geometry: town.geometry }, kinds);
    const geometries = clippedVoronoi(points, town.geometry, expandBBox(bboxOf(town.geometry), 0.01));
    town.villages = refs.map((v, i) => ({
      code: v.code,
      name: v.name,
      townCode: town.code,
      isCommunity: kinds[i]?.isCommunity ?? false,
      point: points[i] ?? [0, 0],
      geometry: geometries[i] as MultiPolygon,
    }));
  }

  return {
    countyCode: COUNTY_CODE,
    countyName: reference.countyName,
    countyGeometry,
    countyLabelPoint: roundPosition(reference.countyLabelPoint),
    towns,
    villages: towns.flatMap((t) => t.villages),
  };
}

export function toAdminUnits(geography: Geography): DemoAdminUnit[] {
  return [
    {
      code: geography.countyCode,
      name: geography.countyName,
      level: 'county',
      parentCode: null,
      geometry: geography.countyGeometry,
      labelPoint: geography.countyLabelPoint,
    },
    ...geography.towns.map(
      (t): DemoAdminUnit => ({
        code: t.code,
        name: t.name,
        level: 'town',
        parentCode: geography.countyCode,
        geometry: t.geometry,
        labelPoint: t.labelPoint,
      }),
    ),
    ...geography.villages.map(
      (v): DemoAdminUnit => ({
        code: v.code,
        name: v.name,
        level: 'village',
        parentCode: v.townCode,
        geometry: v.geometry,
        labelPoint: v.point,
      }),
    ),
  ];
}
