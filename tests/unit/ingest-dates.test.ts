import { describe, expect, it } from 'vitest';
import { parseChineseDate } from '../../server/domain/ingest/dates.js';

describe('dates as Chinese spreadsheets write them', () => {
  it.each([
    ['2023-05-17', '2023-05-17'],
    ['2023/5/17', '2023-05-17'],
    ['2023.5.7', '2023-05-07'],
    ['2023年5月17日', '2023-05-17'],
    ['2023 年 5 月 17 日', '2023-05-17'],
    ['20230517', '2023-05-17'],
    ['2023/5/17 14:30', '2023-05-17'],
    ['45063', '2023-05-17'],
  ])('%s → %s', (input, expected) => {
    expect(parseChineseDate(input)).toBe(expected);
  });

  it('reads Excel serials (1900 system, with its phantom 29 February) and XLSX dates', () => {
    expect(parseChineseDate(45063)).toBe('2023-05-17');
    expect(parseChineseDate(1)).toBe('1900-01-01');
    expect(parseChineseDate(61)).toBe('1900-03-01');
    expect(parseChineseDate(new Date(Date.UTC(2023, 4, 17)))).toBe('2023-05-17');
  });

  it.each(['2023-02-30', '2023年13月1日', '17/05/2023', 'yesterday', '', '0'])('rejects %j', (input) => {
    expect(parseChineseDate(input)).toBeNull();
  });
});
