/**
 * The task workflow (交办 → 督办 → 销号) as a pure state machine: which moves each state allows and which side
 * makes them. The assignee (the station's staff, or the screener) accepts and reports back; the assigner closes
 * the task (销号) or sends it back, after which the assignee accepts it again.
 *
 *   assigned ──accept──▶ accepted ──report──▶ reported ──close──▶ closed
 *                            ▲                    │
 *                            └──accept── sent_back ◀──send back──┘
 */
import {
  type TaskAction,
  type TaskStatus,
  type TaskSubject,
  taskActions,
  taskStatuses,
  taskSubjects,
} from '../../contract/vocabulary.js';

// The vocabulary lives in the API contract, shared with the web app.
export { type TaskAction, type TaskStatus, type TaskSubject, taskActions, taskStatuses, taskSubjects };

export type TaskSide = 'assignee' | 'assigner';

const moves: Record<TaskStatus, readonly { to: TaskStatus; by: TaskSide }[]> = {
  assigned: [{ to: 'accepted', by: 'assignee' }],
  accepted: [{ to: 'reported', by: 'assignee' }],
  reported: [
    { to: 'closed', by: 'assigner' },
    { to: 'sent_back', by: 'assigner' },
  ],
  sent_back: [{ to: 'accepted', by: 'assignee' }],
  closed: [],
};

export const isTaskStatus = (v: string): v is TaskStatus => (taskStatuses as readonly string[]).includes(v);

/** The states reachable from `from` in one move (by anyone). */
export function legalMoves(from: TaskStatus): TaskStatus[] {
  return moves[from].map((m) => m.to);
}

/** The moves the caller may make from `from`, given which sides of the task they are on. */
export function movesFor(from: TaskStatus, sides: ReadonlySet<TaskSide>): TaskStatus[] {
  return moves[from].filter((m) => sides.has(m.by)).map((m) => m.to);
}

export type MoveCheck =
  | { ok: true }
  | { ok: false; reason: 'illegal'; allowed: TaskStatus[] }
  | { ok: false; reason: 'wrong_side'; by: TaskSide };

export function checkMove(from: TaskStatus, to: TaskStatus, sides: ReadonlySet<TaskSide>): MoveCheck {
  const move = moves[from].find((m) => m.to === to);
  if (!move) return { ok: false, reason: 'illegal', allowed: legalMoves(from) };
  if (!sides.has(move.by)) return { ok: false, reason: 'wrong_side', by: move.by };
  return { ok: true };
}

/** What a move needs besides the state: a report and a sending back say why, in a note. */
export function missingForMove(to: TaskStatus, note: string | undefined): { field: string; message: string } | null {
  if ((to === 'reported' || to === 'sent_back') && !note?.trim()) {
    return { field: 'note', message: to === 'reported' ? 'a report back needs a note' : 'say why it goes back' };
  }
  return null;
}

/** Still waiting on the assignee (a reported task waits on the assigner and is not overdue). */
export const awaitsAssignee = (s: TaskStatus) => s === 'assigned' || s === 'accepted' || s === 'sent_back';

/** Whole days past the due date on `today` (both YYYY-MM-DD, China dates); 0 when not overdue. */
export function daysOverdue(dueOn: string, today: string): number {
  const d = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueOn}T00:00:00Z`)) / 86_400_000;
  return d > 0 ? Math.round(d) : 0;
}

/**
 * 督办: a task still waiting on its assignee after its due date is reminded once a day; `escalateAfterDays` days
 * past the due date it goes up to the assigner's superior, once.
 */
export function supervision(
  t: { status: TaskStatus; dueOn: string; escalated: boolean },
  today: string,
  escalateAfterDays: number,
): { remind: boolean; escalate: boolean; days: number } {
  const days = awaitsAssignee(t.status) ? daysOverdue(t.dueOn, today) : 0;
  return { remind: days > 0, escalate: days >= escalateAfterDays && !t.escalated, days };
}
