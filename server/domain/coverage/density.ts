/** Ranking of uncovered villages: disputes per km², the gap finder's measure of unmet demand. */

export interface VillageDemand {
  code: string;
  areaKm2: number;
  disputes: number;
}

export interface RankedVillage extends VillageDemand {
  perKm2: number;
  rank: number;
}

/** Highest density first; ties by more disputes, then by code so the order is stable. */
export function rankByDensity(villages: readonly VillageDemand[]): RankedVillage[] {
  return villages
    .map((v) => ({ ...v, perKm2: v.areaKm2 > 0 ? v.disputes / v.areaKm2 : 0 }))
    .sort((a, b) => b.perKm2 - a.perKm2 || b.disputes - a.disputes || a.code.localeCompare(b.code))
    .map((v, i) => ({ ...v, rank: i + 1 }));
}
