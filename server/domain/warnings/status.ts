/**
 * What can be done with a warning: acknowledge it (seen, being handled), dismiss it with a reason, or turn it
 * into a task. A dismissed or tasked warning is settled; an acknowledged one can still be dismissed or tasked.
 */
import { type WarningStatus, warningStatuses } from '../../contract/vocabulary.js';

export { type WarningStatus, warningStatuses };

const moves: Record<WarningStatus, readonly WarningStatus[]> = {
  open: ['acknowledged', 'dismissed', 'tasked'],
  acknowledged: ['dismissed', 'tasked'],
  dismissed: [],
  tasked: [],
};

export const allowedWarningMoves = (from: WarningStatus): readonly WarningStatus[] => moves[from];
export const mayMoveWarning = (from: WarningStatus, to: WarningStatus) => moves[from].includes(to);
