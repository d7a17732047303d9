import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { cellCentre, cellRing, packCell, storedGrid } from '../../server/domain/stats/hexgrid';
import { cellIdOf, cellParam, parseCellParam, ringCentre, townAt } from '../../web/src/lib/cells';

/** A hot-spot cell as a task's subject on the web: the same stored id and centre as the server's grid. */
describe('hot-spot cells as task subjects', () => {
  const cells = [
    { q: 0, r: 0 },
    { q: 57, r: -12 },
    { q: -3, r: 4 },
    { q: -140, r: -2 },
    { q: 2_000_000, r: -2_000_000 },
  ];

  it("packs q and r into the stored id exactly as the server's packCell", () => {
    for (const c of cells) expect(cellIdOf(c.q, c.r)).toBe(packCell(c).toString());
  });

  it("finds a hexagon's centre from its ring, as cellCentre does", () => {
    for (const size of [400, 1000, 1650] as const) {
      const grid = storedGrid(size);
      for (const c of cells.slice(0, 4)) {
        const [lon, lat] = ringCentre(cellRing(grid, c));
        const [cx, cy] = cellCentre(grid, c);
        expect(lon).toBeCloseTo(cx, 9);
        expect(lat).toBeCloseTo(cy, 9);
      }
    }
  });

  it('keeps the picked cell in one URL parameter and refuses anything else', () => {
    const c = { size: 1000, id: packCell({ q: -3, r: 4 }).toString(), lon: 111.7654321, lat: 29.6543219 };
    expect(parseCellParam(cellParam(c))).toEqual({ ...c, lon: 111.765432, lat: 29.654322 });
    for (const bad of [null, '', '1000:12', 'x:1:2:3', '1000:1:2:3:4', '1000:1e3:111:29', '1000:1:111:29;drop']) {
      expect(parseCellParam(bad)).toBeNull();
    }
  });

  it("names the town whose outline holds the cell's centre", () => {
    const square = (x: number): MultiPolygon => ({
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [x, 0],
            [x + 1, 0],
            [x + 1, 1],
            [x, 1],
            [x, 0],
          ],
        ],
      ],
    });
    const towns = [
      { geometry: square(0), properties: { code: 'A' } },
      { geometry: square(1), properties: { code: 'B' } },
    ];
    expect(townAt(towns, 1.5, 0.5)).toBe('B');
    expect(townAt(towns, 0.2, 0.9)).toBe('A');
    expect(townAt(towns, 5, 5)).toBeNull();
  });
});
