import { describe, expect, it } from 'vitest';
import type { DisputeCollection } from '../../web/src/api/disputes';
import type { TownKpis } from '../../web/src/api/summary';
import { formatCount, formatDate, formatPercent, NO_VALUE, ratio } from '../../web/src/lib/format';
import { summariseRisk } from '../../web/src/lib/risk';
import { nextSort, sortTowns } from '../../web/src/lib/towns';
import { readTown, withTown } from '../../web/src/lib/url';

describe('number formatting', () => {
  it.each(['zh-CN', 'en'])('writes counts with thousands separators in %s', (locale) => {
    expect(formatCount(27013, locale)).toBe('27,013');
    expect(formatCount(26014, locale)).toBe('26,014');
    expect(formatCount(999, locale)).toBe('999');
    expect(formatCount(0, locale)).toBe('0');
  });

  it.each(['zh-CN', 'en'])('writes the success rate with one decimal in %s (26,014 ÷ 27,013)', (locale) => {
    expect(formatPercent(ratio(26014, 27013), locale)).toBe('96.3%');
    expect(formatPercent(1, locale)).toBe('100.0%');
    expect(formatPercent(0, locale)).toBe('0.0%');
    expect(formatPercent(0.96349, locale)).toBe('96.3%');
    expect(formatPercent(0.96351, locale)).toBe('96.4%');
  });

  it('shows a dash, not zero, for a missing figure or a rate over zero cases', () => {
    expect(ratio(5, 0)).toBeNull();
    expect(formatPercent(null, 'zh-CN')).toBe(NO_VALUE);
    expect(formatCount(undefined, 'en')).toBe(NO_VALUE);
    expect(formatCount(Number.NaN, 'en')).toBe(NO_VALUE);
  });

  it('dates timestamps by the calendar day in China', () => {
    expect(formatDate('2021-05-25')).toBe('2021-05-25');
    expect(formatDate('2021-05-25T17:30:00Z')).toBe('2021-05-26');
    expect(formatDate('2021-05-25T08:00:00+08:00')).toBe('2021-05-25');
    expect(formatDate(null)).toBe(NO_VALUE);
  });
});

const town = (code: string, name: string, found: number, resolved: number, open: number): TownKpis => ({
  code,
  name,
  found,
  resolved,
  open,
  failed: 0,
  referred: found - resolved - open,
  resolvedAtVillage: 0,
  resolvedAtTown: 0,
  successRate: found > 0 ? resolved / found : null,
  closedSuccessRate: null,
  villageLevelRate: null,
  townLevelRate: null,
  meanDaysToResolve: resolved > 0 ? (found - resolved) / 10 : null,
});

describe('town table sorting', () => {
  const rows = [
    town('430723108', '王家厂镇', 1800, 1770, 30),
    town('430723114', '澧南镇', 1900, 1820, 80),
    town('430723117', '官垸镇', 0, 0, 0),
    town('430723103', '梦溪镇', 1900, 1850, 50),
  ];

  it('sorts a copy by a figure, ties broken by code, never touching the input', () => {
    const before = rows.map((r) => r.code);
    expect(sortTowns(rows, 'found', 'desc').map((r) => r.code)).toEqual([
      '430723103',
      '430723114',
      '430723108',
      '430723117',
    ]);
    expect(rows.map((r) => r.code)).toEqual(before);
  });

  it('puts towns without a rate last in both directions', () => {
    expect(sortTowns(rows, 'successRate', 'asc').at(-1)?.code).toBe('430723117');
    expect(sortTowns(rows, 'successRate', 'desc').at(-1)?.code).toBe('430723117');
    expect(sortTowns(rows, 'successRate', 'desc')[0]?.code).toBe('430723108');
  });

  it('sorts by mean days to resolution, towns without a resolved case last', () => {
    expect(sortTowns(rows, 'meanDaysToResolve', 'asc').map((r) => r.code)).toEqual([
      '430723108',
      '430723103',
      '430723114',
      '430723117',
    ]);
    expect(sortTowns(rows, 'meanDaysToResolve', 'desc').at(-1)?.code).toBe('430723117');
  });

  it('sorts names by Chinese collation', () => {
    const names = sortTowns(rows, 'name', 'asc').map((r) => r.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('zh-CN').compare));
  });

  it('flips the direction on the same column and starts a new one descending', () => {
    expect(nextSort({ key: 'found', direction: 'desc' }, 'found')).toEqual({ key: 'found', direction: 'asc' });
    expect(nextSort({ key: 'found', direction: 'desc' }, 'open')).toEqual({ key: 'open', direction: 'desc' });
    expect(nextSort({ key: 'found', direction: 'desc' }, 'name')).toEqual({ key: 'name', direction: 'asc' });
  });
});

describe('open cases by risk level', () => {
  const dispute = (townCode: string, riskLevel: 'red' | 'orange' | 'yellow' | 'blue', ageDays: number) => ({
    type: 'Feature' as const,
    geometry: { type: 'Point' as const, coordinates: [111.7, 29.6] },
    properties: {
      id: 1,
      caseNo: 'X',
      category: 'neighbour' as const,
      riskLevel,
      status: 'mediating' as const,
      reportedAt: '2023-05-01',
      townCode,
      townName: '',
      villageCode: null,
      villageName: null,
      ageDays,
    },
  });
  const disputes: DisputeCollection = {
    type: 'FeatureCollection',
    features: [dispute('A', 'red', 40), dispute('A', 'blue', 3), dispute('B', 'red', 31), dispute('B', 'yellow', 30)],
  };

  it('counts the county, or one town, by level with overdue (> 30 days) and oldest', () => {
    expect(summariseRisk(disputes, null)).toEqual({
      byLevel: { red: 2, orange: 0, yellow: 1, blue: 1 },
      total: 4,
      overdue: 2,
      oldestDays: 40,
    });
    expect(summariseRisk(disputes, 'B')).toMatchObject({ total: 2, overdue: 1, oldestDays: 31 });
    expect(summariseRisk(disputes, 'C')).toMatchObject({ total: 0, oldestDays: null });
  });
});

describe('URL state', () => {
  it('reads only a well-formed 9-digit town code', () => {
    expect(readTown('?town=430723108&lang=en')).toBe('430723108');
    expect(readTown('?town=4307')).toBeNull();
    expect(readTown('?town=4307231081')).toBeNull();
    expect(readTown('?town=<script>')).toBeNull();
    expect(readTown('')).toBeNull();
  });

  it('sets and clears the town keeping the other parameters', () => {
    expect(withTown('?lang=en', '430723108')).toBe('?lang=en&town=430723108');
    expect(withTown('?lang=en&town=430723108', null)).toBe('?lang=en');
    expect(withTown('?town=430723108', null)).toBe('');
  });
});
