import { describe, expect, it } from 'vitest';
import { chooseCaseSource, TILE_THRESHOLD } from '../../web/src/map/case-source.js';

describe('chooseCaseSource', () => {
  it('keeps GeoJSON up to the threshold and switches to tiles above it', () => {
    expect(chooseCaseSource(0)).toEqual({ kind: 'geojson' });
    expect(chooseCaseSource(TILE_THRESHOLD)).toEqual({ kind: 'geojson' });
    expect(chooseCaseSource(TILE_THRESHOLD + 1).kind).toBe('tiles');
    expect(chooseCaseSource(500, '', 100).kind).toBe('tiles');
  });

  it('carries the dashboard filter into the tile URL template', () => {
    expect(chooseCaseSource(50_000, '?status=open&town=430723108').tiles).toBe(
      '/tiles/disputes/{z}/{x}/{y}.mvt?status=open&town=430723108',
    );
    expect(chooseCaseSource(50_000, '', TILE_THRESHOLD, 'http://localhost:8080').tiles).toBe(
      'http://localhost:8080/tiles/disputes/{z}/{x}/{y}.mvt',
    );
  });

  it('rejects a count that is not a count', () => {
    expect(() => chooseCaseSource(Number.NaN)).toThrow(RangeError);
    expect(() => chooseCaseSource(-1)).toThrow(RangeError);
  });
});
