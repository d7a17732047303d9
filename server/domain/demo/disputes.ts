import type { Position } from 'geojson';
import type { DisputeCategory, DisputeStatus, MediationChannel, ResolutionLevel, RiskLevel } from '../vocabulary.js';
import { ARTICLE_CASE_NOS, ARTICLE_FIGURES, articleCases } from './article.js';
import {
  chinaMs,
  chinaParts,
  DAY_MS,
  formatChinaIso,
  PERIOD_DAYS,
  PERIOD_END_MS,
  PERIOD_START_MS,
  SPRING_FESTIVALS_MS,
} from './calendar.js';
import type { Geography, TownPlace, VillagePlace } from './geography.js';
import type { VillageIntensity } from './intensity.js';
import { pointNearVillage } from './placement.js';
import { cumulative, drawFromCumulative, type Rng } from './rng.js';
import { stationKey } from './stations.js';
import { disputeSummary } from './summaries.js';
import type { DemoDispute, DemoStation } from './types.js';

// Synthetic disputes that reproduce the article's totals exactly (27,013 found, 26,014 resolved, none failed
// or referred) with plausible structure: where (village intensity), when (growth, seasons, Spring Festival,
// weekdays, office hours), what (category and risk mix) and how they ended (channel, level, duration).

/** A dispute before case numbering, with its times as epoch milliseconds. */
export interface DisputeDraft extends Omit<DemoDispute, 'caseNo' | 'reportedAt' | 'acceptedAt' | 'resolvedAt'> {
  caseNo: string | null;
  reportedMs: number;
  acceptedMs: number | null;
  resolvedMs: number | null;
}

export type Weights<K extends string> = Record<K, number>;

/** County-wide category shares (percent) the demo aims at. */
export const CATEGORY_TARGETS: Weights<DisputeCategory> = {
  neighbour: 28,
  marriage_family: 18,
  land_forest: 14,
  contract_debt: 12,
  labour_wages: 8,
  traffic_accident: 6,
  property_management: 4,
  medical: 2,
  other: 8,
};

/** The mix in the county seat's urban communities: flats bring property-management disputes, fields are few. */
const URBAN_CATEGORY_MIX: Weights<DisputeCategory> = {
  neighbour: 26,
  marriage_family: 17,
  land_forest: 3,
  contract_debt: 15,
  labour_wages: 9,
  traffic_accident: 8,
  property_management: 12,
  medical: 2,
  other: 8,
};

const RISK_MIX: Weights<RiskLevel> = { blue: 50, yellow: 30, orange: 15, red: 5 };

/**
 * Higher-risk cases are more often settled by the town than in the village. Blended with the risk mix this
 * gives about 69 % village, 30 % town, 1 % county ("小事不出村、大事不出镇").
 */
const LEVEL_BY_RISK: Record<RiskLevel, Weights<ResolutionLevel>> = {
  blue: { village: 78, town: 21.5, county: 0.5 },
  yellow: { village: 68, town: 31, county: 1 },
  orange: { village: 52, town: 46.5, county: 1.5 },
  red: { village: 40, town: 57, county: 3 },
};

/**
 * Joint mediation needs a joint room; where there is none (yet), people's and public-security mediation carry
 * more. Blended over towns and years this gives about 55 % people's, 15 % public-security, 30 % joint.
 */
const CHANNELS_WITH_ROOM: Weights<MediationChannel> = { peoples: 48, public_security: 14, joint: 38 };
const CHANNELS_WITHOUT_ROOM: Weights<MediationChannel> = { peoples: 66, public_security: 20, joint: 14 };

/** Reports by hour of day: office-hour peaks in the morning and afternoon, a smaller evening one. */
const HOUR_WEIGHTS = [
  0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.5, 1.2, 2.4, 3.2, 3.4, 2.8, 1.8, 1.9, 2.8, 3.0, 2.9, 2.4, 1.8, 1.9, 1.7, 1.2, 0.8,
  0.5,
];
/** Sunday … Saturday: fewer reports at weekends, most on Mondays. */
const WEEKDAY_WEIGHTS = [0.72, 1.08, 1.05, 1.04, 1.03, 1.0, 0.8];
/** January … December, for all categories. */
const MONTH_WEIGHTS = [1.1, 1.15, 1.0, 1.0, 0.95, 0.95, 0.95, 0.95, 1.0, 1.0, 0.95, 1.05];
/** Mild growth: screening got more thorough each year (+6 % a year). */
const GROWTH_PER_YEAR = 0.06;

/** Share of the open cases' recency weight that does not decay: the tail of long-stuck old cases. */
const OPEN_TAIL_WEIGHT = 0.015;
const OPEN_DECAY_DAYS = 120;

function keysOf<K extends string>(weights: Weights<K>): K[] {
  return Object.keys(weights) as K[];
}

export function drawKey<K extends string>(rng: Rng, weights: Weights<K>): K {
  const keys = keysOf(weights);
  return keys[rng.weightedIndex(keys.map((k) => weights[k]))] as K;
}

/** Gaussian bump (height 1) around each Spring Festival, `shiftDays` before (−) or after (+) it. */
function festivalBump(ms: number, shiftDays: number, widthDays: number): number {
  let sum = 0;
  for (const festival of SPRING_FESTIVALS_MS) {
    const z = ((ms - festival) / DAY_MS - shiftDays) / widthDays;
    sum += Math.exp(-z * z);
  }
  return sum;
}

/** Relative rate of a category's reports on a day, before growth and weekday. */
function seasonal(category: DisputeCategory, ms: number, month: number): number {
  const base = MONTH_WEIGHTS[month - 1] ?? 1;
  switch (category) {
    case 'land_forest': {
      // Spring planting (Mar–Apr) and the autumn harvest (Sep–Oct).
      const farming = [0.65, 0.65, 1.9, 1.9, 1.1, 0.65, 0.65, 0.65, 1.6, 1.6, 1.1, 0.65][month - 1] ?? 1;
      return base * farming;
    }
    case 'neighbour':
      return base * (1 + 0.6 * festivalBump(ms, 0, 15));
    case 'marriage_family':
      return base * (1 + 1.0 * festivalBump(ms, 0, 15));
    case 'contract_debt':
      // Debts are called in before the New Year.
      return base * (1 + 1.2 * festivalBump(ms, -12, 12));
    case 'labour_wages':
      // Migrant workers want their wages before going home.
      return base * (1 + 1.5 * festivalBump(ms, -15, 12));
    case 'traffic_accident':
      return base * (1 + 0.5 * festivalBump(ms, 0, 10));
    default:
      return base;
  }
}

/** One cumulative table over the days of the period per category. */
function dayTables(): Record<DisputeCategory, Float64Array> {
  const tables = {} as Record<DisputeCategory, Float64Array>;
  for (const category of keysOf(CATEGORY_TARGETS)) {
    const weights: number[] = [];
    for (let d = 0; d < PERIOD_DAYS; d++) {
      const ms = PERIOD_START_MS + d * DAY_MS;
      const { month, weekday } = chinaParts(ms);
      const growth = 1 + (GROWTH_PER_YEAR * d) / 365;
      weights.push(growth * (WEEKDAY_WEIGHTS[weekday] ?? 1) * seasonal(category, ms, month));
    }
    tables[category] = cumulative(weights);
  }
  return tables;
}

/**
 * The rural mix is whatever makes the county-wide mix hit the targets given the expected urban share, so the
 * targets hold however the village intensities fall.
 */
function ruralMix(urbanShare: number): Weights<DisputeCategory> {
  const mix = {} as Weights<DisputeCategory>;
  for (const k of keysOf(CATEGORY_TARGETS)) {
    mix[k] = Math.max(0.2, (CATEGORY_TARGETS[k] - urbanShare * URBAN_CATEGORY_MIX[k]) / (1 - urbanShare));
  }
  return mix;
}

/** The category mix of each village: urban for the county seat's communities, rural elsewhere. */
export function categoryMixFor(
  geography: Geography,
  intensities: Map<string, VillageIntensity>,
): (village: VillagePlace) => Weights<DisputeCategory> {
  const urbanTowns = new Set(geography.towns.filter((t) => t.isUrban).map((t) => t.code));
  const isUrbanProfile = (v: VillagePlace) => v.isCommunity && urbanTowns.has(v.townCode);
  let urbanShare = 0;
  for (const v of geography.villages) if (isUrbanProfile(v)) urbanShare += intensities.get(v.code)?.share ?? 0;
  const rural = ruralMix(urbanShare);
  return (v) => (isUrbanProfile(v) ? URBAN_CATEGORY_MIX : rural);
}

/**
 * Indices of the k items drawn without replacement with probability proportional to weight
 * (Efraimidis–Spirakis: keep the k largest u^(1/w), compared as ln(u)/w).
 */
function weightedSample(rng: Rng, indices: readonly number[], weight: (i: number) => number, k: number): number[] {
  const keyed = indices.map((i) => ({ i, key: Math.log(1 - rng.next()) / weight(i) }));
  keyed.sort((a, b) => b.key - a.key || a.i - b.i);
  return keyed.slice(0, k).map((x) => x.i);
}

interface Skeleton {
  village: VillagePlace;
  town: TownPlace;
  category: DisputeCategory;
  riskLevel: RiskLevel;
  reportedMs: number;
  acceptDelayMs: number;
  resolveDelayMs: number;
  point: Position;
}

export interface DisputeInputs {
  geography: Geography;
  stations: DemoStation[];
  intensities: Map<string, VillageIntensity>;
}

export function generateDisputes({ geography, stations, intensities }: DisputeInputs, rng: Rng): DemoDispute[] {
  const article = articleCases(geography);
  const randomCount = ARTICLE_FIGURES.found - article.length;
  const openCount =
    ARTICLE_FIGURES.found - ARTICLE_FIGURES.resolved - article.filter((a) => a.status !== 'resolved').length;

  const townOf = new Map(geography.towns.map((t) => [t.code, t]));
  const villages = geography.villages;
  const villageTable = cumulative(villages.map((v) => intensities.get(v.code)?.share ?? 0));
  const mixFor = categoryMixFor(geography, intensities);
  const days = dayTables();

  // 1. Where, what and when, plus each case's natural durations.
  const skeletons: Skeleton[] = [];
  for (let n = 0; n < randomCount; n++) {
    const village = villages[drawFromCumulative(rng, villageTable)] as VillagePlace;
    const town = townOf.get(village.townCode) as TownPlace;
    const category = drawKey(rng, mixFor(village));
    const day = drawFromCumulative(rng, days[category]);
    const hour = rng.weightedIndex(HOUR_WEIGHTS);
    const reportedMs = PERIOD_START_MS + day * DAY_MS + hour * 3_600_000 + rng.int(0, 3599) * 1000;
    skeletons.push({
      village,
      town,
      category,
      riskLevel: drawKey(rng, RISK_MIX),
      reportedMs,
      // Accepted within three days, mostly within hours; settled 1–45 days later, mostly within two weeks.
      acceptDelayMs: 3 * DAY_MS * rng.next() ** 3,
      resolveDelayMs: DAY_MS * (1 + 44 * rng.next() ** 2.2),
      point: pointNearVillage(rng, village),
    });
  }

  // 2. Exactly `openCount` stay open. Cases that could not have been settled by the end of the period are open
  // first; the rest are drawn with weights that favour recent reports but leave a tail of long-stuck old ones.
  const finishes = (s: Skeleton) => s.reportedMs + s.acceptDelayMs + s.resolveDelayMs <= PERIOD_END_MS;
  const recency = (i: number) => {
    const ageDays = (PERIOD_END_MS - (skeletons[i]?.reportedMs ?? 0)) / DAY_MS;
    return Math.exp(-ageDays / OPEN_DECAY_DAYS) + OPEN_TAIL_WEIGHT;
  };
  const all = skeletons.map((_, i) => i);
  const unfinished = all.filter((i) => !finishes(skeletons[i] as Skeleton));
  const finished = all.filter((i) => finishes(skeletons[i] as Skeleton));
  let open: Set<number>;
  if (unfinished.length >= openCount) {
    open = new Set(weightedSample(rng, unfinished, recency, openCount));
    // The unfinished cases that must still count as resolved were settled faster than drawn.
    for (const i of unfinished) {
      if (open.has(i)) continue;
      const s = skeletons[i] as Skeleton;
      const scale = ((PERIOD_END_MS - s.reportedMs) / (s.acceptDelayMs + s.resolveDelayMs)) * rng.uniform(0.3, 1);
      s.acceptDelayMs *= scale;
      s.resolveDelayMs *= scale;
    }
  } else {
    open = new Set([...unfinished, ...weightedSample(rng, finished, recency, openCount - unfinished.length)]);
  }

  const roomOpened = new Map(
    stations.filter((s) => s.kind === 'joint_mediation_room').map((s) => [s.townCode, chinaMs(s.openedOn)]),
  );
  const roomOpenAt = (townCode: string, ms: number) => (roomOpened.get(townCode) ?? Number.POSITIVE_INFINITY) <= ms;
  const handlingStation = (townCode: string, ms: number, channel: MediationChannel | null) => {
    // The joint room takes every case of its town once it exists; before (or without) one, the police station
    // handles public-security mediation and the judicial office the rest.
    if (roomOpenAt(townCode, ms)) return stationKey.jointRoom(townCode);
    return channel === 'public_security' ? stationKey.police(townCode) : stationKey.judicial(townCode);
  };

  // 3. Outcome of each case.
  const drafts: DisputeDraft[] = skeletons.map((s, i) => {
    const acceptedMs = s.reportedMs + s.acceptDelayMs;
    const channels = roomOpenAt(s.town.code, s.reportedMs) ? CHANNELS_WITH_ROOM : CHANNELS_WITHOUT_ROOM;
    let status: DisputeStatus = 'resolved';
    if (open.has(i)) {
      const ageDays = (PERIOD_END_MS - s.reportedMs) / DAY_MS;
      if (acceptedMs > PERIOD_END_MS) status = 'reported';
      else if (ageDays < 3) status = drawKey(rng, { reported: 20, accepted: 30, mediating: 50 });
      else status = drawKey(rng, { accepted: 12, mediating: 88 });
    }
    const channel = status === 'resolved' || status === 'mediating' ? drawKey(rng, channels) : null;
    const resolutionLevel = status === 'resolved' ? drawKey(rng, LEVEL_BY_RISK[s.riskLevel]) : null;
    return {
      caseNo: null,
      category: s.category,
      riskLevel: s.riskLevel,
      status,
      channel,
      resolutionLevel,
      reportedMs: s.reportedMs,
      acceptedMs: status === 'reported' ? null : acceptedMs,
      resolvedMs: status === 'resolved' ? acceptedMs + s.resolveDelayMs : null,
      lon: s.point[0] ?? 0,
      lat: s.point[1] ?? 0,
      villageCode: s.village.code,
      townCode: s.town.code,
      stationKey: handlingStation(s.town.code, s.reportedMs, channel),
      summary: disputeSummary(rng, s.category, {
        villageName: s.village.name,
        townName: s.town.name,
        isCommunity: s.village.isCommunity,
        townIsUrban: s.town.isUrban,
      }),
    };
  });

  return numberCases([...drafts, ...article]);
}

/** Case numbers LX-<year>-<seq> in report order within each year, skipping the numbers the article cases hold. */
function numberCases(drafts: DisputeDraft[]): DemoDispute[] {
  const reserved = new Set<string>(ARTICLE_CASE_NOS);
  const sorted = drafts.map((d, i) => ({ d, i })).sort((a, b) => a.d.reportedMs - b.d.reportedMs || a.i - b.i);
  const nextSeq = new Map<number, number>();
  return sorted.map(({ d }) => {
    let caseNo = d.caseNo;
    if (caseNo === null) {
      const { year } = chinaParts(d.reportedMs);
      let seq = nextSeq.get(year) ?? 1;
      do {
        caseNo = `LX-${year}-${String(seq).padStart(6, '0')}`;
        seq++;
      } while (reserved.has(caseNo));
      nextSeq.set(year, seq);
    }
    // Fields in the order of DemoDispute, so that the JSON reads naturally.
    return {
      caseNo,
      category: d.category,
      riskLevel: d.riskLevel,
      status: d.status,
      channel: d.channel,
      resolutionLevel: d.resolutionLevel,
      reportedAt: formatChinaIso(d.reportedMs),
      acceptedAt: d.acceptedMs === null ? null : formatChinaIso(d.acceptedMs),
      resolvedAt: d.resolvedMs === null ? null : formatChinaIso(d.resolvedMs),
      lon: d.lon,
      lat: d.lat,
      villageCode: d.villageCode,
      townCode: d.townCode,
      stationKey: d.stationKey,
      summary: d.summary,
    };
  });
}
