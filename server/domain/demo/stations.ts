import type { Position } from 'geojson';
import type { Geography, TownPlace } from './geography.js';
import {
  distanceMetres,
  distanceToBoundaryMetres,
  offsetMetres,
  pointInMultiPolygon,
  roundPosition,
} from './geometry.js';
import type { Rng } from './rng.js';
import type { DemoStation } from './types.js';

// Every town has a police station (派出所) and a judicial office (司法所) at its seat. Joint mediation rooms
// (警司联调室) sit inside the police station in most towns but not all, so that the coverage views have real gaps
// to show. Court tribunals (人民法庭) serve a few larger towns.

/** The two towns the source article names; they must have a joint room. */
export const ARTICLE_TOWN_CODES = ['430723108', '430723114'] as const; // 王家厂镇, 澧南镇

/** Towns without a joint mediation room in the demo. */
const TOWNS_WITHOUT_ROOM = 4;
const COURT_TRIBUNALS = 4;

export const stationKey = {
  police: (townCode: string) => `ps-${townCode}`,
  judicial: (townCode: string) => `jo-${townCode}`,
  jointRoom: (townCode: string) => `jm-${townCode}`,
  court: (townCode: string) => `ct-${townCode}`,
};

/** 王家厂镇 → 王家厂, 澧西街道 → 澧西: police stations, rooms and tribunals are named without the suffix. */
export function shortTownName(name: string): string {
  return name.replace(/(街道|镇|乡)$/, '');
}

/**
 * The towns without a joint room: the ones farthest from the county seat (澧阳街道, seat of the county
 * government), never an urban sub-district and never a town the article names. Remote hill towns getting their
 * room last is the plausible story; picking by distance rather than by the random stream keeps the choice
 * stable across seeds.
 */
export function townsWithoutJointRoom(geography: Geography): Set<string> {
  const countySeat = geography.towns.find((t) => t.name === '澧阳街道')?.seat ?? geography.countyLabelPoint;
  const eligible = geography.towns.filter(
    (t) => !t.isUrban && !(ARTICLE_TOWN_CODES as readonly string[]).includes(t.code),
  );
  const remote = [...eligible].sort((a, b) => distanceMetres(b.seat, countySeat) - distanceMetres(a.seat, countySeat));
  return new Set(remote.slice(0, TOWNS_WITHOUT_ROOM).map((t) => t.code));
}

/** A point at a given distance from `from` in a random direction, inside the town and away from its edge. */
function nearbyPoint(rng: Rng, town: TownPlace, from: Position, minM: number, maxM: number): Position {
  for (let attempt = 0; attempt < 200; attempt++) {
    const r = rng.uniform(minM, maxM);
    const angle = rng.uniform(0, 2 * Math.PI);
    const p = roundPosition(offsetMetres(from, r * Math.cos(angle), r * Math.sin(angle)));
    if (pointInMultiPolygon(p, town.geometry) && distanceToBoundaryMetres(p, town.geometry) > 20) return p;
  }
  return roundPosition(from);
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function randomDate(rng: Rng, fromYear: number, toYear: number): string {
  return isoDate(rng.int(fromYear, toYear), rng.int(1, 12), rng.int(1, 28));
}

export function buildStations(geography: Geography, rng: Rng): DemoStation[] {
  const withoutRoom = townsWithoutJointRoom(geography);
  // Tribunals go to the rural towns with the most villages: the largest caseloads outside the county seat.
  const courtTowns = new Set(
    [...geography.towns]
      .filter((t) => !t.isUrban)
      .sort((a, b) => b.villages.length - a.villages.length || a.code.localeCompare(b.code))
      .slice(0, COURT_TRIBUNALS)
      .map((t) => t.code),
  );

  const stations: DemoStation[] = [];
  for (const town of geography.towns) {
    const short = shortTownName(town.name);
    // The police station stands at the town seat (the label point is the seat whenever the seat is inside).
    const policePoint = nearbyPoint(rng, town, town.labelPoint, 0, 150);
    const police: DemoStation = {
      key: stationKey.police(town.code),
      kind: 'police_station',
      name: `${short}派出所`,
      townCode: town.code,
      point: { type: 'Point', coordinates: policePoint },
      staffCount: town.isUrban ? rng.int(18, 30) : rng.int(8, 18),
      openedOn: randomDate(rng, 1984, 2005),
      hostKey: null,
      staffedByKey: null,
    };
    const judicial: DemoStation = {
      key: stationKey.judicial(town.code),
      kind: 'judicial_office',
      name: `${town.name}司法所`,
      townCode: town.code,
      point: { type: 'Point', coordinates: nearbyPoint(rng, town, policePoint, 200, 600) },
      staffCount: rng.int(2, 5),
      openedOn: randomDate(rng, 1988, 2010),
      hostKey: null,
      staffedByKey: null,
    };
    stations.push(police, judicial);

    if (!withoutRoom.has(town.code)) {
      stations.push({
        key: stationKey.jointRoom(town.code),
        kind: 'joint_mediation_room',
        name: `${short}警司联调室`,
        townCode: town.code,
        // A room inside the police station compound: a few metres from its point.
        point: { type: 'Point', coordinates: nearbyPoint(rng, town, policePoint, 5, 15) },
        staffCount: rng.int(2, 4),
        // The county rolled the mechanism out from 2018 (the article's "自2018年以来").
        openedOn: randomDate(rng, 2018, 2019),
        hostKey: police.key,
        staffedByKey: judicial.key,
      });
    }

    if (courtTowns.has(town.code)) {
      stations.push({
        key: stationKey.court(town.code),
        kind: 'court_tribunal',
        name: `${short}人民法庭`,
        townCode: town.code,
        point: { type: 'Point', coordinates: nearbyPoint(rng, town, policePoint, 300, 900) },
        staffCount: rng.int(4, 9),
        openedOn: randomDate(rng, 1985, 2000),
        hostKey: null,
        staffedByKey: null,
      });
    }
  }
  return stations;
}
