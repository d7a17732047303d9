import { describe, expect, it } from 'vitest';
import { cellAt, cellCentre, cellSizeForZoom, kRing } from '../../server/domain/stats/hexgrid.js';
import { emergingPattern } from '../../server/domain/stats/hotspots.js';
import { mannKendall } from '../../server/domain/stats/mann-kendall.js';

describe('Mann–Kendall trend test', () => {
  it('matches the textbook values for a strictly rising series', () => {
    // S = 10, Var(S) = 5·4·15/18 = 16.667, z = (10 − 1)/√16.667 = 2.2045, p = 0.0275.
    const r = mannKendall([1, 2, 3, 4, 5]);
    expect(r.s).toBe(10);
    expect(r.variance).toBeCloseTo(16.6667, 3);
    expect(r.z).toBeCloseTo(2.2045, 3);
    expect(r.p).toBeCloseTo(0.0275, 3);
  });

  it('corrects the variance for ties', () => {
    // [1, 1, 2]: S = 0 + 1 + 1 = 2; one tie group of 2: Var = (3·2·11 − 2·1·9)/18 = 2.667; z = 1/√2.667.
    const r = mannKendall([1, 1, 2]);
    expect(r.s).toBe(2);
    expect(r.variance).toBeCloseTo(2.6667, 3);
    expect(r.z).toBeCloseTo(0.6124, 3);
  });

  it('finds no trend in a constant series and a falling one in a falling series', () => {
    expect(mannKendall([4, 4, 4, 4]).z).toBe(0);
    expect(mannKendall([9, 8, 6, 5, 3, 2, 1]).z).toBeLessThan(-2.5);
  });

  it('labels emerging patterns', () => {
    const rising = [0, 1, 1, 2, 3, 3, 4, 5, 6, 6, 7, 9];
    const flat = [3, 2, 3, 3, 2, 3, 3, 2, 3, 3, 2, 3];
    expect(emergingPattern({ earlierBin: 0, recentBin: 3, monthly: rising }).pattern).toBe('new');
    expect(emergingPattern({ earlierBin: 2, recentBin: 3, monthly: rising }).pattern).toBe('intensifying');
    expect(emergingPattern({ earlierBin: 2, recentBin: 2, monthly: flat }).pattern).toBe('persistent');
    expect(emergingPattern({ earlierBin: 2, recentBin: 3, monthly: [...rising].reverse() }).pattern).toBe(
      'diminishing',
    );
    expect(emergingPattern({ earlierBin: 1, recentBin: 0, monthly: flat }).pattern).toBe('diminishing');
    expect(emergingPattern({ earlierBin: 0, recentBin: 0, monthly: rising }).pattern).toBeNull();
  });
});

describe('hexagon grid', () => {
  const grid = { size: 1000, originLon: 111.4, originLat: 29.4 };

  it('puts every cell centre back into its own cell', () => {
    for (const cell of [
      { q: 0, r: 0 },
      { q: 3, r: -2 },
      { q: -7, r: 5 },
      { q: 12, r: 9 },
    ]) {
      const [lon, lat] = cellCentre(grid, cell);
      expect(cellAt(grid, lon, lat)).toEqual(cell);
    }
  });

  it('spaces adjacent centres √3 · size apart', () => {
    const [x0, y0] = cellCentre(grid, { q: 0, r: 0 });
    for (const n of kRing({ q: 0, r: 0 }, 1)) {
      const [x, y] = cellCentre(grid, n);
      const dx = (x - x0) * 111_195 * Math.cos((29.4 * Math.PI) / 180);
      const dy = (y - y0) * 111_195;
      expect(Math.hypot(dx, dy)).toBeCloseTo(Math.sqrt(3) * 1000, -1);
    }
    expect(kRing({ q: 0, r: 0 }, 2)).toHaveLength(18);
  });

  it('chooses larger cells at lower zooms, within bounds', () => {
    expect(cellSizeForZoom(8, 29.6)).toBeGreaterThan(cellSizeForZoom(12, 29.6));
    expect(cellSizeForZoom(0, 29.6)).toBe(20_000);
    expect(cellSizeForZoom(22, 29.6)).toBe(100);
  });
});
