import { describe, expect, it } from 'vitest';
import { periodKey, periodStart } from '../../server/domain/schedule-periods.js';

describe('scheduler periods in China time', () => {
  it('names the hour, day, ISO week and month of an instant as a county office counts them', () => {
    // 2023-05-16 16:30 UTC is 2023-05-17 00:30 in China: already the 17th there.
    const at = new Date('2023-05-16T16:30:00Z');
    expect(periodKey('hour', at)).toBe('2023-05-17T00');
    expect(periodKey('day', at)).toBe('2023-05-17');
    expect(periodKey('week', at)).toBe('2023-W20');
    expect(periodKey('month', at)).toBe('2023-05');
    expect(periodKey('day', new Date('2023-05-16T15:59:59Z'))).toBe('2023-05-16');
  });

  it('takes the ISO week-numbering year at year boundaries', () => {
    // 2021-01-03 (Sunday) belongs to 2020-W53; 2024-12-30 (Monday) to 2025-W01.
    expect(periodKey('week', new Date('2021-01-03T04:00:00Z'))).toBe('2020-W53');
    expect(periodKey('week', new Date('2024-12-30T04:00:00Z'))).toBe('2025-W01');
    expect(periodKey('week', new Date('2023-01-01T04:00:00Z'))).toBe('2022-W52');
  });

  it('starts a week on Monday 00:00 China time and a month on its first day', () => {
    const wednesday = new Date('2023-05-17T06:00:00Z');
    expect(periodStart('week', wednesday).toISOString()).toBe('2023-05-14T16:00:00.000Z');
    expect(periodStart('month', wednesday).toISOString()).toBe('2023-04-30T16:00:00.000Z');
    expect(periodStart('day', wednesday).toISOString()).toBe('2023-05-16T16:00:00.000Z');
    expect(periodStart('hour', wednesday).toISOString()).toBe('2023-05-17T06:00:00.000Z');
    // A Monday's own week starts that Monday, and a Sunday's six days before.
    expect(periodStart('week', new Date('2023-05-15T01:00:00Z')).toISOString()).toBe('2023-05-14T16:00:00.000Z');
    expect(periodStart('week', new Date('2023-05-21T12:00:00Z')).toISOString()).toBe('2023-05-14T16:00:00.000Z');
  });
});
