import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, confidenceBins } from '../../server/domain/stats/fdr.js';

describe('Benjamini–Hochberg FDR', () => {
  it('rejects up to the largest rank k with p(k) ≤ k/m · α', () => {
    // m = 5, α = 0.05: thresholds 0.01 0.02 0.03 0.04 0.05 → the four smallest pass.
    expect(benjaminiHochberg([0.04, 0.01, 0.5, 0.03, 0.02], 0.05)).toEqual([true, true, false, true, true]);
  });

  it('is stricter than the unadjusted test', () => {
    // m = 4, α = 0.05: thresholds 0.0125 0.025 0.0375 0.05; 0.04 and 0.045 would pass unadjusted, not here.
    expect(benjaminiHochberg([0.001, 0.04, 0.045, 0.2], 0.05)).toEqual([true, false, false, false]);
  });

  it('keeps a p-value that passes only because a larger one passes (step-up)', () => {
    // thresholds for m = 3, α = 0.05: 0.0167 0.0333 0.05; p(2) = 0.04 > 0.0333 but p(3) = 0.045 ≤ 0.05.
    expect(benjaminiHochberg([0.02, 0.04, 0.045], 0.05)).toEqual([true, true, true]);
  });

  it('bins z-scores by the strictest confidence level they pass, signed hot / cold', () => {
    // α = 0.10, m = 4: thresholds 0.025 0.05 0.075 0.1, so p = 0.072 (rank 3) is hot at 90 % only.
    expect(confidenceBins([4, -3, 1.8, 0.1], [0.00006, 0.0027, 0.072, 0.92])).toEqual([3, -3, 1, 0]);
    // Alone among many null cells the same p = 0.072 no longer passes.
    expect(confidenceBins([1.8, 0, 0, 0, 0], [0.072, 1, 1, 1, 1])).toEqual([0, 0, 0, 0, 0]);
    expect(confidenceBins([2.2, 2.1], [0.028, 0.036])).toEqual([2, 2]);
  });

  it('returns nothing for no tests', () => {
    expect(benjaminiHochberg([], 0.05)).toEqual([]);
  });
});
