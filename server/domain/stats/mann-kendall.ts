import { twoSidedP } from './normal.js';

export interface MannKendallResult {
  /** Kendall's S: Σ_{i<j} sign(x_j − x_i). */
  s: number;
  /** Variance of S with the tie correction. */
  variance: number;
  /** Continuity-corrected z-score. */
  z: number;
  p: number;
}

/**
 * Mann–Kendall trend test (Mann 1945, Kendall 1975) on a series in time order, with the tie-corrected
 * variance Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 and continuity correction (S ∓ 1) / √Var(S).
 * Emerging Hot Spot Analysis applies this test to each cell's series.
 */
export function mannKendall(series: readonly number[]): MannKendallResult {
  const n = series.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign((series[j] as number) - (series[i] as number));
  }
  const ties = new Map<number, number>();
  for (const v of series) ties.set(v, (ties.get(v) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  let z = 0;
  if (variance > 0) {
    if (s > 0) z = (s - 1) / Math.sqrt(variance);
    else if (s < 0) z = (s + 1) / Math.sqrt(variance);
  }
  return { s, variance, z, p: twoSidedP(z) };
}
