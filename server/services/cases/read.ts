import { type CaseFiguresResponse, type FigureUnit, figureDefinitions } from '../../contract/cases.js';
import {
  caseAgreements,
  caseEvents,
  caseRow,
  casesBrief,
  type FiguresBy,
  figures,
  type RegisterFilter,
  type RegisterSort,
  registerCount,
  registerPage,
  registerRankedPage,
  reopenedAs,
} from '../../db/queries/cases.js';
import type { Queryable } from '../../db/types.js';
import { type EscalationScore, escalationScore, escalationWeights } from '../../domain/cases/escalation.js';
import { allowedTransitions, canReopen } from '../../domain/cases/state-machine.js';
import { kpis, ratio, shownRate } from '../../domain/kpis.js';
import type { Keyring } from '../../domain/personal-data.js';
import type { DisputeCategory, DisputeStatus, RiskLevel } from '../../domain/vocabulary.js';
import { InvalidInput, NotFound } from '../errors.js';
import { maskedParties } from '../personal-data/index.js';

/** The read side of the case workflow: the register, one case in full, the assessment figures. */

export interface CaseRow {
  id: number;
  caseNo: string;
  category: DisputeCategory;
  riskLevel: RiskLevel;
  status: DisputeStatus;
  threat: boolean;
  injury: boolean;
  daysOpen: number | null;
  repeatIds: number[];
  [k: string]: unknown;
}

export function withScore(row: CaseRow): CaseRow & { escalation: EscalationScore } {
  return {
    ...row,
    escalation: escalationScore({
      category: row.category,
      riskLevel: row.riskLevel,
      repeatCount: row.repeatIds.length,
      threat: row.threat,
      injury: row.injury,
      daysOpen: row.daysOpen,
    }),
  };
}

/** The escalation ranking scores every match (each with its repeat links): bounded, so filter first. */
export const MAX_RANKED = 5000;

export interface RegisterQuery {
  filter: RegisterFilter;
  sort: RegisterSort;
  limit: number;
  offset: number;
}

export async function listCases(db: Queryable, { filter, sort, limit, offset }: RegisterQuery) {
  const c = registerCount(filter);
  const total = (await db.query<{ total: number }>(c.text, c.values)).rows[0]?.total ?? 0;
  if (sort === 'escalation' && total > MAX_RANKED) {
    throw new InvalidInput('sort', `escalation ranks at most ${MAX_RANKED} cases; filter (e.g. status) first`);
  }
  const p =
    sort === 'escalation'
      ? registerRankedPage(filter, escalationWeights, limit, offset)
      : registerPage(filter, sort, limit, offset);
  const rows = (await db.query<{ item: CaseRow }>(p.text, p.values)).rows.map((r) => withScore(r.item));
  return { total, limit, offset, items: rows };
}

export async function loadCase(db: Queryable, id: number) {
  const q = caseRow(id);
  const row = (await db.query<{ item: CaseRow }>(q.text, q.values)).rows[0]?.item;
  if (!row) throw new NotFound(`dispute ${id}`);
  return withScore(row);
}

/** The full case: row, escalation factors, masked parties, agreements, history, links, legal next moves. */
export async function caseDetail(db: Queryable, ring: Keyring, id: number) {
  const row = await loadCase(db, id);
  // Masked for every role; one party in clear only through POST …/parties/:partyId/reveal (audited).
  const parties = await maskedParties(db, ring, id);
  const a = caseAgreements(id);
  const e = caseEvents(id);
  const r = reopenedAs(id);
  const b = casesBrief(id, row.repeatIds);
  const [agreements, events, reopened, repeats] = [
    JSON.parse((await db.query<{ body: string }>(a.text, a.values)).rows[0]?.body ?? '[]'),
    JSON.parse((await db.query<{ body: string }>(e.text, e.values)).rows[0]?.body ?? '[]'),
    (await db.query(r.text, r.values)).rows,
    (await db.query(b.text, b.values)).rows,
  ];
  return {
    ...row,
    allowedTransitions: allowedTransitions(row.status),
    canReopen: canReopen(row.status),
    parties,
    agreements,
    events,
    reopenedAs: reopened.map((x) => ({ ...x, id: Number(x.id) })),
    repeats: repeats.map((x) => ({ ...x, id: Number(x.id) })),
  };
}

interface FigureRow {
  key: string;
  name: string;
  town_code: string;
  kind: string | null;
  days_to_accept: number | null;
  days_to_resolve: number | null;
  [count: string]: number | string | null;
}

function figureUnit(r: FigureRow): FigureUnit {
  const n = (k: string) => Number(r[k] ?? 0);
  const k = kpis({
    found: n('found'),
    resolved: n('resolved'),
    failed: n('failed'),
    referred: n('referred'),
    open: n('open'),
    resolvedAtVillage: n('at_village'),
    resolvedAtTown: n('at_town'),
  });
  return {
    key: r.key,
    name: r.name,
    townCode: r.town_code,
    kind: r.kind,
    found: k.found,
    accepted: n('accepted'),
    acceptanceRate: shownRate(ratio(n('accepted'), k.found)),
    resolved: k.resolved,
    failed: k.failed,
    referred: k.referred,
    open: k.open,
    closed: k.resolved + k.failed + k.referred,
    successRate: shownRate(k.closedSuccessRate),
    daysToAccept: r.days_to_accept === null ? null : Number(r.days_to_accept),
    daysToResolve: r.days_to_resolve === null ? null : Number(r.days_to_resolve),
    resolvedAtVillage: k.resolvedAtVillage,
    resolvedAtTown: k.resolvedAtTown,
    villageShare: shownRate(k.villageLevelRate),
    townOrBelowShare: shownRate(k.townLevelRate),
    referrals: {
      litigation: n('ref_litigation'),
      arbitration: n('ref_arbitration'),
      public_security_case: n('ref_public_security_case'),
      criminal_case: n('ref_criminal_case'),
    },
  };
}

/** The assessment figures (考核) per town or station, every rate with its counts (domain/kpis.ts). */
export async function caseFigures(
  db: Queryable,
  by: FiguresBy,
  town: string | undefined,
): Promise<CaseFiguresResponse> {
  const q = figures(by, town);
  const { rows } = await db.query<FigureRow>(q.text, q.values);
  return { by, definitions: figureDefinitions, units: rows.map(figureUnit) };
}
