import { addDays } from '../people/visits.js';

/**
 * Judicial confirmation (司法确认) of a people's mediation agreement: the parties apply to the court jointly within
 * 30 days of the agreement taking effect (Civil Procedure Law art. 205). Pure.
 */

import type { WindowState } from '../../contract/vocabulary.js';

// The vocabulary lives in the API contract, shared with the web app.
export {
  type ConfirmationResult,
  confirmationResults,
  type WindowState,
  windowStates,
} from '../../contract/vocabulary.js';
export const CONFIRMATION_WINDOW_DAYS = 30;

export interface ConfirmationWindow {
  state: WindowState;
  /** The agreement's effective date and the last day to apply. */
  effectiveOn: string | null;
  deadline: string | null;
  /** Days left to apply (today counts); null once applied or without an agreement. */
  daysLeft: number | null;
  /** Worth a flag: closing within 7 days, lapsed, or applied late. */
  flagged: boolean;
}

const DAY = 86_400_000;

export function confirmationWindow(
  today: string,
  effectiveOn: string | null,
  appliedOn: string | null,
): ConfirmationWindow {
  if (!effectiveOn) return { state: 'no_agreement', effectiveOn: null, deadline: null, daysLeft: null, flagged: false };
  const deadline = addDays(effectiveOn, CONFIRMATION_WINDOW_DAYS);
  if (appliedOn) {
    const late = appliedOn > deadline;
    return { state: late ? 'applied_late' : 'applied_in_time', effectiveOn, deadline, daysLeft: null, flagged: late };
  }
  const left = Math.round((Date.parse(deadline) - Date.parse(today)) / DAY);
  if (left < 0) return { state: 'lapsed', effectiveOn, deadline, daysLeft: left, flagged: true };
  const closing = left <= 7;
  return { state: closing ? 'closing' : 'open', effectiveOn, deadline, daysLeft: left, flagged: closing };
}
