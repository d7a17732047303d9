import type { DisputeStatus, ReferralKind, ResolutionLevel } from '../vocabulary.js';

/**
 * The legal moves of a case: reported → accepted → mediating → resolved | failed; a failed case, or one found
 * unsuitable for mediation before mediation starts, is referred (litigation, arbitration, public-security or
 * criminal case). Resolved and referred are final: a resolved case that flares up again reopens as a new,
 * linked case (see reopen), never by moving back.
 */
export const transitions: Readonly<Record<DisputeStatus, readonly DisputeStatus[]>> = {
  reported: ['accepted', 'referred'],
  accepted: ['mediating', 'referred'],
  mediating: ['resolved', 'failed'],
  failed: ['referred'],
  resolved: [],
  referred: [],
};

export function allowedTransitions(from: DisputeStatus): readonly DisputeStatus[] {
  return transitions[from];
}

export function isAllowed(from: DisputeStatus, to: DisputeStatus): boolean {
  return transitions[from].includes(to);
}

export interface TransitionInput {
  to: DisputeStatus;
  resolutionLevel?: ResolutionLevel | undefined;
  referralKind?: ReferralKind | undefined;
}

/** What a transition needs besides being legal: the level where a case was settled, the kind of referral. */
export function missingForTransition(input: TransitionInput): { field: string; message: string } | null {
  if (input.to === 'resolved' && !input.resolutionLevel) {
    return { field: 'level', message: 'a resolved case needs the level where it was settled (village, town, county)' };
  }
  if (input.to === 'referred' && !input.referralKind) {
    return { field: 'referralKind', message: 'a referral needs its kind' };
  }
  if (input.to !== 'referred' && input.referralKind) {
    return { field: 'referralKind', message: 'only a referral has a referral kind' };
  }
  return null;
}

/** A resolved case can flare up again: it is reopened as a new case linked to it. */
export function canReopen(status: DisputeStatus): boolean {
  return status === 'resolved';
}
