/**
 * The controlled vocabularies the web app labels (one i18n key per value). The domain's own lists come from the
 * API contract (server/contract/vocabulary.ts); the rest are values the API answers with. Each i18n section that labels
 * one of them is declared `satisfies Record<…, string>`, so a value without a label fails the typecheck, and a
 * template key such as `category.${c}` is checked because `c` has one of these types.
 */
export {
  type AdminLevel,
  adminLevels,
  type DisputeCategory,
  type DisputeStatus,
  disputeCategories,
  disputeStatuses,
  type MediationChannel,
  mediationChannels,
  type ReferralKind,
  type ResolutionLevel,
  type RiskLevel,
  referralKinds,
  resolutionLevels,
  riskLevels,
  type StationKind,
  stationKinds,
} from '../../../server/contract/vocabulary';

export const caseEventKinds = ['created', 'transition', 'handoff', 'note', 'edit', 'agreement', 'reopened'] as const;
export type CaseEventKind = (typeof caseEventKinds)[number];

export const agreementKinds = ['oral', 'written', 'judicially_confirmed'] as const;
export type AgreementKind = (typeof agreementKinds)[number];

export const partyRoles = ['applicant', 'respondent', 'other'] as const;
export type PartyRole = (typeof partyRoles)[number];

/** Named factors of the escalation (民转刑) score, server/domain/cases/escalation.ts. */
export const escalationFactors = ['category', 'risk_level', 'repeat', 'threat', 'injury', 'days_open'] as const;
export type EscalationFactorName = (typeof escalationFactors)[number];

/** A village's reporting state in a screening round. */
export const villageStates = ['risks', 'zero', 'overdue', 'pending'] as const;
export type VillageState = (typeof villageStates)[number];

/** Gi* confidence bins: ±3 = 99 %, ±2 = 95 %, ±1 = 90 %, 0 = not significant. */
export const hotspotBins = ['3', '2', '1', '0', '-1', '-2', '-3'] as const;
export type HotspotBin = (typeof hotspotBins)[number];

export { emergingPatterns } from '../../../server/contract/analytics';
export type EmergingPattern = typeof import('../../../server/contract/analytics')['emergingPatterns'][number];

/** Candidate kinds of a suggested new joint mediation room. */
export const siteKinds = ['village', 'police_station'] as const;
export type SiteKind = (typeof siteKinds)[number];

/** ISO weekdays, Monday = 1. */
export const weekdays = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type Weekday = (typeof weekdays)[number];

/**
 * Narrows a value of unknown origin (a map feature's property, an old stored row) to a vocabulary, so that its
 * label key is checked; anything else is shown as it is.
 */
export function isOneOf<const T extends readonly string[]>(values: T, value: unknown): value is T[number] {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** `isOneOf` for numbers sent as numbers (hot-spot bins, weekdays). */
export function oneOf<const T extends readonly string[]>(values: T, value: unknown): T[number] | null {
  const s = typeof value === 'number' ? String(value) : value;
  return isOneOf(values, s) ? s : null;
}
