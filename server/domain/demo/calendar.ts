// Time in the demo is China Standard Time (UTC+8, no daylight saving), so a local day is a fixed 24-hour span
// and a day index maps to a date with plain UTC arithmetic. Timestamps are epoch milliseconds internally and
// ISO 8601 strings with an explicit "+08:00" offset in the output.

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** The period of the source article: 2018-01-01 → 2023-05-17 (its publication date), both inclusive. */
export const PERIOD_START_MS = Date.UTC(2018, 0, 1) - CHINA_OFFSET_MS;
export const PERIOD_END_MS = Date.UTC(2023, 4, 17, 23, 59, 59) - CHINA_OFFSET_MS;
export const PERIOD_DAYS = Math.round((PERIOD_END_MS + 1000 - PERIOD_START_MS) / DAY_MS);

/** Spring Festival (春节) dates: disputes over family, debts and wages peak around them. */
export const SPRING_FESTIVALS_MS = [
  '2018-02-16',
  '2019-02-05',
  '2020-01-25',
  '2021-02-12',
  '2022-02-01',
  '2023-01-22',
].map((d) => chinaMs(d));

/** Epoch milliseconds of a China-time wall clock: chinaMs('2021-05-25', 10, 20). */
export function chinaMs(date: string, hour = 0, minute = 0, second = 0): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d, hour, minute, second) - CHINA_OFFSET_MS;
}

/** The China-time calendar fields of an instant. */
export function chinaParts(ms: number): { year: number; month: number; day: number; weekday: number } {
  const local = new Date(ms + CHINA_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: local.getUTCDay(),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 2021-05-25T10:20:00+08:00 */
export function formatChinaIso(ms: number): string {
  const t = new Date(Math.floor(ms / 1000) * 1000 + CHINA_OFFSET_MS);
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}+08:00`
  );
}

/** 2021-05-25 */
export function formatChinaDate(ms: number): string {
  return formatChinaIso(ms).slice(0, 10);
}
