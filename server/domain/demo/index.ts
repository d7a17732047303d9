import { generateDisputes } from './disputes.js';
import { buildGeography, toAdminUnits } from './geography.js';
import { villageIntensities } from './intensity.js';
import { loadReferenceGeography } from './reference.js';
import { createRng, deriveSeed } from './rng.js';
import { demoRounds, generateScreenings } from './screenings.js';
import { buildStations } from './stations.js';
import type { DemoDataset } from './types.js';

// The demo county: Lixian's real admin units and outline with derived (approximate) town and village
// boundaries, its police stations, judicial offices and joint mediation rooms, and synthetic disputes and
// screenings that reproduce the source article's figures. Same seed, same dataset, byte for byte.

export { ARTICLE_CASE_NOS, ARTICLE_FIGURES } from './article.js';
export { PERIOD_END_MS, PERIOD_START_MS } from './calendar.js';
export type { DemoAdminUnit, DemoDataset, DemoDispute, DemoRound, DemoScreening, DemoStation } from './types.js';

/** The article's publication date, 2023-05-17. */
export const DEFAULT_SEED = 20230517;

export function generateDemoDataset(options: { seed?: number } = {}): DemoDataset {
  const seed = options.seed ?? DEFAULT_SEED;
  // Each part draws from its own stream, so changing how one part samples leaves the others as they were.
  const stream = (part: string) => createRng(deriveSeed(seed, part));
  const geography = buildGeography(loadReferenceGeography(), stream('geography'));
  const stations = buildStations(geography, stream('stations'));
  const intensities = villageIntensities(geography, stream('intensity'));
  return {
    adminUnits: toAdminUnits(geography),
    stations,
    disputes: generateDisputes({ geography, stations, intensities }, stream('disputes')),
    screenings: generateScreenings(geography, intensities, stream('screenings')),
    rounds: demoRounds(),
  };
}
