/**
 * Joint meetings (联席会议) and work meetings (工作例会): how regularly a town met against the county's
 * expectation (every month or every quarter). Pure.
 */

import type { MeetingExpectation } from '../../contract/vocabulary.js';

// The vocabulary lives in the API contract, shared with the web app.
export {
  type MeetingExpectation,
  type MeetingKind,
  meetingExpectations,
  meetingKinds,
} from '../../contract/vocabulary.js';

/** The period key of a day: '2023-05' (month) or '2023-Q2' (quarter). */
export function periodOf(day: string, every: MeetingExpectation): string {
  const y = day.slice(0, 4);
  const m = Number(day.slice(5, 7));
  return every === 'month' ? `${y}-${day.slice(5, 7)}` : `${y}-Q${Math.ceil(m / 3)}`;
}

/**
 * The last `count` periods ending with the one holding `today`, oldest first. The current period counts: a
 * town that already met this month has it; one that has not yet is shown as not (yet) met.
 */
export function lastPeriods(today: string, every: MeetingExpectation, count: number): string[] {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const step = every === 'month' ? 1 : 3;
  const out: string[] = [];
  let index = y * 12 + (m - 1);
  if (every === 'quarter') index -= (m - 1) % 3;
  for (let i = 0; i < count; i++) {
    const yy = Math.floor(index / 12);
    const mm = (index % 12) + 1;
    out.unshift(periodOf(`${yy}-${String(mm).padStart(2, '0')}-01`, every));
    index -= step;
  }
  return out;
}

export interface Regularity {
  every: MeetingExpectation;
  periods: { period: string; meetings: number }[];
  /** Periods with at least one meeting. */
  met: number;
  expected: number;
  /** met ÷ expected. */
  rate: number;
  lastHeldOn: string | null;
}

/** Regularity over the last year (12 months or 4 quarters) from the meetings' dates. */
export function regularity(today: string, every: MeetingExpectation, heldOn: readonly string[]): Regularity {
  const periods = lastPeriods(today, every, every === 'month' ? 12 : 4);
  const counts = new Map(periods.map((p) => [p, 0]));
  let last: string | null = null;
  for (const d of heldOn) {
    if (d > today) continue;
    const p = periodOf(d, every);
    if (counts.has(p)) counts.set(p, (counts.get(p) ?? 0) + 1);
    if (last === null || d > last) last = d;
  }
  const rows = periods.map((p) => ({ period: p, meetings: counts.get(p) ?? 0 }));
  const met = rows.filter((r) => r.meetings > 0).length;
  return {
    every,
    periods: rows,
    met,
    expected: rows.length,
    rate: Math.round((met / rows.length) * 1000) / 1000,
    lastHeldOn: last,
  };
}
