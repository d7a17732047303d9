import { insertTask, insertTaskEvent, moveTask, today } from '../../db/queries/tasks.js';
import type { Db, Queryable } from '../../db/types.js';
import { demoTaskPlans } from '../../domain/demo/tasks.js';
import type { TaskStatus } from '../../domain/tasks/state-machine.js';
import { publish } from '../notifications/publish.js';
import { superviseTasks } from './supervise.js';

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const rows = async <T>(db: Queryable, text: string, values: unknown[] = []) => (await db.query<T>(text, values)).rows;

/**
 * The demo's tasks and notifications (synthetic, made once with the demo accounts): tasks the demo town officer
 * handed to their town's stations and screener at various stages, the steps' notifications, the town's latest
 * high-risk open cases announced, and one supervision pass (reminders, escalations). Nothing on the cases changes.
 */
export async function seedDemoTasks(db: Db): Promise<number> {
  const officer = (
    await rows<{ id: number; display_name: string; town_code: string }>(
      db,
      `SELECT id, display_name, town_code FROM accounts WHERE username = 'town.wjc' AND demo`,
    )
  )[0];
  if (!officer) return 0;
  const town = officer.town_code;
  const villages = await rows<{ code: string; lon: number; lat: number }>(
    db,
    `SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units
     WHERE level = 'village' AND parent_code = $1 ORDER BY code LIMIT 3`,
    [town],
  );
  const stations = await rows<{ id: number; kind: string }>(
    db,
    'SELECT id, kind FROM stations WHERE town_code = $1 ORDER BY id',
    [town],
  );
  const screener = (
    await rows<{ id: number }>(db, `SELECT id FROM accounts WHERE username = 'screener.wjc' AND demo`)
  )[0];
  const day = (await rows<{ today: string }>(db, today().text))[0]?.today as string;
  let made = 0;
  await db.transaction(async (tx) => {
    for (const plan of demoTaskPlans()) {
      const v = villages[plan.village];
      const station = stations.find((s) => s.kind === plan.assignee);
      if (!v || (plan.assignee === 'screener' ? !screener : !station)) continue;
      const ins = insertTask({
        action: plan.action,
        subjectKind: 'village',
        townCode: town,
        villageCode: v.code,
        disputeId: null,
        warningId: null,
        cellId: null,
        cellSize: null,
        lon: Number(v.lon),
        lat: Number(v.lat),
        assigneeStationId: plan.assignee === 'screener' ? null : Number(station?.id),
        assigneeAccountId: plan.assignee === 'screener' ? Number(screener?.id) : null,
        instructions: plan.instructions,
        dueOn: addDays(day, plan.dueInDays),
        assignedById: Number(officer.id),
        assignedByName: officer.display_name,
        assignedByRole: 'town_officer',
        clientKey: null,
        demo: true,
      });
      const id = Number((await tx.query<{ id: number }>(ins.text, ins.values)).rows[0]?.id);
      made++;
      const step = async (
        kind: 'created' | 'accepted' | 'reported' | 'closed',
        from: TaskStatus | null,
        to: TaskStatus,
      ) => {
        if (kind !== 'created') {
          const m = moveTask(id, to, to === 'reported' ? { note: plan.report, lon: null, lat: null } : null);
          await tx.query(m.text, m.values);
        }
        const e = insertTaskEvent({
          taskId: id,
          kind,
          fromStatus: from,
          toStatus: to,
          actorId: kind === 'created' || kind === 'closed' ? Number(officer.id) : null,
          actorName: kind === 'created' || kind === 'closed' ? officer.display_name : '承办人（演示）',
          note: kind === 'created' ? plan.instructions : kind === 'reported' ? plan.report : '',
          details: { demo: true },
        });
        await tx.query(e.text, e.values);
        const toAssigner = kind === 'accepted' || kind === 'reported';
        await publish(tx, {
          kind: kind === 'created' ? 'task.assigned' : `task.${kind}`,
          level: 'town',
          townCode: town,
          villageCode: v.code,
          stationId: toAssigner || plan.assignee === 'screener' ? null : Number(station?.id),
          taskId: id,
          title: kind === 'created' ? 'task.assigned' : `task.${kind}`,
          params: { action: plan.action, dueOn: addDays(day, plan.dueInDays), by: officer.display_name },
          addressed: toAssigner ? [Number(officer.id)] : plan.assignee === 'screener' ? [Number(screener?.id)] : [],
          actorId: kind === 'created' || kind === 'closed' ? Number(officer.id) : null,
          dedupeKey: `demo.task:${id}:${kind}`,
        });
      };
      await step('created', null, 'assigned');
      const order = ['accepted', 'reported', 'closed'] as const;
      let from: TaskStatus = 'assigned';
      for (const k of order.slice(0, order.indexOf(plan.reached as (typeof order)[number]) + 1)) {
        await step(k, from, k);
        from = k;
      }
    }
    // The town's latest red and orange open cases, announced as when they were registered (the demo's cases
    // carry no workflow events of their own).
    const cases = await rows<{
      id: number;
      case_no: string;
      category: string;
      risk_level: string;
      status: string;
      village_code: string;
      station_id: number | null;
    }>(
      tx,
      `SELECT id, case_no, category, risk_level, status, village_code, station_id FROM disputes
       WHERE town_code = $1 AND risk_level IN ('red', 'orange') AND status IN ('reported', 'accepted', 'mediating')
       ORDER BY reported_at DESC, id DESC LIMIT 4`,
      [town],
    );
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
  });
  await superviseTasks(db);
  return made;
}
