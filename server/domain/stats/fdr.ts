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
export function confidenceBins(zScores: ArrayLike<number>, pValues: ArrayLike<number>): number[] {
  const m = pValues.length;
  const bins = new Array<number>(m).fill(0);
  // BH rejects a prefix of the p-values in ascending order, and only p ≤ α can be in it: one sort of the cells
  // with p ≤ the loosest α (0.10) serves every level, and their ranks are their ranks among all m.
  const loosest = 1 - (CONFIDENCE_LEVELS.at(-1) as number);
  const order: number[] = [];
  for (let i = 0; i < m; i++) if ((pValues[i] as number) <= loosest) order.push(i);
  order.sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  for (const [levelIndex, level] of [...CONFIDENCE_LEVELS].reverse().entries()) {
    const alpha = 1 - level;
    let cutoff = 0;
    for (let k = order.length; k >= 1; k--) {
      if ((pValues[order[k - 1] as number] as number) <= (k / m) * alpha) {
        cutoff = k;
        break;
      }
    }
    // Loosest level first so that stricter levels overwrite.
    const magnitude = levelIndex + 1;
    for (let k = 0; k < cutoff; k++) {
      const i = order[k] as number;
      bins[i] = Math.sign(zScores[i] as number) * magnitude;
    }
  }
  return bins;
}
