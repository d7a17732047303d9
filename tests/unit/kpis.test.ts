import { describe, expect, it } from 'vitest';
import { kpis, sumCounts } from '../../server/domain/kpis.js';

const zero = { found: 0, resolved: 0, failed: 0, referred: 0, open: 0, resolvedAtVillage: 0, resolvedAtTown: 0 };

describe('kpis', () => {
  it("gives the article's success rate: 26,014 ÷ 27,013 = 96.3 %", () => {
    const k = kpis({ ...zero, found: 27013, resolved: 26014, open: 999 });
    expect(k.successRate).toBeCloseTo(0.96302, 5);
    expect(k.closedSuccessRate).toBe(1);
  });

  it('derives the village and town level rates from resolved cases only', () => {
    const k = kpis({
      ...zero,
      found: 10,
      resolved: 8,
      failed: 1,
      referred: 1,
      resolvedAtVillage: 6,
      resolvedAtTown: 1,
    });
    expect(k.villageLevelRate).toBeCloseTo(6 / 8);
    expect(k.townLevelRate).toBeCloseTo(7 / 8);
    expect(k.closedSuccessRate).toBeCloseTo(8 / 10);
  });

  it('has no rate where there is nothing to divide by', () => {
    expect(kpis(zero)).toMatchObject({ successRate: null, closedSuccessRate: null, villageLevelRate: null });
  });

  it('sums towns into a county', () => {
    const a = { ...zero, found: 3, resolved: 2, open: 1, resolvedAtVillage: 2 };
    const b = { ...zero, found: 5, resolved: 4, failed: 1, resolvedAtTown: 4 };
    expect(sumCounts([a, b])).toEqual({
      ...zero,
      found: 8,
      resolved: 6,
      failed: 1,
      open: 1,
      resolvedAtVillage: 2,
      resolvedAtTown: 4,
    });
  });
});
