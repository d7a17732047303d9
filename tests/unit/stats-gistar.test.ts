import { describe, expect, it } from 'vitest';
import { giStar } from '../../server/domain/stats/gistar.js';
import { type Cell, kRing } from '../../server/domain/stats/hexgrid.js';
import { hotspotCells } from '../../server/domain/stats/hotspots.js';
import { twoSidedP } from '../../server/domain/stats/normal.js';

describe('Getis-Ord Gi*', () => {
  // Five cells on a line, each with its left and right neighbour, x = [1, 2, 3, 4, 10].
  // By hand: n = 5, X̄ = 4, S = √(130/5 − 16) = √10.
  // Cell 4 (x = 10, neighbour 3): Σw = 2, Σwx = 14 → (14 − 8) / (√10 · √((10 − 4)/4)) = 6 / 3.8730 = 1.5492.
  // Cell 2 (x = 3, neighbours 1, 3): Σw = 3, Σwx = 9 → (9 − 12) / (√10 · √((15 − 9)/4)) = −3 / 3.8730 = −0.7746.
  const values = [1, 2, 3, 4, 10];
  const line = [[1], [0, 2], [1, 3], [2, 4], [3]];

  it('matches the z-scores computed by hand', () => {
    const { z } = giStar(values, line);
    expect(z[4]).toBeCloseTo(1.5492, 4);
    expect(z[2]).toBeCloseTo(-0.7746, 4);
    // Cell 0 (x = 1, neighbour 1): Σwx = 3 → (3 − 8) / 3.8730 = −1.2910.
    expect(z[0]).toBeCloseTo(-1.291, 3);
  });

  it('gives two-sided normal p-values', () => {
    expect(twoSidedP(1.959964)).toBeCloseTo(0.05, 5);
    expect(twoSidedP(-2.575829)).toBeCloseTo(0.01, 5);
    expect(twoSidedP(0)).toBeCloseTo(1, 6);
    const { p } = giStar(values, line);
    expect(p[4]).toBeCloseTo(0.1213, 3);
  });

  it('is zero everywhere when every cell holds the same count', () => {
    expect(giStar([3, 3, 3], [[1], [0, 2], [1]]).z).toEqual([0, 0, 0]);
  });

  it('finds a planted block of high counts hot at 99 % and leaves a flat field unclassified', () => {
    const area: Cell[] = [];
    for (let q = -10; q <= 10; q++) for (let r = -10; r <= 10; r++) area.push({ q, r });
    const planted = [{ q: 0, r: 0 }, ...kRing({ q: 0, r: 0 }, 1)].map((c) => ({ ...c, count: 20 }));
    const background = area.map((c) => ({ ...c, count: (c.q * 7 + c.r * 3) % 2 }));
    const cells = hotspotCells([...background, ...planted], area);
    expect(cells.find((c) => c.q === 0 && c.r === 0)?.bin).toBe(3);
    expect(cells.filter((c) => c.bin > 0 && Math.abs(c.q) > 3 && Math.abs(c.r) > 3)).toHaveLength(0);
    const flat = hotspotCells(
      area.map((c) => ({ ...c, count: 1 })),
      area,
    );
    expect(flat.filter((c) => c.bin !== 0)).toHaveLength(0);
  });
});
