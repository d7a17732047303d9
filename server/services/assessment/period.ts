import { type Period, parsePeriod, rangeOf } from '../../domain/assessment/period.js';
import { InvalidInput } from '../errors.js';

const reasons = {
  unknown: 'must be a week (2023-W20), a month (2023-05), a quarter (2023-Q2), a year (2023) or a range of days',
  from_after_to: 'from must not be after to',
  too_long: 'a range may span at most ten years',
} as const;

/** The period of a request: `period` (a name), or `from` and `to`; a 400 naming the field otherwise. */
export function requestPeriod(q: { period?: string; from?: string; to?: string }): Period {
  if (q.period !== undefined) {
    if (q.from !== undefined || q.to !== undefined)
      throw new InvalidInput('period', 'give a period or from/to, not both');
    const p = parsePeriod(q.period);
    if (typeof p === 'string') throw new InvalidInput('period', reasons[p]);
    return p;
  }
  if (q.from === undefined) throw new InvalidInput('period', 'a period (or from and to) is required');
  if (q.to === undefined) throw new InvalidInput('to', 'is required with from');
  const p = rangeOf(q.from, q.to);
  if (p === 'from_after_to') throw new InvalidInput('from', reasons[p]);
  if (p === 'unknown') throw new InvalidInput('from', 'from and to must be calendar days (YYYY-MM-DD)');
  if (p === 'too_long') throw new InvalidInput('to', reasons[p]);
  return p;
}
