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

export function escalationScore(input: EscalationInput): EscalationScore {
  const factors: EscalationFactor[] = [
    { factor: 'category', points: categoryPoints[input.category], value: input.category },
    { factor: 'risk_level', points: riskPoints[input.riskLevel], value: input.riskLevel },
    // Each earlier case among the same parties or at the same place: 6 points, at most 18.
    { factor: 'repeat', points: Math.min(18, 6 * Math.max(0, input.repeatCount)), value: input.repeatCount },
    { factor: 'threat', points: input.threat ? 20 : 0, value: input.threat },
    { factor: 'injury', points: input.injury ? 15 : 0, value: input.injury },
    // One point for every 3 days open, at most 12 (36 days and more).
    {
      factor: 'days_open',
      points: input.daysOpen === null ? 0 : Math.min(12, Math.floor(Math.max(0, input.daysOpen) / 3)),
      value: input.daysOpen ?? 0,
    },
  ];
  const score = Math.min(
    100,
    factors.reduce((s, f) => s + f.points, 0),
  );
  const band = score >= 50 ? 'high' : score >= 30 ? 'medium' : 'low';
  return { score, band, factors };
}
