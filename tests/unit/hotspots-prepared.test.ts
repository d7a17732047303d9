import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/domain/demo/rng.js';
import { benjaminiHochberg, CONFIDENCE_LEVELS } from '../../server/domain/stats/fdr.js';
import { giStar } from '../../server/domain/stats/gistar.js';
import { hotspotCollection } from '../../server/domain/stats/hex-geojson.js';
import { type Cell, cellKey, cellRing, kRing, storedGrid } from '../../server/domain/stats/hexgrid.js';
import { type CellCount, type HotspotCell, hotspotCells, prepareArea } from '../../server/domain/stats/hotspots.js';

/** mulberry32 (server/domain/demo/rng.ts), seeded: the same stream every run. */
const rng = mulberry32;

/** The textbook path: the union of cells, explicit neighbour lists, giStar, Benjamini–Hochberg per level. */
function reference(counts: CellCount[], area: Cell[]) {
  const cells = new Map<string, CellCount>();
  for (const c of area) cells.set(cellKey(c), { q: c.q, r: c.r, count: 0 });
  for (const c of counts) {
    const cell = cells.get(cellKey(c)) ?? { q: c.q, r: c.r, count: 0 };
    cell.count += c.count;
    cells.set(cellKey(c), cell);
  }
  const list = [...cells.values()];
  const at = new Map(list.map((c, i) => [cellKey(c), i]));
  const neighbours = list.map((c) =>
    kRing(c, 1)
      .map((n) => at.get(cellKey(n)))
      .filter((j): j is number => j !== undefined),
  );
  const { z, p } = giStar(
    list.map((c) => c.count),
    neighbours,
  );
  const bins = list.map(() => 0);
  for (const [level, confidence] of [...CONFIDENCE_LEVELS].reverse().entries()) {
    benjaminiHochberg(p, 1 - confidence).forEach((rejected, i) => {
      if (rejected) bins[i] = Math.sign(z[i] as number) * (level + 1);
    });
  }
  return new Map(list.map((c, i) => [cellKey(c), { count: c.count, z: z[i] as number, bin: bins[i] as number }]));
}

describe('hot spots over a prepared study area', () => {
  it('equals the textbook Gi* + FDR path, counted cells outside the area included', () => {
    const random = rng(3);
    const area: Cell[] = [];
    for (let q = -15; q <= 15; q++) for (let r = -15; r <= 15; r++) if (Math.abs(q + r) <= 15) area.push({ q, r });
    const prepared = prepareArea(area);
    for (let trial = 0; trial < 5; trial++) {
      const counts: CellCount[] = [];
      for (let i = 0; i < 400; i++) {
        // A cluster near (4, −2), background everywhere, and some cells (and a clump) beyond the area's edge.
        const near = random() < 0.3;
        const q = near ? 4 + Math.floor(random() * 3) : Math.floor((random() - 0.5) * 40);
        const r = near ? -2 + Math.floor(random() * 3) : Math.floor((random() - 0.5) * 40);
        counts.push({ q, r, count: 1 + Math.floor(random() * 4) });
      }
      counts.push({ q: 17, r: 0, count: 9 }, { q: 17, r: 1, count: 8 }, { q: 16, r: 0, count: 7 });
      const want = reference(counts, area);
      const got = hotspotCells(counts, prepared);
      expect(got).toHaveLength(want.size);
      for (const c of got) {
        const w = want.get(cellKey(c));
        expect(w, cellKey(c)).toBeDefined();
        expect(c.count).toBe(w?.count);
        expect(c.z).toBeCloseTo(w?.z as number, 9);
        expect(c.bin).toBe(w?.bin);
      }
      expect(got.some((c) => c.bin === 3)).toBe(true);
    }
  });
});

describe('hot spot GeoJSON text', () => {
  it('is exactly what JSON.stringify gives for the same features, cached rings included', () => {
    const grid = storedGrid(1000);
    const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
    const cells: HotspotCell[] = [
      { q: -310, r: 520, count: 4, z: 2.71654, p: 0.0066, bin: 3 },
      { q: -309, r: 520, count: 0, z: 0.1, p: 0.92, bin: 0 },
      { q: -309, r: 519, count: 0, z: -2.9, p: 0.0037, bin: -2 },
      { q: 12, r: -7, count: 1, z: -0.0001, p: 1, bin: 0 },
    ];
    const meta = { cellSize: 1000, note: 'k-ring "1": √3 · size' };
    const want = JSON.stringify({
      type: 'FeatureCollection',
      features: cells
        .filter((c) => c.count > 0 || c.bin !== 0)
        .map((c) => ({
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: [cellRing(grid, c).map(([x, y]) => [round(x, 6), round(y, 6)])] },
          properties: { q: c.q, r: c.r, count: c.count, z: round(c.z, 3), p: Number(c.p.toPrecision(3)), bin: c.bin },
        })),
      meta,
    });
    expect(hotspotCollection(grid, cells, meta).toString('utf8')).toBe(want);
    expect(hotspotCollection(grid, cells, meta).toString('utf8')).toBe(want);
  });
});
