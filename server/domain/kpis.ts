/** The article's assessment figures, computed from counts. Definitions are the ones users check (DESIGN.md). */

export interface DisputeCounts {
  found: number;
  resolved: number;
  failed: number;
  referred: number;
  open: number;
  resolvedAtVillage: number;
  resolvedAtTown: number;
}

export interface Kpis extends DisputeCounts {
  /** resolved ÷ found: the article's 化解率 (26,014 ÷ 27,013 = 96.3 %). */
  successRate: number | null;
  /** resolved ÷ (resolved + failed + referred): success among cases already closed. */
  closedSuccessRate: number | null;
  /** 小事不出村: resolved at village level ÷ resolved. */
  villageLevelRate: number | null;
  /** 大事不出镇: resolved at village or town level ÷ resolved. */
  townLevelRate: number | null;
}

export const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null;

/** A rate as the assessment tables show it: three decimals (0.963), null without a denominator. */
export function shownRate(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 1000;
}

export function kpis(c: DisputeCounts): Kpis {
  return {
    ...c,
    successRate: ratio(c.resolved, c.found),
    closedSuccessRate: ratio(c.resolved, c.resolved + c.failed + c.referred),
    villageLevelRate: ratio(c.resolvedAtVillage, c.resolved),
    townLevelRate: ratio(c.resolvedAtVillage + c.resolvedAtTown, c.resolved),
  };
}

export function sumCounts(rows: readonly DisputeCounts[]): DisputeCounts {
  const total: DisputeCounts = {
    found: 0,
    resolved: 0,
    failed: 0,
    referred: 0,
    open: 0,
    resolvedAtVillage: 0,
    resolvedAtTown: 0,
  };
  for (const r of rows) {
    total.found += r.found;
    total.resolved += r.resolved;
    total.failed += r.failed;
    total.referred += r.referred;
    total.open += r.open;
    total.resolvedAtVillage += r.resolvedAtVillage;
    total.resolvedAtTown += r.resolvedAtTown;
  }
  return total;
}
