import type { DisputeCollection } from '../api/disputes';
import type { RiskLevel } from '../api/vocabulary';
import { riskLevels } from '../api/vocabulary';

/** An open case older than this many days counts as overdue (DESIGN.md: a configurable limit, 30 by default). */
export const OVERDUE_DAYS = 30;

export interface RiskSummary {
  byLevel: Record<RiskLevel, number>;
  total: number;
  overdue: number;
  oldestDays: number | null;
}

/** Open cases of the county, or of one town, counted by risk level. */
export function summariseRisk(
  disputes: DisputeCollection,
  town: string | null,
  overdueDays = OVERDUE_DAYS,
): RiskSummary {
  const byLevel = Object.fromEntries(riskLevels.map((level) => [level, 0])) as Record<RiskLevel, number>;
  let total = 0;
  let overdue = 0;
  let oldestDays: number | null = null;
  for (const { properties: p } of disputes.features) {
    if (town && p.townCode !== town) continue;
    total += 1;
    if (p.riskLevel in byLevel) byLevel[p.riskLevel] += 1;
    if (p.ageDays > overdueDays) overdue += 1;
    if (oldestDays === null || p.ageDays > oldestDays) oldestDays = p.ageDays;
  }
  return { byLevel, total, overdue, oldestDays };
}
