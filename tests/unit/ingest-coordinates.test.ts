import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { fromWgs84, parseCoordinateSystem, toWgs84 } from '../../server/domain/ingest/coordinates.js';

const metres = (a: [number, number], b: [number, number]) => distance(a, b, { units: 'meters' });

describe('coordinate conversion to WGS-84', () => {
  it('GCJ-02 from the Amap API lands within 2 m of the GPS point', () => {
    // Tiananmen: WGS-84 (116.39089, 39.90734); Amap's convert API returned (116.39713623, 39.90874539)
    // (pair quoted in the test suite of the R package "geoChina").
    expect(metres(toWgs84(116.39713623, 39.90874539, 'gcj02'), [116.39089, 39.90734])).toBeLessThan(2);
  });

  it('inverts the published WGS-84 → GCJ-02 pair of wandergis/coordtransform within 2 m', () => {
    expect(metres(toWgs84(116.41024449916938, 39.91640428150164, 'gcj02'), [116.404, 39.915])).toBeLessThan(2);
  });

  it('BD-09 → WGS-84 agrees with the published BD-09 → GCJ-02 pair within 2 m', () => {
    const wgs = toWgs84(116.404, 39.915, 'bd09');
    expect(metres(fromWgs84(wgs[0], wgs[1], 'gcj02'), [116.39762729119315, 39.90865673957631])).toBeLessThan(2);
    // and the offset itself is real (hundreds of metres), so the test would catch a missing conversion
    expect(metres(wgs, [116.404, 39.915])).toBeGreaterThan(500);
  });

  it('treats CGCS2000 as WGS-84 and reads the names people use', () => {
    expect(toWgs84(111.76, 29.63, 'cgcs2000')).toEqual([111.76, 29.63]);
    expect(parseCoordinateSystem('GCJ-02')).toBe('gcj02');
    expect(parseCoordinateSystem('百度')).toBe('bd09');
    expect(parseCoordinateSystem('EPSG:4490'.replace(':', ''))).toBe('cgcs2000');
    expect(parseCoordinateSystem('utm')).toBeNull();
  });
});
