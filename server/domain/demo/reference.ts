import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

// The only module of the generator that touches the file system: it reads the project's own copy of the
// reference geography (provenance and licences in data/lixian/README.md); everything downstream is pure.

export const COUNTY_CODE = '430723';

export interface ReferenceUnit {
  code: string;
  name: string;
  level: 'county' | 'town' | 'village';
  parentCode: string;
}

export interface ReferenceGeography {
  countyName: string;
  countyOutline: MultiPolygon;
  countyLabelPoint: Position;
  towns: ReferenceUnit[];
  villages: ReferenceUnit[];
  /** Approximate town seats by town code (hand-placed, not official). */
  seats: Map<string, Position>;
}

function dataFile(name: string): string {
  return readFileSync(new URL(`../../../data/lixian/${name}`, import.meta.url), 'utf8');
}

function readCsv(name: string): Record<string, string>[] {
  // The reference files mix CRLF and LF line ends (hand-edited); csv-parse otherwise guesses one from line 1.
  return parse(dataFile(name), {
    columns: true,
    bom: true,
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: true,
    trim: true,
  });
}

export function loadReferenceGeography(): ReferenceGeography {
  const units = readCsv('admin_units.csv').map(
    (r): ReferenceUnit => ({
      code: r.code ?? '',
      name: r.name ?? '',
      level: r.level as ReferenceUnit['level'],
      parentCode: r.parent_code ?? '',
    }),
  );
  const county = units.find((u) => u.level === 'county' && u.code === COUNTY_CODE);
  if (!county) throw new Error(`admin_units.csv has no county ${COUNTY_CODE}`);
  const towns = units.filter((u) => u.level === 'town' && u.parentCode === COUNTY_CODE);
  const townCodes = new Set(towns.map((t) => t.code));
  const villages = units.filter((u) => u.level === 'village' && townCodes.has(u.parentCode));

  const seats = new Map<string, Position>();
  for (const r of readCsv('town_seats.csv')) seats.set(r.code ?? '', [Number(r.lon), Number(r.lat)]);
  for (const t of towns) if (!seats.has(t.code)) throw new Error(`town_seats.csv has no seat for ${t.code}`);

  const outlines = JSON.parse(dataFile('changde_counties.geojson')) as FeatureCollection<
    Polygon | MultiPolygon,
    { code: string; name: string; label_point: Position }
  >;
  const feature = outlines.features.find((f) => f.properties.code === COUNTY_CODE);
  if (!feature) throw new Error(`changde_counties.geojson has no county ${COUNTY_CODE}`);
  const countyOutline: MultiPolygon =
    feature.geometry.type === 'Polygon'
      ? { type: 'MultiPolygon', coordinates: [feature.geometry.coordinates] }
      : feature.geometry;

  return {
    countyName: county.name,
    countyOutline,
    countyLabelPoint: feature.properties.label_point,
    towns,
    villages,
    seats,
  };
}
