import type { Geography } from './geography.js';
import type { Rng } from './rng.js';

// How much trouble each village has: the shared rate behind the disputes and the screening finds. Towns weigh by
// their number of villages, the four urban sub-districts (街道) more (denser population); within a town the
// villages vary log-normally, and a few villages are planted as clear hotspots so that the hotspot statistics
// (Gi*) have something real to find.

/** Disputes per village in a 街道 relative to a rural town. */
const URBAN_BOOST = 1.6;
/** Spread of the log-normal village factor: about ×0.6 … ×1.65 for the middle two thirds. */
const VILLAGE_SIGMA = 0.5;
/**
 * A planted hotspot has six times the typical village's rate — fixed rather than log-normal, so that each one
 * clearly stands out from its town (a log-normal village rarely reaches four times its town's median).
 */
const HOTSPOT_FACTOR = 6;

export interface VillageIntensity {
  /** Share of all the county's disputes expected in this village (the shares sum to 1). */
  share: number;
  hotspot: boolean;
}

export function villageIntensities(geography: Geography, rng: Rng): Map<string, VillageIntensity> {
  // One hotspot in the county seat's urban communities and three in villages of different rural towns.
  const urbanCommunities = geography.villages.filter(
    (v) => v.isCommunity && geography.towns.find((t) => t.code === v.townCode)?.isUrban,
  );
  const hot = new Set<string>([rng.pick(urbanCommunities).code]);
  const ruralTowns = geography.towns.filter((t) => !t.isUrban);
  const hotTowns = new Set<string>();
  while (hotTowns.size < 3) hotTowns.add(rng.pick(ruralTowns).code);
  for (const code of [...hotTowns].sort()) {
    const villages = geography.villages.filter((v) => v.townCode === code && !v.isCommunity);
    hot.add(rng.pick(villages).code);
  }

  const raw = new Map<string, { weight: number; hotspot: boolean }>();
  let total = 0;
  for (const town of geography.towns) {
    const townWeight = town.villages.length * (town.isUrban ? URBAN_BOOST : 1);
    const factors = town.villages.map((v) => {
      const lognormal = Math.exp(VILLAGE_SIGMA * rng.normal());
      return hot.has(v.code) ? HOTSPOT_FACTOR : lognormal;
    });
    const sum = factors.reduce((a, b) => a + b, 0);
    town.villages.forEach((v, i) => {
      const weight = (townWeight * (factors[i] ?? 0)) / sum;
      raw.set(v.code, { weight, hotspot: hot.has(v.code) });
      total += weight;
    });
  }
  return new Map([...raw].map(([code, r]) => [code, { share: r.weight / total, hotspot: r.hotspot }]));
}
