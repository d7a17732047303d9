import { type GreedyPick, greedyMaximalCoverage } from './greedy.js';
import type { DemandPoint, ServiceAreaMethod, SitePoint } from './method.js';

export interface SuggestedSite<S extends SitePoint> extends GreedyPick {
  site: S;
  rank: number;
}

/**
 * Suggests up to `k` new room sites among `candidates` covering the most `uncovered` demand within `metres`,
 * reach measured by `method` (straight-line today; a road-network method later).
 */
export async function suggestSites<S extends SitePoint>(
  method: ServiceAreaMethod,
  candidates: readonly S[],
  uncovered: readonly DemandPoint[],
  metres: number,
  k: number,
): Promise<SuggestedSite<S>[]> {
  const reach = await method.reach(candidates, uncovered, metres);
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const picks = greedyMaximalCoverage({
    demand: new Map(uncovered.map((d) => [d.id, d.weight])),
    candidates: candidates.map((c) => ({ id: c.id, covers: reach.get(c.id) ?? [] })),
    k,
  });
  return picks.map((p, i) => ({ ...p, site: byId.get(p.id) as S, rank: i + 1 }));
}
