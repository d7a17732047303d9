/**
 * Periods of the scheduler, in China time (UTC+8, no daylight saving): a job with period 'week' runs once per ISO
 * week as a county office counts it, whatever the server's time zone. Keys sort in time order within a kind.
 */
export type SchedulePeriod = 'hour' | 'day' | 'week' | 'month';

const CHINA_OFFSET_MS = 8 * 3600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The wall-clock fields of `at` in China time (a Date whose UTC fields are China's). */
function chinaClock(at: Date): Date {
  return new Date(at.getTime() + CHINA_OFFSET_MS);
}

/** ISO 8601 week-numbering year and week of a China-time calendar day. */
function isoWeek(c: Date): { year: number; week: number } {
  const d = new Date(Date.UTC(c.getUTCFullYear(), c.getUTCMonth(), c.getUTCDate()));
  const weekday = d.getUTCDay() || 7; // Monday 1 … Sunday 7
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return { year: d.getUTCFullYear(), week: Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

/** The key of the period holding `at`: '2023-05-17T08', '2023-05-17', '2023-W20', '2023-05'. */
export function periodKey(period: SchedulePeriod, at: Date): string {
  const c = chinaClock(at);
  const day = `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())}`;
  switch (period) {
    case 'hour':
      return `${day}T${pad(c.getUTCHours())}`;
    case 'day':
      return day;
    case 'week': {
      const { year, week } = isoWeek(c);
      return `${year}-W${pad(week)}`;
    }
    case 'month':
      return day.slice(0, 7);
  }
}

/** The instant the period holding `at` began (China midnight of its first day, or the top of the hour). */
export function periodStart(period: SchedulePeriod, at: Date): Date {
  const c = chinaClock(at);
  const y = c.getUTCFullYear();
  const m = c.getUTCMonth();
  const d = c.getUTCDate();
  let startUtcFields: number;
  if (period === 'hour') startUtcFields = Date.UTC(y, m, d, c.getUTCHours());
  else if (period === 'day') startUtcFields = Date.UTC(y, m, d);
  else if (period === 'month') startUtcFields = Date.UTC(y, m, 1);
  else startUtcFields = Date.UTC(y, m, d - ((c.getUTCDay() || 7) - 1));
  return new Date(startUtcFields - CHINA_OFFSET_MS);
}
