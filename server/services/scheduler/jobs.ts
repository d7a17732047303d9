import { purgeExpiredSessions } from '../../db/queries/scheduler.js';
import { makeScheduledBriefings } from '../briefings/scheduled.js';
import { superviseTasks } from '../tasks/supervise.js';
import { evaluateAll } from '../warnings/index.js';
import type { Job } from './index.js';

/** Every scheduled job of the app. Add a job here; it runs once per period across all app instances. */
export const jobs: Job[] = [
  {
    name: 'sessions.purge',
    period: 'day',
    async run({ db }) {
      const q = purgeExpiredSessions();
      await db.query(q.text, q.values);
    },
  },
  {
    // The time-based warnings (deadlines, scores, hot spots, rounds, room loads) over the whole county, hourly;
    // each warning is raised once per subject and period, so a re-run or a second instance adds nothing.
    name: 'warnings.evaluate',
    period: 'hour',
    async run({ db }) {
      await evaluateAll(db);
    },
  },
  {
    // 督办: overdue tasks remind their assignee daily and escalate to the assigner's superior (issue 16).
    name: 'tasks.supervise',
    period: 'day',
    async run({ db }) {
      await superviseTasks(db);
    },
  },
  {
    // Briefings of the week just ended, for every weekly schedule: Monday from 08:00 China time.
    name: 'briefings.weekly',
    period: 'week',
    afterHour: 8,
    async run({ db, period, now }) {
      await makeScheduledBriefings(db, 'weekly', period, now);
    },
  },
  {
    // Briefings of the month just ended, for every monthly schedule: the 1st from 08:00 China time.
    name: 'briefings.monthly',
    period: 'month',
    afterHour: 8,
    async run({ db, period, now }) {
      await makeScheduledBriefings(db, 'monthly', period, now);
    },
  },
];
