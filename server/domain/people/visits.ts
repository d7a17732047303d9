/**
 * Follow-up visits (回访) of resolved cases: when the first one is due, and the satisfaction figures. Pure.
 */

import type { Performance, Satisfaction } from '../../contract/vocabulary.js';

// The vocabulary lives in the API contract, shared with the web app.
export { type Performance, performances, type Satisfaction, satisfactions } from '../../contract/vocabulary.js';

/** Days after `day` (YYYY-MM-DD), as YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The first visit is due on the agreement's follow-up date; without one, `defaultDays` after the case was
 * resolved (China calendar day). A case that has had a visit is not due any more.
 */
export function firstVisitDue(c: { followUpOn: string | null; resolvedOn: string | null }, defaultDays: number) {
  if (c.followUpOn) return c.followUpOn;
  return c.resolvedOn ? addDays(c.resolvedOn, defaultDays) : null;
}

/**
 * A visit that finds the agreement broken offers to reopen the case; so does one where the parties are not
 * satisfied (the dispute is likely to flare up again even if the terms are kept for now).
 */
export const offersReopen = (performance: Performance, satisfaction: Satisfaction) =>
  performance === 'broken' || satisfaction === 'not';

export interface SatisfactionCounts {
  visits: number;
  satisfied: number;
  basically: number;
  not: number;
}

/**
 * Satisfaction rate = (satisfied + basically satisfied) ÷ visits, the way the justice bureau reports 满意率;
 * the strict rate counts "satisfied" alone. Null without visits (no rate from nothing).
 */
export function satisfactionRates(c: SatisfactionCounts) {
  const rate = (n: number) => (c.visits > 0 ? Math.round((n / c.visits) * 1000) / 1000 : null);
  return { rate: rate(c.satisfied + c.basically), strictRate: rate(c.satisfied) };
}
