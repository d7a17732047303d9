import { purgeExpiredSessions } from '../../db/queries/scheduler.js';
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
];
