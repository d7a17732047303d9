import {
  escalationSetting,
  insertTaskEvent,
  type LockedTask,
  markEscalated,
  markReminded,
  overdueTasks,
  today,
} from '../../db/queries/tasks.js';
import type { Db, Queryable } from '../../db/types.js';
import { supervision } from '../../domain/tasks/state-machine.js';
import { publish } from '../notifications/publish.js';

/** The scheduler's name in the task history and the audit trail. */
export const SUPERVISOR = '督办（系统）';
const DEFAULT_ESCALATE_AFTER_DAYS = 3;

export interface SupervisionResult {
  day: string;
  reminded: number;
  escalated: number;
}

/** `task_escalate_after_days` when it is a whole number of days (1 or more), else the default. */
async function escalateAfterDays(db: Db): Promise<number> {
  const setting = (await db.query<{ value: string }>(escalationSetting().text)).rows[0]?.value;
  return Number.isInteger(Number(setting)) && Number(setting) >= 1 ? Number(setting) : DEFAULT_ESCALATE_AFTER_DAYS;
}

type OverdueTask = LockedTask & { escalated: boolean };

/** What both notices say of the task: where it is and what it is about, and how long it is overdue. */
function aboutTask(t: OverdueTask, days: number) {
  const id = Number(t.id);
  return {
    id,
    common: {
      level: 'town' as const,
      townCode: t.town_code,
      villageCode: t.village_code,
      disputeId: t.dispute_id,
      taskId: id,
      warningId: t.warning_id,
    },
    params: { action: t.action, dueOn: t.due_on, days },
  };
}

/** The day's reminder to the assignee, unless the task was reminded that day already. Whether it was sent. */
async function remindAssignee(tx: Queryable, t: OverdueTask, day: string, days: number): Promise<boolean> {
  const { id, common, params } = aboutTask(t, days);
  const m = markReminded(id, day);
  const marked = (await tx.query(m.text, m.values)).rowCount > 0;
  if (!marked) return false;
  const e = insertTaskEvent({
    taskId: id,
    kind: 'reminded',
    fromStatus: t.status,
    toStatus: t.status,
    actorId: null,
    actorName: SUPERVISOR,
    note: '',
    details: { day, daysOverdue: days },
  });
  await tx.query(e.text, e.values);
  await publish(tx, {
    ...common,
    kind: 'task.overdue',
    stationId: t.assignee_station_id,
    title: 'task.overdue',
    params,
    addressed: t.assignee_account_id !== null ? [Number(t.assignee_account_id)] : [],
    dedupeKey: `task.overdue:${id}:${day}`,
  });
  return true;
}

/** The task goes up to the county, once: the assigner's superior. Whether it went up now. */
async function escalateToCounty(tx: Queryable, t: OverdueTask, day: string, days: number, after: number) {
  const { id, common, params } = aboutTask(t, days);
  const m = markEscalated(id);
  const marked = (await tx.query(m.text, m.values)).rowCount > 0;
  if (!marked) return false;
  const e = insertTaskEvent({
    taskId: id,
    kind: 'escalated',
    fromStatus: t.status,
    toStatus: t.status,
    actorId: null,
    actorName: SUPERVISOR,
    note: '',
    details: { day, daysOverdue: days, afterDays: after },
  });
  await tx.query(e.text, e.values);
  // The assigner's superior: the county roles (a county-level event); the assigner hears of it too.
  await publish(tx, {
    ...common,
    kind: 'task.escalated',
    level: 'county',
    stationId: t.assignee_station_id,
    title: 'task.escalated',
    params,
    addressed: t.assigned_by_id !== null ? [Number(t.assigned_by_id)] : [],
    dedupeKey: `task.escalated:${id}`,
  });
  return true;
}

/**
 * 督办, once a day (scheduler job 'tasks.supervise'): every task still waiting on its assignee after its due date
 * reminds the assignee (once that day), and `task_escalate_after_days` days past the due date goes up to the
 * assigner's superior (the county roles; once). Each task in its own transaction: one bad row does not hold back
 * the others; the dedupe keys and the once-per-day index make a re-run (or a second instance) a no-op.
 */
export async function superviseTasks(db: Db): Promise<SupervisionResult> {
  const day = (await db.query<{ today: string }>(today().text)).rows[0]?.today as string;
  const after = await escalateAfterDays(db);
  const q = overdueTasks(day);
  const rows = (await db.query<OverdueTask>(q.text, q.values)).rows;
  let reminded = 0;
  let escalated = 0;
  for (const t of rows) {
    const s = supervision({ status: t.status, dueOn: t.due_on, escalated: t.escalated }, day, after);
    if (!s.remind && !s.escalate) continue;
    await db.transaction(async (tx) => {
      if (s.remind && (await remindAssignee(tx, t, day, s.days))) reminded++;
      if (s.escalate && (await escalateToCounty(tx, t, day, s.days, after))) escalated++;
    });
  }
  return { day, reminded, escalated };
}
