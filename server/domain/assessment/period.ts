/**
 * Reporting periods of the briefings and the assessment, as the county names them: an ISO week (2023-W20,
 * Monday to Sunday), a month (2023-05), a quarter (2023-Q2), a year (2023) or a range of days
 * (2023-05-01..2023-05-17). Days are calendar days in China Standard Time; `from` and `to` are inclusive.
 */
export type PeriodKind = 'week' | 'month' | 'quarter' | 'year' | 'range';

export interface Period {
  kind: PeriodKind;
  /** The period's name as given (normalised): the scheduler's period keys use the same names. */
  key: string;
  from: string;
  to: string;
}

/** Why a period string was refused (the service turns it into a 400 naming the field). */
export type PeriodError = 'unknown' | 'from_after_to' | 'too_long';

const DAY_MS = 86_400_000;
/** The longest range a briefing or a ranking covers: ten years of days. */
export const MAX_RANGE_DAYS = 3660;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
const addDays = (day: string, n: number) => iso(ms(day) + n * DAY_MS);
const lastOfMonth = (y: number, m: number) => iso(Date.UTC(y, m, 0));

/** A real calendar day in YYYY-MM-DD (2023-02-30 is not one). */
export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = ms(s);
  return Number.isFinite(t) && iso(t) === s;
}

/** Monday of ISO week 1 of `year`: the week holding 4 January. */
function isoWeekOne(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - weekday * DAY_MS;
}

export function isoWeeksIn(year: number): number {
  return Math.round((isoWeekOne(year + 1) - isoWeekOne(year)) / (7 * DAY_MS));
}

/** The ISO week of a day: its year (which may differ from the day's) and number. */
export function isoWeekOf(day: string): { year: number; week: number } {
  const t = ms(day);
  let year = new Date(t).getUTCFullYear() + 1;
  while (isoWeekOne(year) > t) year--;
  return { year, week: Math.floor((t - isoWeekOne(year)) / (7 * DAY_MS)) + 1 };
}

const week = (year: number, w: number): Period => {
  const start = iso(isoWeekOne(year) + (w - 1) * 7 * DAY_MS);
  return { kind: 'week', key: `${year}-W${pad(w)}`, from: start, to: addDays(start, 6) };
};
const month = (y: number, m: number): Period => ({
  kind: 'month',
  key: `${y}-${pad(m)}`,
  from: `${y}-${pad(m)}-01`,
  to: lastOfMonth(y, m),
});
const quarter = (y: number, q: number): Period => ({
  kind: 'quarter',
  key: `${y}-Q${q}`,
  from: `${y}-${pad(q * 3 - 2)}-01`,
  to: lastOfMonth(y, q * 3),
});
const year = (y: number): Period => ({ kind: 'year', key: String(y), from: `${y}-01-01`, to: `${y}-12-31` });
const range = (from: string, to: string): Period => ({ kind: 'range', key: `${from}..${to}`, from, to });

const YEARS = { min: 1990, max: 2100 };

export function parsePeriod(text: string): Period | PeriodError {
  const s = text.trim();
  let m = /^(\d{4})-W(\d{2})$/.exec(s);
  if (m) {
    const [y, w] = [Number(m[1]), Number(m[2])];
    if (y < YEARS.min || y > YEARS.max || w < 1 || w > isoWeeksIn(y)) return 'unknown';
    return week(y, w);
  }
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (y < YEARS.min || y > YEARS.max || mo < 1 || mo > 12) return 'unknown';
    return month(y, mo);
  }
  m = /^(\d{4})-Q([1-4])$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    if (y < YEARS.min || y > YEARS.max) return 'unknown';
    return quarter(y, Number(m[2]));
  }
  m = /^(\d{4})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    if (y < YEARS.min || y > YEARS.max) return 'unknown';
    return year(y);
  }
  m = /^(\d{4}-\d{2}-\d{2})(?:\.\.|_)(\d{4}-\d{2}-\d{2})$/.exec(s);
  if (m) return rangeOf(m[1] as string, m[2] as string);
  return 'unknown';
}

/** A range of days (the from/to form), checked. */
export function rangeOf(from: string, to: string): Period | PeriodError {
  if (!isDay(from) || !isDay(to)) return 'unknown';
  if (from > to) return 'from_after_to';
  if ((ms(to) - ms(from)) / DAY_MS + 1 > MAX_RANGE_DAYS) return 'too_long';
  return range(from, to);
}

export const lengthInDays = (p: Pick<Period, 'from' | 'to'>) => (ms(p.to) - ms(p.from)) / DAY_MS + 1;

/** The period just before: the previous week, month, quarter or year; for a range, as many days before it. */
export function previousPeriod(p: Period): Period {
  const [y, rest] = [Number(p.key.slice(0, 4)), p.key.slice(5)];
  switch (p.kind) {
    case 'week': {
      const w = Number(rest.slice(1));
      return w > 1 ? week(y, w - 1) : week(y - 1, isoWeeksIn(y - 1));
    }
    case 'month': {
      const mo = Number(rest);
      return mo > 1 ? month(y, mo - 1) : month(y - 1, 12);
    }
    case 'quarter': {
      const q = Number(rest.slice(1));
      return q > 1 ? quarter(y, q - 1) : quarter(y - 1, 4);
    }
    case 'year':
      return year(y - 1);
    case 'range': {
      const n = lengthInDays(p);
      return range(addDays(p.from, -n), addDays(p.from, -1));
    }
  }
}

/** 29 February a year back is 28 February. */
const yearBack = (day: string) => {
  const [y, m, d] = [Number(day.slice(0, 4)) - 1, day.slice(5, 7), day.slice(8)];
  const candidate = `${y}-${m}-${d}`;
  return isDay(candidate) ? candidate : `${y}-${m}-28`;
};

/** The same period a year earlier (同比): the same week number (week 53 → 52), month, quarter or days. */
export function samePeriodLastYear(p: Period): Period {
  const [y, rest] = [Number(p.key.slice(0, 4)), p.key.slice(5)];
  switch (p.kind) {
    case 'week':
      return week(y - 1, Math.min(Number(rest.slice(1)), isoWeeksIn(y - 1)));
    case 'month':
      return month(y - 1, Number(rest));
    case 'quarter':
      return quarter(y - 1, Number(rest.slice(1)));
    case 'year':
      return year(y - 1);
    case 'range':
      return range(yearBack(p.from), yearBack(p.to));
  }
}

/** The period of a kind holding a day: for the scheduler (the week or month just ended) and defaults. */
export function periodHolding(kind: 'week' | 'month' | 'quarter', day: string): Period {
  const [y, mo] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  if (kind === 'month') return month(y, mo);
  if (kind === 'quarter') return quarter(y, Math.ceil(mo / 3));
  const w = isoWeekOf(day);
  return week(w.year, w.week);
}
