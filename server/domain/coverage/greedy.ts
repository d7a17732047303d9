/**
 * Maximal covering location problem (Church & ReVelle 1974), solved greedily: pick the candidate site that
 * covers the most not-yet-covered demand, remove that demand, repeat K times. Greedy is within (1 − 1/e) of the
 * optimum for this objective (it is a monotone submodular coverage function) and, unlike an integer program,
 * needs no solver and explains itself: each pick says how much it newly covers.
 */

export interface Candidate {
  id: string;
  /** Ids of the demand points this candidate would reach (from a `ServiceAreaMethod`). */
  covers: readonly string[];
}

export interface GreedyPick {
  id: string;
  /** Demand weight this site covers that no earlier pick (nor any existing room) already covers. */
  newlyCovered: number;
  /** Total covered by this pick and all picks before it. */
  cumulative: number;
}

export interface GreedyInput {
  /** Weight of each uncovered demand point, by id. Ids not listed here count as already covered. */
  demand: ReadonlyMap<string, number>;
  candidates: readonly Candidate[];
  k: number;
}

/** Picks up to `k` sites; stops early when no candidate covers anything more. Ties go to the first listed. */
export function greedyMaximalCoverage({ demand, candidates, k }: GreedyInput): GreedyPick[] {
  const remaining = new Map(demand);
  const picks: GreedyPick[] = [];
  const used = new Set<string>();
  let cumulative = 0;
  for (let round = 0; round < k; round++) {
    let best: Candidate | null = null;
    let bestGain = 0;
    for (const c of candidates) {
      if (used.has(c.id)) continue;
      let gain = 0;
      for (const d of c.covers) gain += remaining.get(d) ?? 0;
      if (gain > bestGain) {
        best = c;
        bestGain = gain;
      }
    }
    if (!best) break;
    used.add(best.id);
    for (const d of best.covers) remaining.delete(d);
    cumulative += bestGain;
    picks.push({ id: best.id, newlyCovered: bestGain, cumulative });
  }
  return picks;
}
