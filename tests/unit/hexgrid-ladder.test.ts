import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/domain/demo/rng.js';
import {
  CELL_SIZE_LADDER,
  cellAt,
  cellCentre,
  kRing,
  metresPerDegreeLat,
  metresPerDegreeLon,
  packCell,
  snapCellSize,
  storedGrid,
  unpackCell,
} from '../../server/domain/stats/hexgrid.js';

/** mulberry32 (server/domain/demo/rng.ts), seeded: the same stream every run. */
const rng = mulberry32;

describe('stored hexagon grid (ladder of sizes, fixed origin)', () => {
  it('puts a point in the cell whose centre is nearest (the hexagon containing it)', () => {
    const random = rng(5);
    for (const size of CELL_SIZE_LADDER) {
      const grid = storedGrid(size);
      const kx = metresPerDegreeLon(grid.originLat);
      for (let i = 0; i < 2000; i++) {
        // Over Hunan and beyond (lon 104–120, lat 20–35).
        const lon = 104 + random() * 16;
        const lat = 20 + random() * 15;
        const cell = cellAt(grid, lon, lat);
        const distance = (c: { q: number; r: number }) => {
          const [x, y] = cellCentre(grid, c);
          return Math.hypot((x - lon) * kx, (y - lat) * metresPerDegreeLat);
        };
        const own = distance(cell);
        expect(own).toBeLessThanOrEqual(size * (1 + 1e-9));
        for (const n of kRing(cell, 1)) expect(distance(n)).toBeGreaterThanOrEqual(own - 1e-6);
      }
    }
  });

  it('snaps any size to the nearest ladder size on a log scale', () => {
    for (const s of CELL_SIZE_LADDER) expect(snapCellSize(s)).toBe(s);
    expect(snapCellSize(100)).toBe(250);
    expect(snapCellSize(500)).toBe(600);
    expect(snapCellSize(1250)).toBe(1000);
    expect(snapCellSize(1500)).toBe(1650);
    expect(snapCellSize(20_000)).toBe(7500);
  });

  it('packs a cell into one bigint id and back, negative coordinates included', () => {
    const random = rng(9);
    for (let i = 0; i < 1000; i++) {
      const cell = { q: Math.floor((random() - 0.5) * 2 ** 32), r: Math.floor((random() - 0.5) * 2 ** 32) };
      if (Math.abs(cell.q) >= 2 ** 31 || Math.abs(cell.r) >= 2 ** 31) continue;
      expect(unpackCell(packCell(cell))).toEqual(cell);
    }
    expect(unpackCell(packCell({ q: -1, r: -1 }))).toEqual({ q: -1, r: -1 });
    expect(packCell({ q: 1, r: -1 })).toBe(4_294_967_295n);
  });
});
