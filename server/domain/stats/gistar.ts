import { twoSidedP } from './normal.js';

/**
 * Getis-Ord Gi* (Ord & Getis 1995) with binary weights that include the cell itself (w_ii = 1), the form
 * ArcGIS's Hot Spot Analysis uses, with analytic z-scores:
 *
 *   Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S · sqrt((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))
 *   X̄ = Σ x_j / n,  S = sqrt(Σ x_j² / n − X̄²)
 *
 * Gi* is itself a z-score. `neighbours[i]` lists the indices j ≠ i within cell i's neighbourhood.
 */
export interface GiStarResult {
  z: number[];
  p: number[];
}

export function giStar(values: readonly number[], neighbours: readonly (readonly number[])[]): GiStarResult {
  const n = values.length;
  const local = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ring = neighbours[i] ?? [];
    let sum = values[i] as number;
    for (const j of ring) sum += values[j] as number;
    local[i] = sum;
    weights[i] = ring.length + 1; // Σ w_ij = Σ w_ij² with binary weights, self included
  }
  const z = giStarFromSums(values, local, weights);
  return { z: Array.from(z), p: Array.from(z, twoSidedP) };
}

/**
 * Gi* z-scores from each cell's neighbourhood sum (Σ_j w_ij x_j, self included) and neighbourhood size (Σ_j w_ij,
 * binary weights): the formula above, for callers that sum neighbourhoods their own way (hot spots over a cached
 * study area, `hotspots.ts`).
 */
export function giStarFromSums(
  values: ArrayLike<number>,
  local: ArrayLike<number>,
  weights: ArrayLike<number>,
): Float64Array {
  const n = values.length;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    sum += v;
    sumSq += v * v;
  }
  const mean = n > 0 ? sum / n : 0;
  const s = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    const denominator = s * Math.sqrt((n * w - w * w) / (n - 1));
    z[i] = n > 1 && denominator > 0 ? ((local[i] as number) - mean * w) / denominator : 0;
  }
  return z;
}
