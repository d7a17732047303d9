import { locate, stationById } from '../../db/queries/cases.js';
import type { Queryable } from '../../db/types.js';
import { InvalidInput } from '../errors.js';

/** Where a case is and who may put it there: the place check every command that places a case shares. */

export interface Location {
  lon?: number | undefined;
  lat?: number | undefined;
  villageCode?: string | undefined;
}

/**
 * Where a scoped caller (town officer, station staff) may place or route a case: their towns (null = the county)
 * and their own station. A place or station outside is a 400 naming the field, and nothing is written.
 */
export interface CaseScope {
  towns: readonly string[] | null;
  stationId: number | null;
}

export interface Place {
  village_code: string;
  town_code: string;
  lon: number;
  lat: number;
}

export interface Station {
  id: number;
  kind: string;
  town_code: string;
}

/** Both coordinates or neither. */
export function assertWholePoint(loc: Location): void {
  if ((loc.lon === undefined) !== (loc.lat === undefined)) {
    throw new InvalidInput(loc.lon === undefined ? 'lon' : 'lat', 'give both lon and lat');
  }
}

/** The village and town of a point, or of a village code; 400 naming the field when there is none. */
export async function resolveLocation(tx: Queryable, loc: Location): Promise<Place> {
  const hasPoint = loc.lon !== undefined && loc.lat !== undefined;
  if (!hasPoint && !loc.villageCode) throw new InvalidInput('lon', 'give a point (lon, lat) or a villageCode');
  const q = locate(
    hasPoint ? (loc.lon as number) : null,
    hasPoint ? (loc.lat as number) : null,
    loc.villageCode ?? null,
  );
  const row = (await tx.query<Place>(q.text, q.values)).rows[0];
  if (!row) {
    throw hasPoint
      ? new InvalidInput('lon', `the point ${loc.lon}, ${loc.lat} is outside the county's villages`)
      : new InvalidInput('villageCode', `no village ${loc.villageCode}`);
  }
  return row;
}

export async function checkStation(tx: Queryable, stationId: number, field: string): Promise<Station> {
  const q = stationById(stationId);
  const row = (await tx.query<Station>(q.text, q.values)).rows[0];
  if (!row) throw new InvalidInput(field, `no station ${stationId}`);
  return row;
}

export function assertPlaceInScope(scope: CaseScope | undefined, place: { town_code: string }, loc: Location): void {
  if (!scope?.towns || scope.towns.includes(place.town_code)) return;
  const field = loc.villageCode !== undefined && loc.lon === undefined ? 'villageCode' : 'lon';
  throw new InvalidInput(
    field,
    `the place is in town ${place.town_code}, outside your scope (${scope.towns.join(', ')})`,
  );
}

export function assertStationInScope(scope: CaseScope | undefined, station: Station, field: string): void {
  if (!scope?.towns || scope.towns.includes(station.town_code)) return;
  if (scope.stationId !== null && Number(station.id) === scope.stationId) return;
  throw new InvalidInput(field, `station ${station.id} is in town ${station.town_code}, outside your scope`);
}
