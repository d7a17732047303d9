import { booleanClockwise } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { TableError } from '../../server/domain/ingest/csv.js';
import { parseGeoJson } from '../../server/domain/ingest/geojson.js';

const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const square = (clockwise: boolean) => {
  const ring = [
    [111.7, 29.6],
    [111.71, 29.6],
    [111.71, 29.61],
    [111.7, 29.61],
    [111.7, 29.6],
  ];
  return clockwise ? [...ring].reverse() : ring;
};

describe('GeoJSON uploads (RFC 7946)', () => {
  it('maps Chinese property names and reads points', () => {
    const g = parseGeoJson(
      fc([
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [111.7, 29.6] },
          properties: { 排查日期: '2023-05-17', 风险等级: '红' },
        },
      ]),
      'wgs84',
      10,
    );
    expect(g.records).toEqual([
      { row: 1, rec: { screened_on: '2023-05-17', risk_level: '红', lon: 111.7, lat: 29.6, crs: 'wgs84' } },
    ]);
    expect(g.issues).toEqual([]);
  });

  it('repairs clockwise exterior rings and says so', () => {
    const g = parseGeoJson(
      fc([{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(true)] }, properties: {} }]),
      'wgs84',
      10,
    );
    expect(g.issues).toEqual([expect.objectContaining({ row: 1, field: 'geometry', severity: 'warning' })]);
    const area = JSON.parse(g.areas.get(1) as string);
    expect(booleanClockwise(area.coordinates[0][0])).toBe(false);
    const ok = parseGeoJson(
      fc([{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(false)] }, properties: {} }]),
      'wgs84',
      10,
    );
    expect(ok.issues).toEqual([]);
  });

  it('names the feature and coordinate that is not finite, unclosed or of the wrong type', () => {
    const g = parseGeoJson(
      fc([
        { type: 'Feature', geometry: { type: 'Point', coordinates: [111.7, null] }, properties: {} },
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
              ],
            ],
          },
          properties: {},
        },
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [0, 0],
              [1, 1],
            ],
          },
          properties: {},
        },
        { type: 'Nope' },
      ]),
      'wgs84',
      10,
    );
    expect(g.issues.map((i) => [i.row, i.field])).toEqual([
      [1, 'geometry.coordinates'],
      [2, 'geometry.coordinates[0]'],
      [3, 'geometry.type'],
      [4, 'type'],
    ]);
    expect(g.records).toEqual([]);
  });

  it('refuses what is not a FeatureCollection', () => {
    expect(() => parseGeoJson('{"type":"Feature"}', 'wgs84', 10)).toThrow(TableError);
    expect(() => parseGeoJson('{oops', 'wgs84', 10)).toThrow(/not valid JSON/);
  });
});
