import type { CaseVisits, Visit } from '../../contract/people.js';
import { setting } from '../../db/queries/mediators.js';
import {
  insertVisit,
  linkReopened,
  mediatorServes,
  overdueCounts,
  overdueVisits,
  satisfactionBy,
  visitByKey,
  visitCase,
  visitOfCase,
  visitsOfCase,
} from '../../db/queries/visits.js';
import type { Db, Queryable } from '../../db/types.js';
import {
  firstVisitDue,
  offersReopen,
  type Performance,
  type Satisfaction,
  satisfactionRates,
} from '../../domain/people/visits.js';
import { type PartyKeys, type ReopenInput, reopenIn } from '../cases/index.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';

/**
 * Follow-up visits (回访) of resolved cases: record one, list them with the first visit's due date, the overdue
 * list and counts, satisfaction per town and room. The database refuses a visit on a case that is not resolved
 * (migration 261); the service says so first, as a 409.
 */

interface CaseForVisit {
  id: number;
  status: string;
  town_code: string;
  station_id: number | null;
  version: number;
  resolved_on: string | null;
  follow_up_on: string | null;
  today: string;
}

async function defaultDays(db: Queryable) {
  const q = setting('follow_up_default_days');
  const v = Number((await db.query<{ value: string }>(q.text, q.values)).rows[0]?.value);
  return Number.isFinite(v) ? v : 30;
}

export async function caseVisits(db: Queryable, disputeId: number): Promise<CaseVisits> {
  const c = visitCase(disputeId, false);
  const row = (await db.query<CaseForVisit>(c.text, c.values)).rows[0];
  if (!row) throw new NotFound(`dispute ${disputeId}`);
  const v = visitsOfCase(disputeId);
  const visits = (
    await db.query<
      Omit<Visit, 'id' | 'mediatorId' | 'reopenedAsId' | 'offersReopen'> & {
        id: string;
        mediatorId: string | null;
        reopenedAsId: string | null;
      }
    >(v.text, v.values)
  ).rows.map((x) => ({
    ...x,
    id: Number(x.id),
    mediatorId: x.mediatorId === null ? null : Number(x.mediatorId),
    reopenedAsId: x.reopenedAsId === null ? null : Number(x.reopenedAsId),
    offersReopen: x.reopenedAsId === null && offersReopen(x.performance, x.satisfaction),
  }));
  const resolved = row.status === 'resolved';
  const due = resolved
    ? firstVisitDue({ followUpOn: row.follow_up_on, resolvedOn: row.resolved_on }, await defaultDays(db))
    : null;
  return {
    canVisit: resolved,
    firstVisitDue: due,
    firstVisitOverdue: resolved && visits.length === 0 && due !== null && due < row.today,
    caseVersion: row.version,
    visits,
  };
}

export interface VisitInput {
  visitedOn: string;
  mediatorId?: number | undefined;
  performance: Performance;
  satisfaction: Satisfaction;
  note?: string | undefined;
  clientKey?: string | undefined;
}

/** Records a visit; a retry with the same client key returns the stored one (`replayed`). */
export async function recordVisit(db: Db, actor: string, disputeId: number, input: VisitInput) {
  return db.transaction(async (tx) => {
    if (input.clientKey) {
      const k = visitByKey(input.clientKey);
      const hit = (await tx.query<{ id: string; dispute_id: string }>(k.text, k.values)).rows[0];
      if (hit) {
        if (Number(hit.dispute_id) !== disputeId)
          throw new Conflict('this client key was used for another case', 'clientKey');
        return { id: Number(hit.id), replayed: true };
      }
    }
    const c = visitCase(disputeId, true);
    const row = (await tx.query<CaseForVisit>(c.text, c.values)).rows[0];
    if (!row) throw new NotFound(`dispute ${disputeId}`);
    if (row.status !== 'resolved') {
      throw new Conflict(`a follow-up visit is for a resolved case; this one is ${row.status}`, 'status');
    }
    if (input.visitedOn > row.today) throw new InvalidInput('visitedOn', 'a visit is recorded once it has taken place');
    if (row.resolved_on && input.visitedOn < row.resolved_on) {
      throw new InvalidInput('visitedOn', `the case was resolved on ${row.resolved_on}; a follow-up visit comes after`);
    }
    if (input.mediatorId !== undefined) {
      const m = mediatorServes(input.mediatorId, disputeId);
      if (!(await tx.query(m.text, m.values)).rows[0]) {
        throw new InvalidInput('mediatorId', `no mediator ${input.mediatorId} serving the case's town or station`);
      }
    }
    const q = insertVisit({
      disputeId,
      visitedOn: input.visitedOn,
      mediatorId: input.mediatorId ?? null,
      performance: input.performance,
      satisfaction: input.satisfaction,
      note: input.note ?? '',
      clientKey: input.clientKey ?? null,
      actor,
    });
    return { id: Number((await tx.query<{ id: string }>(q.text, q.values)).rows[0]?.id), replayed: false };
  });
}

/**
 * The existing reopen, run from a visit in one transaction: the visit must be this case's, must have found the
 * agreement broken (or the parties not satisfied), and must not have reopened the case already; the new case is
 * linked to the visit.
 */
export async function reopenFromVisit(db: Db, key: PartyKeys, disputeId: number, visitId: number, input: ReopenInput) {
  return db.transaction(async (tx) => {
    const q = visitOfCase(disputeId, visitId, true);
    const v = (
      await tx.query<{ performance: Performance; satisfaction: Satisfaction; reopened_as_id: string | null }>(
        q.text,
        q.values,
      )
    ).rows[0];
    if (!v) throw new InvalidInput('visitId', `no visit ${visitId} of case ${disputeId}`);
    if (v.reopened_as_id !== null) throw new Conflict(`visit ${visitId} has already reopened the case`, 'visitId');
    if (!offersReopen(v.performance, v.satisfaction)) {
      throw new Conflict(`visit ${visitId} found the agreement honoured and the parties satisfied`, 'visitId');
    }
    const newId = await reopenIn(tx, key, disputeId, input);
    const l = linkReopened(visitId, newId);
    await tx.query(l.text, l.values);
    return newId;
  });
}

export async function overdue(db: Queryable, town: string | undefined, limit: number, offset: number) {
  const q = overdueVisits(town, limit, offset);
  const c = overdueCounts(town);
  const rows = (await db.query<{ id: string; stationId: string | null; total: number }>(q.text, q.values)).rows;
  const counts = (
    await db.query<{ townCode: string; townName: string; overdue: number; upcoming: number }>(c.text, c.values)
  ).rows;
  return {
    total: counts.reduce((s, r) => s + r.overdue, 0),
    upcoming: counts.reduce((s, r) => s + r.upcoming, 0),
    byTown: counts,
    limit,
    offset,
    items: rows.map(({ total: _t, ...r }) => ({
      ...r,
      id: Number(r.id),
      stationId: r.stationId === null ? null : Number(r.stationId),
    })),
  };
}

export async function satisfaction(
  db: Queryable,
  by: 'town' | 'station',
  town: string | undefined,
  from?: string,
  to?: string,
) {
  const q = satisfactionBy(by, town, from, to);
  const rows = (
    await db.query<{
      key: string | null;
      name: string | null;
      townCode: string;
      visits: number;
      satisfied: number;
      basically: number;
      not: number;
      broken: number;
    }>(q.text, q.values)
  ).rows;
  const total = rows.reduce(
    (s, r) => ({
      visits: s.visits + r.visits,
      satisfied: s.satisfied + r.satisfied,
      basically: s.basically + r.basically,
      not: s.not + r.not,
    }),
    { visits: 0, satisfied: 0, basically: 0, not: 0 },
  );
  return {
    by,
    definitions: {
      rate: '(satisfied + basically satisfied) ÷ visits',
      strictRate: 'satisfied ÷ visits',
    },
    total: { ...total, ...satisfactionRates(total) },
    units: rows.map((r) => ({ ...r, ...satisfactionRates(r) })),
  };
}
