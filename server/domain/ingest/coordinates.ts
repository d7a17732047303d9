import gcoord from 'gcoord';
import { own } from '../own.js';

/** Coordinate systems uploads may declare. CGCS2000 and WGS-84 differ by centimetres here: treated as one. */
export const coordinateSystems = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;
export type CoordinateSystem = (typeof coordinateSystems)[number];

const aliases: Record<string, CoordinateSystem> = {
  wgs84: 'wgs84',
  'wgs-84': 'wgs84',
  gps: 'wgs84',
  epsg4326: 'wgs84',
  cgcs2000: 'cgcs2000',
  epsg4490: 'cgcs2000',
  gcj02: 'gcj02',
  'gcj-02': 'gcj02',
  amap: 'gcj02',
  高德: 'gcj02',
  腾讯: 'gcj02',
  火星坐标: 'gcj02',
  bd09: 'bd09',
  'bd-09': 'bd09',
  baidu: 'bd09',
  百度: 'bd09',
};

export function parseCoordinateSystem(value: string): CoordinateSystem | null {
  return own(aliases, value.trim().toLowerCase().replace(/[\s_]/g, '')) ?? null;
}

/** Converts a longitude/latitude pair to WGS-84 (what the database stores, SRID 4326). */
export function toWgs84(lon: number, lat: number, crs: CoordinateSystem): [number, number] {
  if (crs === 'wgs84' || crs === 'cgcs2000') return [lon, lat];
  const [x, y] = gcoord.transform([lon, lat], crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84) as [
    number,
    number,
  ];
  return [x, y];
}

/** The inverse, for templates, tests and the phone form's map (which shows WGS-84). */
export function fromWgs84(lon: number, lat: number, crs: CoordinateSystem): [number, number] {
  if (crs === 'wgs84' || crs === 'cgcs2000') return [lon, lat];
  const [x, y] = gcoord.transform([lon, lat], gcoord.WGS84, crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09) as [
    number,
    number,
  ];
  return [x, y];
}
