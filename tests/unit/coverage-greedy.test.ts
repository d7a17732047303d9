import { distance, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { rankByDensity } from '../../server/domain/coverage/density.js';
import { suggestSites } from '../../server/domain/coverage/gaps.js';
import { greedyMaximalCoverage } from '../../server/domain/coverage/greedy.js';
import { type DemandPoint, haversineMetres, straightLineInMemory } from '../../server/domain/coverage/method.js';

/** A point `east` and `north` metres from (111.7, 29.7), near the demo county. */
function at(id: string, east: number, north: number, weight = 1): DemandPoint {
  const lat = 29.7 + north / 111_195;
  const lon = 111.7 + east / (111_195 * Math.cos((29.7 * Math.PI) / 180));
  return { id, lon, lat, weight };
}

describe('greedy maximal coverage', () => {
  it('given a dense cluster and a scattered rest, picks the site at the cluster first', async () => {
    // Given: 12 disputes within 1 km of (20 km, 0); 3 each around (0, 0) and (0, 20 km); candidates at all three.
    const cluster = Array.from({ length: 12 }, (_, i) => at(`c${i}`, 20_000 + (i % 4) * 200, Math.floor(i / 4) * 200));
    const west = Array.from({ length: 3 }, (_, i) => at(`w${i}`, i * 300, 0));
    const north = Array.from({ length: 3 }, (_, i) => at(`n${i}`, i * 300, 20_000));
    const candidates = [at('west', 0, 0), at('north', 0, 20_000), at('cluster', 20_300, 200)];
    // When: two sites with a 2 km reach are asked for.
    const picks = await suggestSites(straightLineInMemory, candidates, [...cluster, ...west, ...north], 2_000, 2);
    // Then: the cluster site first with all 12, then one of the threes (the first listed on a tie).
    expect(picks.map((p) => [p.id, p.newlyCovered, p.cumulative])).toEqual([
      ['cluster', 12, 12],
      ['west', 3, 15],
    ]);
  });

  it('counts only what earlier picks have not covered (overlapping candidates)', () => {
    const picks = greedyMaximalCoverage({
      demand: new Map([
        ['a', 1],
        ['b', 1],
        ['c', 1],
        ['d', 1],
        ['e', 1],
      ]),
      candidates: [
        { id: 'big', covers: ['a', 'b', 'c'] },
        { id: 'overlap', covers: ['b', 'c'] },
        { id: 'edge', covers: ['d', 'e'] },
      ],
      k: 3,
    });
    // The overlap adds nothing after "big", so "edge" is second and the search stops: nothing is left.
    expect(picks).toEqual([
      { id: 'big', newlyCovered: 3, cumulative: 3 },
      { id: 'edge', newlyCovered: 2, cumulative: 5 },
    ]);
  });

  it('weights demand: one heavy point beats two light ones', () => {
    const picks = greedyMaximalCoverage({
      demand: new Map([
        ['heavy', 5],
        ['l1', 1],
        ['l2', 1],
      ]),
      candidates: [
        { id: 'lights', covers: ['l1', 'l2'] },
        { id: 'heavy-site', covers: ['heavy'] },
      ],
      k: 1,
    });
    expect(picks[0]).toEqual({ id: 'heavy-site', newlyCovered: 5, cumulative: 5 });
  });

  it('ignores demand that is not listed as uncovered', () => {
    const picks = greedyMaximalCoverage({
      demand: new Map([['x', 1]]),
      candidates: [
        { id: 'covers-covered', covers: ['y', 'z'] },
        { id: 'one', covers: ['x'] },
      ],
      k: 1,
    });
    expect(picks.map((p) => p.id)).toEqual(['one']);
  });
});

describe('straight-line distance', () => {
  it('agrees with turf on the sphere', () => {
    const a = { lon: 111.55, lat: 29.62 };
    const b = { lon: 111.81, lat: 29.91 };
    const turfM = distance(point([a.lon, a.lat]), point([b.lon, b.lat]), { units: 'meters' });
    expect(haversineMetres(a, b)).toBeCloseTo(turfM, 3);
  });
});

describe('density ranking', () => {
  it('ranks uncovered villages by disputes per km², ties by more disputes', () => {
    const ranked = rankByDensity([
      { code: 'a', areaKm2: 10, disputes: 20 },
      { code: 'b', areaKm2: 1, disputes: 5 },
      { code: 'c', areaKm2: 2, disputes: 4 },
      { code: 'd', areaKm2: 0, disputes: 3 },
    ]);
    expect(ranked.map((r) => [r.code, r.rank, r.perKm2])).toEqual([
      ['b', 1, 5],
      ['a', 2, 2],
      ['c', 3, 2],
      ['d', 4, 0],
    ]);
  });
});
