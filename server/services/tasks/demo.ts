import {
  demoAccount,
  firstVillagesOfTown,
  latestHighRiskOpenCases,
  stationsOfTown,
} from '../../db/queries/demo-tasks.js';
import { insertTask, insertTaskEvent, moveTask, today } from '../../db/queries/tasks.js';
import type { Db, Queryable, Sql, Transaction } from '../../db/types.js';
import { type DemoTaskPlan, demoTaskPlans } from '../../domain/demo/tasks.js';
import type { TaskStatus } from '../../domain/tasks/state-machine.js';
import { publish } from '../notifications/publish.js';
import { superviseTasks } from './supervise.js';

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const rows = async <T>(db: Queryable, q: Sql) => (await db.query<T>(q.text, q.values)).rows;

/** The demo town officer's town: its officer and screener, first villages, stations, and today. */
interface DemoTown {
  officer: { id: number; display_name: string; town_code: string };
  screener: { id: number } | undefined;
  villages: { code: string; lon: number; lat: number }[];
  stations: { id: number; kind: string }[];
  day: string;
}

async function demoTown(db: Queryable): Promise<DemoTown | null> {
  const officer = (await rows<DemoTown['officer']>(db, demoAccount('town.wjc')))[0];
  if (!officer) return null;
  const town = officer.town_code;
  const villages = await rows<DemoTown['villages'][number]>(db, firstVillagesOfTown(town, 3));
  const stations = await rows<DemoTown['stations'][number]>(db, stationsOfTown(town));
  const screener = (await rows<{ id: number }>(db, demoAccount('screener.wjc')))[0];
  const day = (await rows<{ today: string }>(db, today()))[0]?.today as string;
  return { officer, screener, villages, stations, day };
}

/** One planned task: where it is, who it went to, and its id once stored. */
interface DemoTask {
  id: number;
  plan: DemoTaskPlan;
  village: DemoTown['villages'][number];
  station: DemoTown['stations'][number] | undefined;
}

type StepKind = 'created' | 'accepted' | 'reported' | 'closed';

/** One step of a demo task: the move (after 'created'), its event and its notification. */
async function step(tx: Transaction, t: DemoTown, task: DemoTask, kind: StepKind, from: TaskStatus | null) {
  const { id, plan, village: v, station } = task;
  const { officer, screener } = t;
  const to: TaskStatus = kind === 'created' ? 'assigned' : kind;
  if (kind !== 'created') {
    const m = moveTask(id, to, to === 'reported' ? { note: plan.report, lon: null, lat: null } : null);
    await tx.query(m.text, m.values);
  }
  const byOfficer = kind === 'created' || kind === 'closed';
  const e = insertTaskEvent({
    taskId: id,
    kind,
    fromStatus: from,
    toStatus: to,
    actorId: byOfficer ? Number(officer.id) : null,
    actorName: byOfficer ? officer.display_name : '承办人（演示）',
    note: kind === 'created' ? plan.instructions : kind === 'reported' ? plan.report : '',
    details: { demo: true },
  });
  await tx.query(e.text, e.values);
  const toAssigner = kind === 'accepted' || kind === 'reported';
  await publish(tx, {
    kind: kind === 'created' ? 'task.assigned' : `task.${kind}`,
    level: 'town',
    townCode: officer.town_code,
    villageCode: v.code,
    stationId: toAssigner || plan.assignee === 'screener' ? null : Number(station?.id),
    taskId: id,
    title: kind === 'created' ? 'task.assigned' : `task.${kind}`,
    params: { action: plan.action, dueOn: addDays(t.day, plan.dueInDays), by: officer.display_name },
    addressed: toAssigner ? [Number(officer.id)] : plan.assignee === 'screener' ? [Number(screener?.id)] : [],
    actorId: byOfficer ? Number(officer.id) : null,
    dedupeKey: `demo.task:${id}:${kind}`,
  });
}

/** Stores one planned task and walks it to the stage it reached; false when its village or assignee is missing. */
async function seedTask(tx: Transaction, t: DemoTown, plan: DemoTaskPlan): Promise<boolean> {
  const village = t.villages[plan.village];
  const station = t.stations.find((s) => s.kind === plan.assignee);
  if (!village || (plan.assignee === 'screener' ? !t.screener : !station)) return false;
  const ins = insertTask({
    action: plan.action,
    subjectKind: 'village',
    townCode: t.officer.town_code,
    villageCode: village.code,
    disputeId: null,
    warningId: null,
    cellId: null,
    cellSize: null,
    lon: Number(village.lon),
    lat: Number(village.lat),
    assigneeStationId: plan.assignee === 'screener' ? null : Number(station?.id),
    assigneeAccountId: plan.assignee === 'screener' ? Number(t.screener?.id) : null,
    instructions: plan.instructions,
    dueOn: addDays(t.day, plan.dueInDays),
    assignedById: Number(t.officer.id),
    assignedByName: t.officer.display_name,
    assignedByRole: 'town_officer',
    clientKey: null,
    demo: true,
  });
  const id = Number((await tx.query<{ id: number }>(ins.text, ins.values)).rows[0]?.id);
  const task = { id, plan, village, station };
  await step(tx, t, task, 'created', null);
  const order = ['accepted', 'reported', 'closed'] as const;
  let from: TaskStatus = 'assigned';
  for (const k of order.slice(0, order.indexOf(plan.reached as (typeof order)[number]) + 1)) {
    await step(tx, t, task, k, from);
    from = k;
  }
  return true;
}

/**
 * The town's latest red and orange open cases, announced as when they were registered (the demo's cases carry no
 * workflow events of their own).
 */
async function announceLatestCases(tx: Transaction, town: string) {
  const cases = await rows<{
    id: number;
    case_no: string;
    category: string;
    risk_level: string;
    status: string;
    village_code: string;
    station_id: number | null;
  }>(tx, latestHighRiskOpenCases(town, 4));
  for (const c of cases.reverse()) {
    await publish(tx, {
      kind: 'case.created',
      level: c.risk_level === 'red' ? 'county' : 'town',
      townCode: town,
      villageCode: c.village_code,
      stationId: c.station_id,
      disputeId: Number(c.id),
      title: 'case.created',
      params: { caseNo: c.case_no, category: c.category, riskLevel: c.risk_level, status: c.status },
      dedupeKey: `demo.case:${c.id}`,
    });
  }
}

/**
 * The demo's tasks and notifications (synthetic, made once with the demo accounts): tasks the demo town officer
 * handed to their town's stations and screener at various stages, the steps' notifications, the town's latest
 * high-risk open cases announced, and one supervision pass (reminders, escalations). Nothing on the cases changes.
 */
export async function seedDemoTasks(db: Db): Promise<number> {
  const t = await demoTown(db);
  if (!t) return 0;
  let made = 0;
  await db.transaction(async (tx) => {
    for (const plan of demoTaskPlans()) if (await seedTask(tx, t, plan)) made++;
    await announceLatestCases(tx, t.officer.town_code);
  });
  await superviseTasks(db);
  return made;
}
