/**
 * How the map should draw the case layer: a GeoJSON source while the filtered cases are few enough to hold in
 * the browser, the server's vector tiles (`/tiles/disputes/{z}/{x}/{y}.mvt`, aggregated on a grid at every
 * zoom) once they are many. GeoJSON gives instant client-side styling and popups; beyond a few tens of
 * thousands of points it costs seconds of download and parsing and a lot of memory, while tiles stay small.
 */
export const TILE_THRESHOLD = 20_000;

export type CaseSourceKind = 'geojson' | 'tiles';

export interface CaseSourceChoice {
  kind: CaseSourceKind;
  /** For tiles: the tile URL template with the dashboard's filter query (the same parameters as the API). */
  tiles?: string;
}

/**
 * Picks the source for `count` cases matching `filterQuery` (e.g. "status=open&town=430723108", without "?").
 * An unknown count (still loading) keeps GeoJSON only when nothing suggests a large result: callers pass the
 * total from the list or summary API.
 */
export function chooseCaseSource(
  count: number,
  filterQuery = '',
  threshold: number = TILE_THRESHOLD,
  origin = '',
): CaseSourceChoice {
  if (!Number.isFinite(count) || count < 0) throw new RangeError(`invalid case count ${count}`);
  if (count <= threshold) return { kind: 'geojson' };
  const query = filterQuery.replace(/^\?/, '');
  return { kind: 'tiles', tiles: `${origin}/tiles/disputes/{z}/{x}/{y}.mvt${query ? `?${query}` : ''}` };
}
