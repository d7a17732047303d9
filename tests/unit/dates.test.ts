import { describe, expect, it } from 'vitest';
import { parseWrittenDay } from '../../server/contract/dates.js';

describe('parseWrittenDay: dates as people type them', () => {
  it.each([
    ['2023-05-17', '2023-05-17'],
    ['2023/5/7', '2023-05-07'],
    ['2023.5.17', '2023-05-17'],
    ['2023年5月17日', '2023-05-17'],
    ['2023 年 5 月 7', '2023-05-07'],
    ['２０２３－０５－１７', '2023-05-17'],
    ['20230517', '2023-05-17'],
    [' 2024-02-29 ', '2024-02-29'],
  ])('reads %s as %s', (text, day) => {
    expect(parseWrittenDay(text)).toBe(day);
  });

  it.each(['', '2023-02-29', '2023-13-01', '2023-00-10', '05/17/2023', '17.5.2023', '2023-5', 'abc', '2023-05-17x'])(
    'names no day in %j',
    (text) => {
      expect(parseWrittenDay(text)).toBeNull();
    },
  );
});
