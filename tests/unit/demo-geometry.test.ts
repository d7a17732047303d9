import { booleanClockwise, booleanValid, kinks } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { normalizeMultiPolygon } from '../../server/domain/demo/geometry.js';
import { createRng, deriveSeed, uuidV4 } from '../../server/domain/demo/rng.js';

// The clean-up that makes clipped Voronoi cells and the hand-digitised county outline storable: PostGIS rejects
// self-touching rings, and RFC 7946 asks for counter-clockwise shells.

const square = (x: number, y: number, size = 0.01) => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];

describe('normalizeMultiPolygon', () => {
  it('wraps a Polygon, winds the shell counter-clockwise and holes clockwise', () => {
    const shell = square(111, 29, 0.1).reverse();
    const hole = square(111.02, 29.02, 0.02);
    const out = normalizeMultiPolygon({ type: 'Polygon', coordinates: [shell, hole] });
    expect(out.type).toBe('MultiPolygon');
    expect(out.coordinates).toHaveLength(1);
    const [s, h] = out.coordinates[0] ?? [];
    expect(booleanClockwise(s ?? [])).toBe(false);
    expect(booleanClockwise(h ?? [])).toBe(true);
    expect(booleanValid(out)).toBe(true);
  });

  it('rounds to 6 decimals and drops the repeated vertices that rounding creates', () => {
    const ring = [
      [111.1234564, 29.1],
      [111.1234561, 29.1],
      [111.2, 29.1],
      [111.2, 29.2],
      [111.1234564, 29.1],
    ];
    const out = normalizeMultiPolygon({ type: 'Polygon', coordinates: [ring] });
    expect(out.coordinates[0]?.[0]).toEqual([
      [111.123456, 29.1],
      [111.2, 29.1],
      [111.2, 29.2],
      [111.123456, 29.1],
    ]);
  });

  it('removes zero-width spikes', () => {
    const ring = [
      [0, 0],
      [1, 0],
      [1.5, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    const out = normalizeMultiPolygon({ type: 'Polygon', coordinates: [ring] });
    expect(out.coordinates[0]?.[0]).toHaveLength(5);
    expect(
      kinks({ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: out.coordinates } })
        .features,
    ).toHaveLength(0);
  });

  it('splits a ring that passes through one vertex twice into two parts touching at a point', () => {
    // A figure of eight: two squares sharing the corner (1, 1), drawn as one ring.
    const ring = [
      [0, 0],
      [1, 0],
      [1, 1],
      [2, 1],
      [2, 2],
      [1, 2],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    const out = normalizeMultiPolygon({ type: 'Polygon', coordinates: [ring] });
    expect(out.coordinates).toHaveLength(2);
    for (const polygon of out.coordinates) {
      expect(polygon[0]).toHaveLength(5);
      expect(booleanClockwise(polygon[0] ?? [])).toBe(false);
    }
  });

  it('drops slivers smaller than the minimum part area', () => {
    const big = square(111, 29, 0.01); // ~1 km²
    const sliver = [
      [111.1, 29],
      [111.1001, 29],
      [111.1001, 29.0001],
      [111.1, 29],
    ];
    const out = normalizeMultiPolygon({ type: 'MultiPolygon', coordinates: [[big], [sliver]] }, 2_000);
    expect(out.coordinates).toHaveLength(1);
  });
});

describe('seeded random stream', () => {
  it('repeats for a seed and differs between seeds and parts', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(deriveSeed(1, 'disputes')).not.toBe(deriveSeed(1, 'stations'));
    expect(deriveSeed(1, 'disputes')).not.toBe(deriveSeed(2, 'disputes'));
  });

  it('draws uniform numbers in [0, 1) and standard normals', () => {
    const rng = createRng(123);
    const u = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((a, b) => a + b, 0) / u.length - 0.5)).toBeLessThan(0.01);
    const z = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it('makes version-4-shaped UUIDs', () => {
    const rng = createRng(9);
    for (let i = 0; i < 100; i++) {
      expect(uuidV4(rng)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
