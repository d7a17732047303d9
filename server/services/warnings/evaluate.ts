import type { Queryable } from '../../db/index.js';
import {
  caseStation,
  evaluationNow,
  keepScores,
  openCasesForEscalation,
  overdueVillages,
  partyGroups,
  raiseWarnings,
  registerPlaces,
  reopenedCases,
  roomLoads,
  townsAt,
  waitingCases,
  warningRules,
} from '../../db/queries/warnings.js';
import { cellCentre } from '../../domain/stats/hexgrid.js';
import {
  acceptanceOverdue,
  type EmergingFacts,
  emergingHotspot,
  escalation,
  mediatorRegister,
  type OpenCase,
  type OverdueVillage,
  type PartyGroup,
  type Periods,
  periodsOf,
  type RegisterPlace,
  type ReopenedCase,
  type RoomLoad,
  reopenedSoon,
  repeatParty,
  roomOverload,
  screeningOverdue,
  type WaitingCase,
  type WarningDraft,
} from '../../domain/warnings/evaluate.js';
import { type RuleCode, ruleCodes, rules, type Thresholds, thresholdsOf } from '../../domain/warnings/rules.js';
// The emerging hot spot analysis is the dashboard's own (one definition of "new" and "intensifying").
import { computeEmerging } from '../analytics/index.js';
import { registerFindingsOf } from '../mediators/index.js';
import { publishAll } from '../notifications/publish.js';

/**
 * Evaluating the rules: gather each enabled rule's facts in one statement, let the domain decide, raise every
 * warning in one insert. Runs inside the caller's transaction: after a case write (only the rules a case write
 * changes, around that case) or as the scheduler's job (every rule over the county).
 */

export interface RuleSetting {
  code: RuleCode;
  enabled: boolean;
  thresholds: Thresholds;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}

export async function ruleSettings(q: Queryable): Promise<RuleSetting[]> {
  const s = warningRules();
  const { rows } = await q.query<RuleSetting>(s.text, s.values);
  return rows.map((r) => ({ ...r, thresholds: thresholdsOf(r.code, r.thresholds) }));
}

export interface Raised {
  id: number;
  rule: RuleCode;
  level: 'town' | 'county';
  townCode: string | null;
  villageCode: string | null;
  stationId: number | null;
  disputeId: number | null;
}

export interface EvaluationResult {
  /** Warnings this evaluation raised (already raised ones are not counted again). */
  raised: Raised[];
  /** Warnings that fired per rule, new or not. */
  fired: Partial<Record<RuleCode, number>>;
  /** Milliseconds each rule took (gathering and deciding), and the insert. */
  ms: Partial<Record<RuleCode | 'raise', number>>;
  period: Periods;
}

type Around = { disputeId: number; stationId: number | null } | null;

async function rows<T>(q: Queryable, s: { text: string; values: unknown[] }): Promise<T[]> {
  return (await q.query<T>(s.text, s.values)).rows;
}

/**
 * The dashboard's emerging hot spot analysis with each new or intensifying cell's town. Read-only: the full
 * evaluation runs it before its transaction on the database handle, whose study area (the grid over the county,
 * seconds to build at scale) the analytics cache per handle.
 */
export async function emergingFacts(q: Queryable, t: Thresholds): Promise<EmergingFacts[]> {
  const month = periodsOf(new Date((await rows<{ now: Date }>(q, evaluationNow()))[0]?.now as Date)).month;
  const result = await computeEmerging(q, t.cellSize as number, {}, month, t.recentMonths as number);
  const hot = result.cells.filter((c) => c.pattern === 'new' || c.pattern === 'intensifying');
  if (hot.length === 0) return [];
  const centres = hot.map((c) => cellCentre(result.grid, c));
  const towns = await rows<{ i: number; townCode: string | null }>(
    q,
    townsAt(
      centres.map((c) => c[0]),
      centres.map((c) => c[1]),
    ),
  );
  return hot.map((c, i) => ({
    ...c,
    lon: centres[i]?.[0] as number,
    lat: centres[i]?.[1] as number,
    townCode: towns[i]?.townCode ?? null,
  }));
}

async function draftsOf(
  q: Queryable,
  code: RuleCode,
  t: Thresholds,
  periods: Periods,
  around: Around,
  prefetched: EmergingFacts[] | null,
): Promise<WarningDraft[]> {
  const id = around?.disputeId ?? null;
  switch (code) {
    case 'acceptance_overdue': {
      const min = Math.min(t.redHours as number, t.orangeHours as number);
      return acceptanceOverdue(await rows<WaitingCase>(q, waitingCases(min, id)), t);
    }
    case 'repeat_party': {
      const groups = await rows<PartyGroup>(q, partyGroups(t.windowDays as number, t.minCases as number, id));
      return repeatParty(groups, t);
    }
    case 'escalation': {
      const cases = await rows<OpenCase>(q, openCasesForEscalation(periods.day, id));
      const { drafts, scores } = escalation(cases, t, periods);
      if (scores.length > 0) {
        const k = keepScores(
          periods.day,
          scores.map((s) => s.disputeId),
          scores.map((s) => s.score),
        );
        await q.query(k.text, k.values);
      }
      return drafts;
    }
    case 'emerging_hotspot': {
      if (around) return [];
      return emergingHotspot(prefetched ?? (await emergingFacts(q, t)), t, periods);
    }
    case 'screening_overdue':
      return around ? [] : screeningOverdue(await rows<OverdueVillage>(q, overdueVillages(periods.day)), t);
    case 'room_overload': {
      if (around && around.stationId === null) return [];
      return roomOverload(await rows<RoomLoad>(q, roomLoads(around?.stationId ?? null)), t, periods);
    }
    case 'reopened_soon':
      return reopenedSoon(await rows<ReopenedCase>(q, reopenedCases(t.withinDays as number, id)), t);
    case 'mediator_register': {
      // The register's own checks (services/mediators), on the county; a case write does not change them.
      if (around) return [];
      const { findings } = await registerFindingsOf(q, undefined, {
        withinDays: t.withinDays as number,
        requiredHours: t.requiredHours as number,
      });
      return mediatorRegister(findings, await rows<RegisterPlace>(q, registerPlaces()), periods);
    }
  }
}

/**
 * Evaluates `only` (default: every enabled rule) over the county, or around one case. Must run in a
 * transaction: the snapshot of scores and the warnings are written together.
 */
export async function evaluate(
  tx: Queryable,
  opts: { only?: readonly RuleCode[]; around?: Around; emerging?: EmergingFacts[] | null } = {},
): Promise<EvaluationResult> {
  const nowRow = (await tx.query<{ now: Date | string }>(evaluationNow().text)).rows[0];
  const now = new Date(nowRow?.now as Date | string);
  const periods = periodsOf(now);
  const settings = await ruleSettings(tx);
  const drafts: WarningDraft[] = [];
  const fired: EvaluationResult['fired'] = {};
  const ms: EvaluationResult['ms'] = {};
  for (const s of settings) {
    if (!s.enabled || (opts.only && !opts.only.includes(s.code))) continue;
    const t0 = performance.now();
    const d = await draftsOf(tx, s.code, s.thresholds, periods, opts.around ?? null, opts.emerging ?? null);
    ms[s.code] = Math.round(performance.now() - t0);
    fired[s.code] = d.length;
    drafts.push(...d);
  }
  let raised: Raised[] = [];
  const t0 = performance.now();
  if (drafts.length > 0) {
    const ins = raiseWarnings(drafts);
    raised = (await tx.query<Raised>(ins.text, ins.values)).rows;
  }
  ms.raise = Math.round(performance.now() - t0);
  // 信息互通: each new warning reaches the people who must know, in the same transaction (nothing for a warning
  // raised before: the insert returned only new rows).
  await publishAll(
    tx,
    raised.map((w) => ({
      kind: 'warning.raised',
      level: w.level,
      townCode: w.townCode,
      stationId: w.stationId,
      villageCode: w.townCode === null ? null : w.villageCode,
      disputeId: w.disputeId,
      warningId: w.id,
      title: 'warning.raised',
      params: { rule: w.rule },
      dedupeKey: `warning:${w.id}`,
    })),
  );
  return { raised, fired, ms, period: periods };
}

/** The rules whose inputs a case write changes. */
export const caseDrivenRules: readonly RuleCode[] = ruleCodes.filter((c) => rules[c].caseDriven);

/**
 * After a case write (create, edit, transition, handoff, reopen), inside its transaction: the case-driven rules
 * around that case and its station.
 */
export async function evaluateAfterCaseWrite(tx: Queryable, disputeId: number): Promise<EvaluationResult> {
  const [row] = await rows<{ stationId: number | null }>(tx, caseStation(disputeId));
  return evaluate(tx, { only: caseDrivenRules, around: { disputeId, stationId: row?.stationId ?? null } });
}
