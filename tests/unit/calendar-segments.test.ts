import { describe, expect, it } from 'vitest';
import { type CalendarSegment, calendarSegments } from '../../server/domain/calendar-segments.js';

/** Every day a segment list covers, by walking its periods (the rollup's own meaning of a segment). */
function days(segments: CalendarSegment[]): string[] {
  const out: string[] = [];
  for (const s of segments) {
    for (let p = new Date(`${s.first}T00:00:00Z`); p <= new Date(`${s.last}T00:00:00Z`); ) {
      const end = new Date(p);
      if (s.grain === 'y') end.setUTCFullYear(end.getUTCFullYear() + 1);
      else if (s.grain === 'm') end.setUTCMonth(end.getUTCMonth() + 1);
      else end.setUTCDate(end.getUTCDate() + 1);
      for (const d = new Date(p); d < end; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
      p = end;
    }
  }
  return out.sort();
}

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (const d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

describe('calendarSegments', () => {
  it('covers exactly the days of the range, each once, for ranges around month and year ends', () => {
    const starts = ['2019-12-31', '2020-01-01', '2020-02-28', '2020-02-29', '2020-03-01', '2020-07-15'];
    const ends = ['2020-02-29', '2020-03-01', '2020-12-31', '2021-01-01', '2021-06-30', '2023-11-17'];
    for (const a of starts) {
      for (const b of ends) {
        expect(days(calendarSegments(a, b)), `${a}..${b}`).toEqual(range(a, b));
      }
    }
  });

  it('uses whole years and months where it can', () => {
    expect(calendarSegments('2021-03-15', '2023-08-10')).toEqual([
      { grain: 'd', first: '2021-03-15', last: '2021-03-31' },
      { grain: 'd', first: '2023-08-01', last: '2023-08-10' },
      { grain: 'm', first: '2021-04-01', last: '2021-12-01' },
      { grain: 'm', first: '2023-01-01', last: '2023-07-01' },
      { grain: 'y', first: '2022-01-01', last: '2022-01-01' },
    ]);
    expect(calendarSegments(undefined, undefined)).toEqual([{ grain: 'y', first: '0001-01-01', last: '9999-01-01' }]);
    expect(calendarSegments('2022-05-01', undefined)).toEqual([
      { grain: 'm', first: '2022-05-01', last: '2022-12-01' },
      { grain: 'y', first: '2023-01-01', last: '9999-01-01' },
    ]);
  });

  it('gives nothing for an empty range', () => {
    expect(calendarSegments('2022-05-02', '2022-05-01')).toEqual([]);
  });
});
