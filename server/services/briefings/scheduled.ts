import {
  insertBriefing,
  listBriefings,
  listSchedules,
  schedulesOf,
  storedBriefingExists,
  storedBriefingFile,
  upsertSchedule,
} from '../../db/queries/briefings.js';
import type { Db, Queryable } from '../../db/types.js';
import { type Period, parsePeriod, previousPeriod } from '../../domain/assessment/period.js';
import type { BriefingLang } from '../../domain/briefings/labels.js';
import { InvalidInput, NotFound } from '../errors.js';
import { makeBriefing } from './index.js';

/**
 * Scheduled briefings: the scheduler runs the weekly job once per ISO week (from Monday 08:00 China time) and the
 * monthly one once per month (from the 1st, 08:00); each makes, for every enabled schedule, the briefing of the
 * period just ended — PDF and XLSX — and stores it. The documents are made outside any transaction (they read a
 * lot); the one INSERT … ON CONFLICT DO NOTHING keeps a second run from storing a second copy.
 */
export type Frequency = 'weekly' | 'monthly';

export async function makeScheduledBriefings(
  db: Db,
  frequency: Frequency,
  schedulerPeriod: string,
  now: Date,
): Promise<number> {
  const current = parsePeriod(schedulerPeriod);
  if (typeof current === 'string') throw new InvalidInput('period', `not a scheduler period: ${schedulerPeriod}`);
  const period: Period = previousPeriod(current);
  const q = schedulesOf(frequency);
  const schedules = (await db.query<{ scopeCode: string; lang: BriefingLang }>(q.text, q.values)).rows;
  let stored = 0;
  for (const s of schedules) {
    const exists = storedBriefingExists(s.scopeCode, period.key, s.lang);
    if ((await db.query(exists.text, exists.values)).rows.length > 0) continue;
    const opts = { period, scope: s.scopeCode, lang: s.lang, now };
    const pdf = await makeBriefing(db, { ...opts, format: 'pdf' });
    const xlsx = await makeBriefing(db, { ...opts, format: 'xlsx' });
    const ins = insertBriefing({
      scope: s.scopeCode,
      period: period.key,
      from: period.from,
      to: period.to,
      lang: s.lang,
      pdf: pdf.body,
      xlsx: xlsx.body,
      found: pdf.found,
      resolved: pdf.resolved,
      madeBy: 'schedule',
    });
    stored += (await db.query(ins.text, ins.values)).rows.length;
  }
  return stored;
}

export async function briefingList(db: Queryable) {
  const q = listBriefings(200);
  return (await db.query(q.text, q.values)).rows;
}

export async function scheduleList(db: Queryable) {
  const q = listSchedules();
  return (await db.query(q.text, q.values)).rows;
}

export async function setSchedule(
  db: Queryable,
  s: { scope: string; frequency: Frequency; lang: BriefingLang; enabled: boolean },
  by: string,
) {
  const q = upsertSchedule(s.scope, s.frequency, s.lang, s.enabled, by);
  const row = (await db.query(q.text, q.values)).rows[0];
  if (!row) throw new InvalidInput('scope', `${s.scope} is not a county or town`);
  return row;
}

export async function storedBriefing(db: Queryable, id: number, format: 'pdf' | 'xlsx') {
  const q = storedBriefingFile(id, format);
  const row = (await db.query<{ body: Buffer; scope: string; period: string }>(q.text, q.values)).rows[0];
  if (!row) throw new NotFound(`briefing ${id}`);
  return row;
}
