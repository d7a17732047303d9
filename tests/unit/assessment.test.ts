import { describe, expect, it } from 'vitest';
import { emptyCounts, indicatorValue, type UnitCounts } from '../../server/domain/assessment/indicators.js';
import {
  parsePeriod,
  periodHolding,
  previousPeriod,
  rangeOf,
  samePeriodLastYear,
} from '../../server/domain/assessment/period.js';
import { indicatorPoints, medians, rankChange, rankUnits, scoreUnit } from '../../server/domain/assessment/scoring.js';
import { type StandardIndicator, standardInForce, standardProblem } from '../../server/domain/assessment/standard.js';

const counts = (c: Partial<UnitCounts>): UnitCounts => ({ ...emptyCounts(), ...c });

// A unit with hand-countable figures: 20 found, 18 accepted (36 days to accept in all), 15 resolved (12 at
// village level, 2 at town), 1 failed, 2 referred, 4 overdue, 3 repeats, 1 reopened; 10 villages due, 9 reported.
const unit = counts({
  found: 20,
  accepted: 18,
  acceptDays: 36,
  resolved: 15,
  resolveDays: 150,
  resolvedAtVillage: 12,
  resolvedAtTown: 2,
  failed: 1,
  referred: 2,
  overdue: 4,
  repeats: 3,
  reopened: 1,
  screeningExpected: 10,
  screeningReported: 9,
});

describe('indicator formulas', () => {
  it.each([
    ['acceptance_rate', 18, 20, 0.9],
    ['success_rate', 15, 18, 15 / 18],
    ['village_share', 12, 15, 0.8],
    ['town_share', 14, 15, 14 / 15],
    ['overdue_rate', 4, 20, 0.2],
    ['days_to_accept', 36, 18, 2],
    ['days_to_resolve', 150, 15, 10],
    ['screening_completeness', 9, 10, 0.9],
    ['repeat_rate', 3, 20, 0.15],
    ['reopen_rate', 1, 15, 1 / 15],
  ] as const)('%s = %d ÷ %d', (key, numerator, denominator, value) => {
    const v = indicatorValue(key, unit);
    expect(v.numerator).toBe(numerator);
    expect(v.denominator).toBe(denominator);
    expect(v.value).toBeCloseTo(value, 12);
  });

  it('has no value when its denominator is 0 (no round due, nothing resolved)', () => {
    expect(indicatorValue('screening_completeness', counts({ found: 5 })).value).toBeNull();
    expect(indicatorValue('days_to_resolve', counts({ found: 5 })).value).toBeNull();
  });
});

describe('points and scores', () => {
  const acc: StandardIndicator = { key: 'acceptance_rate', weight: 40, target: 1, floor: 0.8 };
  const days: StandardIndicator = { key: 'days_to_resolve', weight: 60, target: 5, floor: 25 };

  it('earns the weight at the target, nothing at the floor, linearly between, clamped outside', () => {
    expect(indicatorPoints(acc, 1)).toBe(40);
    expect(indicatorPoints(acc, 0.9)).toBeCloseTo(20, 12);
    expect(indicatorPoints(acc, 0.5)).toBe(0);
    // Lower is better: target below the floor. 10 days = (10 − 25) ÷ (5 − 25) = 0.75 of 60.
    expect(indicatorPoints(days, 10)).toBeCloseTo(45, 12);
    expect(indicatorPoints(days, 2)).toBe(60);
    expect(indicatorPoints(days, null)).toBeNull();
  });

  it('sums the points, and scores over the weights that could be earned when an indicator has no value', () => {
    // acceptance 0.9 → 20 of 40; 10 days → 45 of 60: 65.
    expect(scoreUnit({ indicators: [acc, days] }, unit).score).toBe(65);
    // Nothing resolved: only acceptance counts, 20 of 40 → 50.
    expect(scoreUnit({ indicators: [acc, days] }, counts({ found: 20, accepted: 18 })).score).toBe(50);
    expect(scoreUnit({ indicators: [acc, days] }, counts({})).score).toBeNull();
  });
});

describe('ranking', () => {
  const std = {
    minCases: 10,
    indicators: [{ key: 'acceptance_rate', weight: 100, target: 1, floor: 0 }] as StandardIndicator[],
  };
  const u = (key: string, found: number, accepted: number) => ({ key, counts: counts({ found, accepted }) });

  it('shares ranks between equal scores (1, 2, 2, 4) and marks them as ties', () => {
    const r = rankUnits(std, [u('a', 10, 9), u('b', 20, 18), u('c', 10, 10), u('d', 10, 5)]);
    expect(r.map((x) => [x.key, x.score, x.rank, x.tied])).toEqual([
      ['c', 100, 1, false],
      ['a', 90, 2, true],
      ['b', 90, 2, true],
      ['d', 50, 4, false],
    ]);
  });

  it('lists units with fewer cases than the minimum as not ranked, never as rank 1', () => {
    const r = rankUnits(std, [u('small', 3, 3), u('big', 30, 15)]);
    expect(r.map((x) => [x.key, x.rank, x.ranked, x.notRankedReason])).toEqual([
      ['big', 1, true, null],
      ['small', null, false, 'too_few_cases'],
    ]);
    expect(r[1]?.score).toBe(100);
  });

  it('takes county medians over the units with a value, and counts places moved up as positive', () => {
    const r = rankUnits(std, [u('a', 10, 9), u('b', 10, 5), u('c', 10, 8), u('d', 10, 6)]);
    const m = medians(r, ['acceptance_rate']);
    expect(m.indicators.acceptance_rate).toBeCloseTo(0.7, 12);
    expect(m.score).toBe(70);
    expect(rankChange(2, 5)).toBe(3);
    expect(rankChange(4, 1)).toBe(-3);
    expect(rankChange(null, 1)).toBeNull();
  });
});

describe('standards', () => {
  const good = {
    validFrom: '2023-06-01',
    minCases: 10,
    indicators: [
      { key: 'acceptance_rate', weight: 60, target: 1, floor: 0.8 },
      { key: 'success_rate', weight: 40, target: 1, floor: 0.8 },
    ] as StandardIndicator[],
  };
  it('accepts weights summing to 100 and names the field of the first problem otherwise', () => {
    expect(standardProblem(good)).toBeNull();
    expect(standardProblem({ ...good, indicators: [good.indicators[0] as StandardIndicator] })?.field).toBe(
      'indicators',
    );
    expect(
      standardProblem({
        ...good,
        indicators: [{ ...(good.indicators[0] as StandardIndicator), weight: 100, floor: 1 }],
      })?.field,
    ).toBe('indicators.0.floor');
    expect(standardProblem({ ...good, minCases: -1 })?.field).toBe('minCases');
    const twice = [
      good.indicators[0],
      { ...(good.indicators[0] as StandardIndicator), weight: 40 },
    ] as StandardIndicator[];
    expect(standardProblem({ ...good, indicators: twice })?.field).toBe('indicators.1.key');
  });

  it('picks the version in force on a day: the latest validFrom on or before it', () => {
    const versions = [
      { version: 1, validFrom: '1990-01-01' },
      { version: 2, validFrom: '2023-06-01' },
      { version: 3, validFrom: '2024-01-01' },
    ];
    expect(standardInForce(versions, '2023-05-31')?.version).toBe(1);
    expect(standardInForce(versions, '2023-06-01')?.version).toBe(2);
    expect(standardInForce(versions, '2030-01-01')?.version).toBe(3);
    expect(standardInForce(versions, '1989-12-31')).toBeNull();
  });
});

describe('periods', () => {
  it('reads weeks, months, quarters, years and ranges of China-time days', () => {
    expect(parsePeriod('2023-W20')).toEqual({ kind: 'week', key: '2023-W20', from: '2023-05-15', to: '2023-05-21' });
    expect(parsePeriod('2023-05')).toEqual({ kind: 'month', key: '2023-05', from: '2023-05-01', to: '2023-05-31' });
    expect(parsePeriod('2024-02')).toMatchObject({ to: '2024-02-29' });
    expect(parsePeriod('2023-Q2')).toEqual({ kind: 'quarter', key: '2023-Q2', from: '2023-04-01', to: '2023-06-30' });
    expect(parsePeriod('2023-05-01..2023-05-17')).toMatchObject({
      kind: 'range',
      from: '2023-05-01',
      to: '2023-05-17',
    });
    // ISO week 1 of 2021 starts on Monday 4 January; 2020 has 53 weeks.
    expect(parsePeriod('2021-W01')).toMatchObject({ from: '2021-01-04' });
    expect(parsePeriod('2020-W53')).toMatchObject({ from: '2020-12-28', to: '2021-01-03' });
  });

  it('refuses unknown periods and ranges running backwards', () => {
    for (const s of ['2023-13', '2023-W54', '2021-W53', '2023-Q5', '23-05', 'may', '2023-02-30..2023-03-01']) {
      expect(parsePeriod(s)).toBe('unknown');
    }
    expect(rangeOf('2023-05-10', '2023-05-01')).toBe('from_after_to');
  });

  it('knows the previous period and the same period last year', () => {
    const p = (s: string) => parsePeriod(s) as Exclude<ReturnType<typeof parsePeriod>, string>;
    expect(previousPeriod(p('2023-W01')).key).toBe('2022-W52');
    expect(previousPeriod(p('2021-W01')).key).toBe('2020-W53');
    expect(previousPeriod(p('2023-01')).key).toBe('2022-12');
    expect(previousPeriod(p('2023-Q1')).key).toBe('2022-Q4');
    expect(previousPeriod(p('2023-05-11..2023-05-17'))).toMatchObject({ from: '2023-05-04', to: '2023-05-10' });
    expect(samePeriodLastYear(p('2021-W52')).key).toBe('2020-W52');
    expect(samePeriodLastYear(p('2020-W53')).key).toBe('2019-W52');
    expect(samePeriodLastYear(p('2023-05')).key).toBe('2022-05');
    expect(samePeriodLastYear(p('2024-02-29..2024-03-01'))).toMatchObject({ from: '2023-02-28', to: '2023-03-01' });
    expect(periodHolding('week', '2023-05-17').key).toBe('2023-W20');
    expect(periodHolding('month', '2023-05-17').key).toBe('2023-05');
  });
});
