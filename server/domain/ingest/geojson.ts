import { booleanClockwise, pointOnFeature, rewind } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { type CoordinateSystem, toWgs84 } from './coordinates.js';
import { type ParsedTable, TableError } from './csv.js';
import { mapHeaders } from './fields.js';
import type { ReasonCode, ReasonParams } from './reasons.js';
import { type RawRecord, type RowIssue, rowIssue } from './rows.js';

export interface ParsedGeoJson extends ParsedTable {
  /** Screened areas by row (feature number), WGS-84, rings wound as RFC 7946 §3.1.6 asks. */
  areas: Map<number, string>;
  issues: RowIssue[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A FeatureCollection of screenings (RFC 7946). Points give the location; Polygons / MultiPolygons give a screened
 * area whose point on surface is the location. Structure and finite coordinates are checked here; ring winding is
 * repaired (with a warning); validity (self-intersection…) is checked by the database (ST_IsValidReason).
 * Coordinates are in the batch's declared system and converted to WGS-84 here.
 */
export function parseGeoJson(text: string, crs: CoordinateSystem, maxRows: number): ParsedGeoJson {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new TableError(`not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new TableError('type: expected a GeoJSON FeatureCollection with a "features" array');
  }
  if (doc.features.length > maxRows) throw new TableError(`more than ${maxRows} features (the limit per upload)`);
  const records: ParsedTable['records'] = [];
  const areas = new Map<number, string>();
  const issues: RowIssue[] = [];
  const unknownHeaders = new Set<string>();
  /** Reads one feature into `records`, or its problem into `issues` (false). */
  const readFeature = (feature: unknown, index: number): boolean => {
    const row = index + 1;
    const error = (field: string, code: ReasonCode, params?: ReasonParams): false => {
      issues.push(rowIssue(row, field, 'error', code, params));
      return false;
    };
    if (!isObject(feature) || feature.type !== 'Feature') return error('type', 'not_feature');
    const props = feature.properties ?? {};
    if (!isObject(props)) return error('properties', 'not_properties');
    const keys = Object.keys(props);
    const { columns, unknown } = mapHeaders(keys);
    for (const u of unknown) unknownHeaders.add(u);
    const rec: RawRecord = {};
    columns.forEach((field, j) => {
      if (field) rec[field] = props[keys[j] as string];
    });
    const geometry = feature.geometry;
    if (geometry === null || geometry === undefined) {
      records.push({ row, rec });
      return true;
    }
    if (!isObject(geometry)) return error('geometry', 'not_geometry');
    const coords = geometry.coordinates;
    if (geometry.type === 'Point') {
      const bad = badPosition(coords);
      if (bad) return error('geometry.coordinates', bad.code, bad.params);
      const [x, y] = coords as number[];
      rec.lon = x;
      rec.lat = y;
      rec.crs = crs;
      records.push({ row, rec });
      return true;
    }
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
      return error('geometry.type', 'unsupported_geometry', { value: String(geometry.type) });
    }
    const polygons = (geometry.type === 'Polygon' ? [coords] : coords) as unknown;
    if (!Array.isArray(polygons) || polygons.length === 0) return error('geometry.coordinates', 'empty_coordinates');
    let wound = false;
    const converted: Position[][][] = [];
    for (const [p, rings] of polygons.entries()) {
      if (!Array.isArray(rings) || rings.length === 0) return error(`geometry.coordinates[${p}]`, 'no_rings');
      const out: Position[][] = [];
      for (const [r, ring] of rings.entries()) {
        const where = `geometry.coordinates${geometry.type === 'MultiPolygon' ? `[${p}]` : ''}[${r}]`;
        if (!Array.isArray(ring) || ring.length < 4) return error(where, 'short_ring');
        for (const [k, pos] of ring.entries()) {
          const bad = badPosition(pos);
          if (bad) return error(`${where}[${k}]`, bad.code, bad.params);
        }
        const first = ring[0] as number[];
        const last = ring[ring.length - 1] as number[];
        if (first[0] !== last[0] || first[1] !== last[1]) return error(where, 'open_ring');
        const wgs = (ring as number[][]).map(([x, y]) => toWgs84(x as number, y as number, crs));
        // RFC 7946: exterior rings counterclockwise, holes clockwise.
        if (booleanClockwise(wgs) !== r > 0) wound = true;
        out.push(wgs);
      }
      converted.push(out);
    }
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: converted };
    const repaired = rewind(multi) as MultiPolygon;
    if (wound) issues.push(rowIssue(row, 'geometry', 'warning', 'winding_repaired'));
    const onSurface = pointOnFeature(repaired as Polygon | MultiPolygon).geometry.coordinates;
    rec.lon = onSurface[0];
    rec.lat = onSurface[1];
    rec.crs = 'wgs84';
    areas.set(row, JSON.stringify(repaired));
    records.push({ row, rec });
    return true;
  };
  for (const [index, feature] of (doc.features as unknown[]).entries()) readFeature(feature, index);
  return { records, unknownHeaders: [...unknownHeaders], areas, issues };
}

function badPosition(pos: unknown): { code: ReasonCode; params?: ReasonParams } | null {
  if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3) return { code: 'not_position' };
  if (!pos.every((n) => typeof n === 'number' && Number.isFinite(n))) return { code: 'not_finite' };
  const [x, y] = pos as number[];
  if ((x as number) < -180 || (x as number) > 180 || (y as number) < -90 || (y as number) > 90) {
    return { code: 'position_out_of_range', params: { lon: x as number, lat: y as number } };
  }
  return null;
}
