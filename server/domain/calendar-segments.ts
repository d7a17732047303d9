/**
 * Cuts an inclusive range of calendar days into the periods of the dispute_counts rollup (migration 070): loose
 * days at both ends up to a month boundary, then loose months up to a year boundary, then whole years. Each
 * segment is matched as `grain = g AND period BETWEEN first AND last` (a period is named by its first day).
 * An open end stands for the calendar's first or last day, so that no range reads more than 2 × 30 days,
 * 2 × 11 months and the years between.
 */
export type Grain = 'y' | 'm' | 'd';

export interface CalendarSegment {
  grain: Grain;
  /** YYYY-MM-DD: the first period's first day and the last period's first day. */
  first: string;
  last: string;
}

const MIN = '0001-01-01';
const MAX = '9999-12-31';

const iso = (d: Date) => d.toISOString().slice(0, 10);
const day = (s: string) => new Date(`${s}T00:00:00Z`);
const addDays = (s: string, n: number) => {
  const d = day(s);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
};
const monthStart = (s: string) => `${s.slice(0, 7)}-01`;
const nextMonth = (s: string) => {
  const d = day(monthStart(s));
  d.setUTCMonth(d.getUTCMonth() + 1);
  return iso(d);
};
const monthEnd = (s: string) => addDays(nextMonth(s), -1);
const yearStart = (s: string) => `${s.slice(0, 4)}-01-01`;
const yearEnd = (s: string) => `${s.slice(0, 4)}-12-31`;
const min = (a: string, b: string) => (a < b ? a : b);
const max = (a: string, b: string) => (a > b ? a : b);

export function calendarSegments(from: string | undefined, to: string | undefined): CalendarSegment[] {
  let a = from ?? MIN;
  let b = to ?? MAX;
  const out: CalendarSegment[] = [];
  if (a > b) return out;
  // Loose days at the start, then at the end.
  if (a !== monthStart(a)) {
    const end = min(b, monthEnd(a));
    out.push({ grain: 'd', first: a, last: end });
    a = addDays(end, 1);
  }
  if (a > b) return out;
  if (b !== monthEnd(b)) {
    const start = max(a, monthStart(b));
    out.push({ grain: 'd', first: start, last: b });
    b = addDays(start, -1);
  }
  if (a > b) return out;
  // a is a month's first day, b a month's last day: loose months, then years.
  if (a.slice(5) !== '01-01') {
    const end = min(b, yearEnd(a));
    out.push({ grain: 'm', first: a, last: monthStart(end) });
    a = addDays(end, 1);
  }
  if (a > b) return out;
  if (b.slice(5) !== '12-31') {
    const start = max(a, yearStart(b));
    out.push({ grain: 'm', first: start, last: monthStart(b) });
    b = addDays(start, -1);
  }
  if (a > b) return out;
  out.push({ grain: 'y', first: a, last: yearStart(b) });
  return out;
}
