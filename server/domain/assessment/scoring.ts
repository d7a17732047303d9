import { type IndicatorKey, type IndicatorValue, indicators, indicatorValue, type UnitCounts } from './indicators.js';
import type { Standard, StandardIndicator } from './standard.js';

/**
 * Scoring and ranking. Each indicator earns weight × clamp((value − floor) ÷ (target − floor), 0, 1) points; an
 * indicator without a value (its denominator is 0: no screening round due, nothing resolved) is left out and the
 * score is the points earned over the weights that could be earned, × 100 — a unit is not punished for what it had
 * no case of. Units with fewer cases found than the standard's minimum are listed but not ranked. Ranks are
 * standard competition ranks on the score rounded to 2 decimals (1, 2, 2, 4): equal scores share a rank and are
 * marked as ties.
 */
export interface ScoredIndicator extends IndicatorValue {
  weight: number;
  /** Points earned (0…weight), null without a value. */
  points: number | null;
}

export interface UnitInput {
  key: string;
  counts: UnitCounts;
}

export interface ScoredUnit {
  key: string;
  found: number;
  /** 0…100, 2 decimals; null when no indicator has a value. */
  score: number | null;
  ranked: boolean;
  /** Why a unit is not ranked. */
  notRankedReason: 'too_few_cases' | 'no_value' | null;
  rank: number | null;
  tied: boolean;
  indicators: ScoredIndicator[];
}

const round = (x: number, d: number) => {
  const f = 10 ** d;
  return Math.round(x * f) / f;
};

export function indicatorPoints(ind: StandardIndicator, value: number | null): number | null {
  if (value === null) return null;
  const share = (value - ind.floor) / (ind.target - ind.floor);
  return ind.weight * Math.min(1, Math.max(0, share));
}

export function scoreUnit(standard: Pick<Standard, 'indicators'>, counts: UnitCounts) {
  let earned = 0;
  let possible = 0;
  const scored: ScoredIndicator[] = standard.indicators.map((ind) => {
    const v = indicatorValue(ind.key, counts);
    const points = indicatorPoints(ind, v.value);
    if (points !== null) {
      earned += points;
      possible += ind.weight;
    }
    return { ...v, weight: ind.weight, points: points === null ? null : round(points, 2) };
  });
  return { score: possible > 0 ? round((earned / possible) * 100, 2) : null, indicators: scored };
}

/** Scores every unit and ranks those with enough cases. The order of the result is the ranking's. */
export function rankUnits(standard: Pick<Standard, 'indicators' | 'minCases'>, units: readonly UnitInput[]) {
  const scored: ScoredUnit[] = units.map((u) => {
    const { score, indicators: inds } = scoreUnit(standard, u.counts);
    const reason = u.counts.found < standard.minCases ? 'too_few_cases' : score === null ? 'no_value' : null;
    return {
      key: u.key,
      found: u.counts.found,
      score,
      ranked: reason === null,
      notRankedReason: reason,
      rank: null,
      tied: false,
      indicators: inds,
    };
  });
  const ranked = scored.filter((u) => u.ranked).sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  ranked.forEach((u, i) => {
    const prev = ranked[i - 1];
    u.rank = prev && prev.score === u.score ? (prev.rank as number) : i + 1;
  });
  for (const u of ranked) u.tied = ranked.some((o) => o !== u && o.score === u.score);
  const unranked = scored.filter((u) => !u.ranked).sort((a, b) => b.found - a.found || a.key.localeCompare(b.key));
  return [...ranked, ...unranked];
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The county median of every indicator's value and of the score, over the units that have one. */
export function medians(units: readonly ScoredUnit[], keys: readonly IndicatorKey[]) {
  const byKey = Object.fromEntries(
    keys.map((k) => [
      k,
      median(
        units.flatMap((u) => {
          const v = u.indicators.find((i) => i.key === k)?.value;
          return v === null || v === undefined ? [] : [v];
        }),
      ),
    ]),
  ) as Record<IndicatorKey, number | null>;
  return { indicators: byKey, score: median(units.flatMap((u) => (u.score === null ? [] : [u.score]))) };
}

/** Places moved up (+) or down (−) since the previous period; null unless ranked in both. */
export function rankChange(current: number | null, previous: number | null): number | null {
  return current === null || previous === null ? null : previous - current;
}

export const betterIsHigher = (key: IndicatorKey) => indicators[key].better === 'higher';
