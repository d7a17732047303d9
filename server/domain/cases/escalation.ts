import type { DisputeCategory, RiskLevel } from '../vocabulary.js';

/**
 * Escalation (民转刑) risk of a case: a transparent additive score, 0–100, from named factors, each shown with
 * its points so a mediator can see why a case is on top. Weights follow what the article names as warning
 * signs: threats and injuries, repeated flare-ups, categories that turn violent (neighbour, marriage & family,
 * land), long waits, and the screening risk level.
 */
export interface EscalationInput {
  category: DisputeCategory;
  riskLevel: RiskLevel;
  repeatCount: number;
  threat: boolean;
  injury: boolean;
  /** Days since reported for an open case; null when closed. */
  daysOpen: number | null;
}

export interface EscalationFactor {
  factor: 'category' | 'repeat' | 'threat' | 'injury' | 'days_open' | 'risk_level';
  points: number;
  value: string | number | boolean;
}

export interface EscalationScore {
  score: number;
  band: 'high' | 'medium' | 'low';
  factors: EscalationFactor[];
}

const categoryPoints: Record<DisputeCategory, number> = {
  marriage_family: 15,
  neighbour: 12,
  land_forest: 12,
  labour_wages: 8,
  medical: 8,
  contract_debt: 6,
  property_management: 4,
  traffic_accident: 4,
  other: 2,
};
const riskPoints: Record<RiskLevel, number> = { red: 20, orange: 12, yellow: 6, blue: 0 };

/**
 * Every weight of the score, in one object: the register ranks by the same numbers in SQL
 * (db/queries/cases.ts, passed as one parameter), so a page of the ranking is cut in the database.
 */
export const escalationWeights = {
  category: categoryPoints,
  risk: riskPoints,
  /** Each earlier case among the same parties or at the same place, up to a cap. */
  repeatEach: 6,
  repeatCap: 18,
  threat: 20,
  injury: 15,
  /** One point for every `daysPerPoint` days open, up to a cap. */
  daysPerPoint: 3,
  daysCap: 12,
  max: 100,
} as const;
export type EscalationWeights = typeof escalationWeights;
const w = escalationWeights;

export function escalationScore(input: EscalationInput): EscalationScore {
  const factors: EscalationFactor[] = [
    { factor: 'category', points: w.category[input.category], value: input.category },
    { factor: 'risk_level', points: w.risk[input.riskLevel], value: input.riskLevel },
    // Each earlier case among the same parties or at the same place: 6 points, at most 18.
    {
      factor: 'repeat',
      points: Math.min(w.repeatCap, w.repeatEach * Math.max(0, input.repeatCount)),
      value: input.repeatCount,
    },
    { factor: 'threat', points: input.threat ? w.threat : 0, value: input.threat },
    { factor: 'injury', points: input.injury ? w.injury : 0, value: input.injury },
    // One point for every 3 days open, at most 12 (36 days and more).
    {
      factor: 'days_open',
      points:
        input.daysOpen === null ? 0 : Math.min(w.daysCap, Math.floor(Math.max(0, input.daysOpen) / w.daysPerPoint)),
      value: input.daysOpen ?? 0,
    },
  ];
  const score = Math.min(
    w.max,
    factors.reduce((s, f) => s + f.points, 0),
  );
  const band = score >= 50 ? 'high' : score >= 30 ? 'medium' : 'low';
  return { score, band, factors };
}
