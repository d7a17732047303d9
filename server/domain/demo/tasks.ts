import type { TaskAction, TaskStatus } from '../tasks/state-machine.js';
import { createRng } from './rng.js';

/**
 * Synthetic demo tasks (labelled demo in the database and the UI), so that the tasks view, the figures and the
 * bells are populated on the demo. Deterministic (seeded); they touch no case, so the article's figures stay.
 */
export interface DemoTaskPlan {
  /** Index into the town's villages, in code order. */
  village: number;
  action: TaskAction;
  /** Which of the town's stations takes it, or the demo screener. */
  assignee: 'joint_mediation_room' | 'judicial_office' | 'police_station' | 'screener';
  /** Due date relative to the demo's "today" (negative: already past, so overdue unless done). */
  dueInDays: number;
  /** How far it has got. */
  reached: Extract<TaskStatus, 'assigned' | 'accepted' | 'reported' | 'closed'>;
  instructions: string;
  report: string;
}

const notes: Record<TaskAction, [string, string]> = {
  verify: ['核实村民反映的界址纠纷情况', '已现场核实，双方对界桩位置存在分歧'],
  visit: ['走访当事双方，了解矛盾起因', '已走访双方，情绪基本稳定'],
  mediate: ['组织双方调解，力争就地化解', '经联合调解，双方达成口头协议'],
  rescreen: ['对该村重新开展矛盾纠纷排查', '已完成重新排查，未发现新的重大隐患'],
  report_back: ['上报近期该村矛盾纠纷处置情况', '已书面报告处置情况'],
};

export function demoTaskPlans(seed = 20230517): DemoTaskPlan[] {
  const rng = createRng(seed);
  const shape: [DemoTaskPlan['assignee'], TaskAction, number, DemoTaskPlan['reached']][] = [
    ['joint_mediation_room', 'mediate', 5, 'assigned'],
    ['joint_mediation_room', 'visit', 2, 'accepted'],
    ['judicial_office', 'verify', -4, 'accepted'],
    ['police_station', 'verify', -1, 'assigned'],
    ['joint_mediation_room', 'mediate', -2, 'reported'],
    ['judicial_office', 'report_back', -6, 'closed'],
    ['screener', 'rescreen', 3, 'assigned'],
  ];
  return shape.map(([assignee, action, dueInDays, reached]) => ({
    village: rng.int(0, 2),
    action,
    assignee,
    dueInDays,
    reached,
    instructions: notes[action][0],
    report: notes[action][1],
  }));
}
