import type { DisputeCategory, RiskLevel } from '../vocabulary.js';
import { categoryMixFor, drawKey, type Weights } from './disputes.js';
import type { Geography } from './geography.js';
import type { VillageIntensity } from './intensity.js';
import { pointNearVillage } from './placement.js';
import { type Rng, uuidV4 } from './rng.js';
import { screeningNote } from './summaries.js';
import type { DemoRound, DemoScreening } from './types.js';

// Monthly screening rounds (摸排) for the last twelve months of the period: every village is canvassed once a
// month by its grid worker (网格员). Most rounds find nothing (a zero report still proves the visit); the chance
// of a finding follows the village's dispute intensity, so hotspots also show up in the screening layer.

/** 2022-06 … 2023-05; the last round stops at the article's date, 2023-05-17. */
const ROUNDS: { year: number; month: number; lastDay: number }[] = [
  ...[6, 7, 8, 9, 10, 11, 12].map((month) => ({ year: 2022, month, lastDay: 0 })),
  ...[1, 2, 3, 4, 5].map((month) => ({ year: 2023, month, lastDay: month === 5 ? 17 : 0 })),
];
/** Average chance that a round finds something, scaled per village by its intensity. */
const FINDING_RATE = 0.1;
/** Screening finds skew to low risk: serious cases are usually reported directly, not found by canvassing. */
const FINDING_RISK: Weights<RiskLevel> = { blue: 55, yellow: 30, orange: 12, red: 3 };

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A month's round is due on the 25th: the villages canvassed later that month (about one in six) are overdue. */
const ROUND_DUE_DAY = 25;
/** The current round (May 2023) was due two days before the demo's today, 17 May: it is past due, not finished. */
const CURRENT_ROUND_DUE = '2023-05-15';

/**
 * The county's monthly rounds (例行排查) these screenings answer, one a month for the screened months: every town's
 * villages are in scope (no town list), so each town has its monthly round and the rounds page compares them.
 * Reports are not tied to a round; they count for the round whose dates they fall in (queries/screenings.ts).
 * Names say 演示: the rounds are as synthetic as the reports.
 */
export function demoRounds(): DemoRound[] {
  return ROUNDS.map(({ year, month }) => {
    const ym = `${year}-${String(month).padStart(2, '0')}`;
    const dueOn = year === 2023 && month === 5 ? CURRENT_ROUND_DUE : `${ym}-${ROUND_DUE_DAY}`;
    return { name: `${year}年${month}月例行排查（演示）`, kind: 'monthly', startsOn: `${ym}-01`, dueOn };
  });
}

export function generateScreenings(
  geography: Geography,
  intensities: Map<string, VillageIntensity>,
  rng: Rng,
): DemoScreening[] {
  const mixFor = categoryMixFor(geography, intensities);
  const villageCount = geography.villages.length;
  const screeners = new Map<string, string>();
  geography.towns.forEach((town, t) => {
    const letter = String.fromCharCode(65 + t);
    town.villages.forEach((v, i) => {
      screeners.set(v.code, `网格员${letter}${String(i + 1).padStart(3, '0')}`);
    });
  });

  const out: DemoScreening[] = [];
  for (const round of ROUNDS) {
    const lastDay = round.lastDay || daysInMonth(round.year, round.month);
    for (const village of geography.villages) {
      const day = rng.int(1, lastDay);
      const share = intensities.get(village.code)?.share ?? 0;
      const findingChance = Math.min(0.6, Math.max(0.03, FINDING_RATE * share * villageCount));
      const items: DemoScreening['items'] = [];
      if (rng.chance(findingChance)) {
        const count = 1 + rng.weightedIndex([60, 30, 10]);
        for (let k = 0; k < count; k++) {
          const category: DisputeCategory = drawKey(rng, mixFor(village));
          items.push({ category, riskLevel: drawKey(rng, FINDING_RISK), note: screeningNote(rng, category) });
        }
      }
      const [lon = 0, lat = 0] = pointNearVillage(rng, village, 400);
      out.push({
        clientId: uuidV4(rng),
        villageCode: village.code,
        townCode: village.townCode,
        screenedOn: `${round.year}-${String(round.month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        screener: screeners.get(village.code) ?? '网格员',
        lon,
        lat,
        zeroReport: items.length === 0,
        items,
      });
    }
  }
  return out.sort((a, b) => a.screenedOn.localeCompare(b.screenedOn) || a.villageCode.localeCompare(b.villageCode));
}
