/**
 * Benjamini–Hochberg False Discovery Rate (1995): with m tests sorted by p ascending, reject the k smallest
 * where k is the largest rank with p_(k) ≤ k/m · α. Returns, for each input p-value, whether it is rejected.
 * This is the correction ArcGIS's Optimized Hot Spot Analysis applies to Gi* p-values.
 */
export function benjaminiHochberg(pValues: readonly number[], alpha: number): boolean[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  let cutoff = -1;
  for (let k = m; k >= 1; k--) {
    const entry = order[k - 1] as { p: number; i: number };
    if (entry.p <= (k / m) * alpha) {
      cutoff = k;
      break;
    }
  }
  const rejected = new Array<boolean>(m).fill(false);
  for (let k = 0; k < cutoff; k++) rejected[(order[k] as { i: number }).i] = true;
  return rejected;
}

/** Confidence levels of the hot/cold classes, strictest first. */
export const CONFIDENCE_LEVELS = [0.99, 0.95, 0.9] as const;

/**
 * Gi_Bin as ArcGIS reports it: ±3 / ±2 / ±1 for hot (+) or cold (−) at 99 / 95 / 90 % confidence after FDR
 * correction at each level, 0 when not significant.
 */
export function confidenceBins(zScores: readonly number[], pValues: readonly number[]): number[] {
  const bins = new Array<number>(zScores.length).fill(0);
  // Loosest level first so that stricter levels overwrite.
  for (const [levelIndex, level] of [...CONFIDENCE_LEVELS].reverse().entries()) {
    const rejected = benjaminiHochberg(pValues, 1 - level);
    const magnitude = levelIndex + 1;
    rejected.forEach((r, i) => {
      if (r) bins[i] = Math.sign(zScores[i] as number) * magnitude;
    });
  }
  return bins;
}
