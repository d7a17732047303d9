import { escalationScore } from '../cases/escalation.js';
import type { RegisterFinding } from '../people/register.js';
import { periodKey } from '../schedule-periods.js';
import type { DisputeCategory, RiskLevel } from '../vocabulary.js';
import type { RuleCode, Thresholds } from './rules.js';

/**
 * The pure part of each rule: given the facts one set-based query gathered over the county (or around one
 * written case), which warnings fire, about what, for which period, with what evidence. No SQL, no clock: "now"
 * comes in as the periods of the database's app_now().
 */

/** A warning to raise; the database keeps one per (rule, subjectKey, period). */
export interface WarningDraft {
  rule: RuleCode;
  subjectKey: string;
  period: string;
  level: 'town' | 'county';
  townCode: string | null;
  villageCode: string | null;
  stationId: number | null;
  disputeId: number | null;
  lon: number | null;
  lat: number | null;
  evidence: Record<string, unknown>;
}

/** Periods of "now" in China time (Asia/Shanghai, UTC+8 all year): day, ISO week and month keys. */
export interface Periods {
  day: string;
  week: string;
  month: string;
}

export function periodsOf(now: Date): Periods {
  // The scheduler's own period keys, so a warning's week is the job's week.
  return { day: periodKey('day', now), week: periodKey('week', now), month: periodKey('month', now) };
}

const base = (rule: RuleCode, subjectKey: string, period: string): Omit<WarningDraft, 'evidence'> => ({
  rule,
  subjectKey,
  period,
  level: 'town',
  townCode: null,
  villageCode: null,
  stationId: null,
  disputeId: null,
  lon: null,
  lat: null,
});

/** The place and case of a case-subject warning. */
export interface CaseFacts {
  id: number;
  caseNo: string;
  riskLevel: RiskLevel;
  townCode: string;
  villageCode: string | null;
  stationId: number | null;
  lon: number;
  lat: number;
}

const onCase = (rule: RuleCode, c: CaseFacts, period: string, evidence: Record<string, unknown>): WarningDraft => ({
  ...base(rule, `dispute:${c.id}`, period),
  // Red cases concern the county (the 民转刑 risk the mechanism exists to stop).
  level: c.riskLevel === 'red' ? 'county' : 'town',
  townCode: c.townCode,
  villageCode: c.villageCode,
  stationId: c.stationId,
  disputeId: c.id,
  lon: c.lon,
  lat: c.lat,
  evidence: { caseNo: c.caseNo, riskLevel: c.riskLevel, ...evidence },
});

// (1) acceptance_overdue ---------------------------------------------------------------------------------------

export interface WaitingCase extends CaseFacts {
  /** Hours since it was reported, still in 'reported'. */
  hoursWaiting: number;
}

export function acceptanceOverdue(cases: readonly WaitingCase[], t: Thresholds): WarningDraft[] {
  const out: WarningDraft[] = [];
  for (const c of cases) {
    const limit = c.riskLevel === 'red' ? t.redHours : c.riskLevel === 'orange' ? t.orangeHours : undefined;
    if (limit === undefined || c.hoursWaiting < limit) continue;
    out.push(onCase('acceptance_overdue', c, 'case', { hoursWaiting: Math.floor(c.hoursWaiting), limitHours: limit }));
  }
  return out;
}

// (2) repeat_party ---------------------------------------------------------------------------------------------

export interface PartyGroup {
  /** 'id' or 'phone' and the keyed hash: a pseudonym, kept in the subject key, never shown. */
  kind: 'id' | 'phone';
  hash: string;
  cases: readonly (CaseFacts & { reportedAt: string })[];
}

/**
 * One warning per party reaching `minCases` cases in the window, raised again only when a further case joins
 * (the period is the latest case). The same person matched on both the ID number and the phone gives one warning:
 * a phone group with exactly the cases of an ID group is dropped.
 */
export function repeatParty(groups: readonly PartyGroup[], t: Thresholds): WarningDraft[] {
  const minCases = t.minCases as number;
  const setKey = (g: PartyGroup) =>
    g.cases
      .map((c) => c.id)
      .sort((a, b) => a - b)
      .join(',');
  const idSets = new Set(groups.filter((g) => g.kind === 'id' && g.cases.length >= minCases).map(setKey));
  const out: WarningDraft[] = [];
  for (const g of groups) {
    if (g.cases.length < minCases) continue;
    if (g.kind === 'phone' && idSets.has(setKey(g))) continue;
    const sorted = [...g.cases].sort((a, b) => a.reportedAt.localeCompare(b.reportedAt) || a.id - b.id);
    const latest = sorted[sorted.length - 1] as CaseFacts;
    const towns = [...new Set(sorted.map((c) => c.townCode))].sort();
    const county = towns.length > 1 || sorted.some((c) => c.riskLevel === 'red');
    out.push({
      ...base('repeat_party', `party:${g.kind}:${g.hash.slice(0, 40)}`, `latest:${latest.id}`),
      level: county ? 'county' : 'town',
      // Cases across towns: a county matter, seen by county roles only.
      townCode: towns.length === 1 ? (towns[0] as string) : null,
      villageCode: towns.length === 1 ? latest.villageCode : null,
      stationId: latest.stationId,
      disputeId: latest.id,
      lon: latest.lon,
      lat: latest.lat,
      evidence: {
        matchedOn: g.kind,
        cases: sorted.map((c) => ({ id: c.id, caseNo: c.caseNo, reportedAt: c.reportedAt, townCode: c.townCode })),
        count: sorted.length,
        minCases,
        windowDays: t.windowDays,
      },
    });
  }
  return out;
}

// (3) escalation -----------------------------------------------------------------------------------------------

export interface OpenCase extends CaseFacts {
  category: DisputeCategory;
  repeatCount: number;
  threat: boolean;
  injury: boolean;
  daysOpen: number;
  /** The lowest daily score kept for the 7 days before today; null when none. */
  lowestLastWeek: number | null;
}

export interface Scored {
  disputeId: number;
  score: number;
}

/** Scores every open case (the snapshot kept for today) and raises: high (once per case), rising (once a week). */
export function escalation(
  cases: readonly OpenCase[],
  t: Thresholds,
  periods: Periods,
): { drafts: WarningDraft[]; scores: Scored[] } {
  const drafts: WarningDraft[] = [];
  const scores: Scored[] = [];
  for (const c of cases) {
    const s = escalationScore({
      category: c.category,
      riskLevel: c.riskLevel,
      repeatCount: c.repeatCount,
      threat: c.threat,
      injury: c.injury,
      daysOpen: c.daysOpen,
    });
    scores.push({ disputeId: c.id, score: s.score });
    const factors = Object.fromEntries(s.factors.filter((f) => f.points > 0).map((f) => [f.factor, f.points]));
    if (s.score >= (t.minScore as number)) {
      drafts.push(onCase('escalation', c, 'high', { trigger: 'high', score: s.score, minScore: t.minScore, factors }));
    }
    if (c.lowestLastWeek !== null && s.score - c.lowestLastWeek >= (t.minRise as number)) {
      drafts.push(
        onCase('escalation', c, periods.week, {
          trigger: 'rising',
          score: s.score,
          from: c.lowestLastWeek,
          rise: s.score - c.lowestLastWeek,
          minRise: t.minRise,
          factors,
        }),
      );
    }
  }
  return { drafts, scores };
}

// (4) emerging_hotspot -----------------------------------------------------------------------------------------

export interface EmergingFacts {
  q: number;
  r: number;
  pattern: 'new' | 'intensifying' | 'persistent' | 'diminishing' | null;
  count: number;
  recent: number;
  earlier: number;
  trendZ: number;
  trendP: number;
  lon: number;
  lat: number;
  /** The town holding the cell's centre (null outside every town: no warning). */
  townCode: string | null;
}

export function emergingHotspot(cells: readonly EmergingFacts[], t: Thresholds, periods: Periods): WarningDraft[] {
  const out: WarningDraft[] = [];
  for (const c of cells) {
    if ((c.pattern !== 'new' && c.pattern !== 'intensifying') || c.townCode === null) continue;
    out.push({
      ...base('emerging_hotspot', `cell:${t.cellSize}:${c.q},${c.r}`, periods.month),
      townCode: c.townCode,
      lon: c.lon,
      lat: c.lat,
      evidence: {
        pattern: c.pattern,
        cell: { q: c.q, r: c.r, size: t.cellSize },
        count: c.count,
        recent: c.recent,
        earlier: c.earlier,
        recentMonths: t.recentMonths,
        trendZ: Math.round(c.trendZ * 1000) / 1000,
        trendP: Number(c.trendP.toPrecision(3)),
      },
    });
  }
  return out;
}

// (5) screening_overdue ----------------------------------------------------------------------------------------

export interface OverdueVillage {
  roundId: number;
  roundName: string;
  dueOn: string;
  daysOverdue: number;
  villageCode: string;
  townCode: string;
  lon: number;
  lat: number;
}

export function screeningOverdue(villages: readonly OverdueVillage[], t: Thresholds): WarningDraft[] {
  return villages
    .filter((v) => v.daysOverdue > (t.graceDays as number))
    .map((v) => ({
      ...base('screening_overdue', `village:${v.villageCode}`, `round:${v.roundId}`),
      townCode: v.townCode,
      villageCode: v.villageCode,
      lon: v.lon,
      lat: v.lat,
      evidence: {
        roundId: v.roundId,
        roundName: v.roundName,
        dueOn: v.dueOn,
        daysOverdue: v.daysOverdue,
        graceDays: t.graceDays,
      },
    }));
}

// (6) room_overload --------------------------------------------------------------------------------------------

export interface RoomLoad {
  stationId: number;
  name: string;
  townCode: string;
  mediators: number;
  open: number;
  lon: number;
  lat: number;
}

/** Open cases per mediator above the limit; a room with open cases and no mediator at all is over any limit. */
export function roomOverload(rooms: readonly RoomLoad[], t: Thresholds, periods: Periods): WarningDraft[] {
  const limit = t.maxOpenPerMediator as number;
  const out: WarningDraft[] = [];
  for (const r of rooms) {
    const perMediator = r.mediators > 0 ? r.open / r.mediators : r.open > 0 ? Number.POSITIVE_INFINITY : 0;
    if (!(perMediator > limit)) continue;
    out.push({
      ...base('room_overload', `station:${r.stationId}`, periods.week),
      townCode: r.townCode,
      stationId: r.stationId,
      lon: r.lon,
      lat: r.lat,
      evidence: {
        stationName: r.name,
        open: r.open,
        mediators: r.mediators,
        perMediator: Number.isFinite(perMediator) ? Math.round(perMediator * 10) / 10 : null,
        maxOpenPerMediator: limit,
      },
    });
  }
  return out;
}

// (7) reopened_soon --------------------------------------------------------------------------------------------

export interface ReopenedCase extends CaseFacts {
  fromId: number;
  fromCaseNo: string;
  /** Days from the earlier case's resolution to this case's report. */
  daysAfterResolution: number;
}

export function reopenedSoon(cases: readonly ReopenedCase[], t: Thresholds): WarningDraft[] {
  return cases
    .filter((c) => c.daysAfterResolution >= 0 && c.daysAfterResolution <= (t.withinDays as number))
    .map((c) =>
      onCase('reopened_soon', c, 'case', {
        fromId: c.fromId,
        fromCaseNo: c.fromCaseNo,
        daysAfterResolution: Math.floor(c.daysAfterResolution),
        withinDays: t.withinDays,
      }),
    );
}

// (8) mediator_register ----------------------------------------------------------------------------------------

/** Where a register warning is drawn: the mediator's station, else a point in their village or town; a room. */
export interface RegisterPlace {
  subject: 'mediator' | 'station';
  id: number;
  stationId: number | null;
  villageCode: string | null;
  lon: number | null;
  lat: number | null;
}

/**
 * The register's findings (domain/people/register.ts decides them, the same as the register's checks list) as
 * warnings: one per person or room, check and month, so an expiry is raised again next month while it stands.
 */
export function mediatorRegister(
  findings: readonly RegisterFinding[],
  places: readonly RegisterPlace[],
  periods: Periods,
): WarningDraft[] {
  const at = new Map(places.map((p) => [`${p.subject}:${p.id}`, p]));
  return findings.map((f) => {
    const p = at.get(`${f.subject}:${f.subjectId}`);
    return {
      ...base('mediator_register', `${f.subject}:${f.subjectId}:${f.rule}`, periods.month),
      townCode: f.townCode,
      villageCode: p?.villageCode ?? null,
      stationId: p?.stationId ?? null,
      lon: p?.lon ?? null,
      lat: p?.lat ?? null,
      evidence: {
        check: f.rule,
        subject: f.subject,
        ...(f.subject === 'mediator' ? { mediatorId: f.subjectId } : {}),
        due: f.due,
        daysLeft: f.daysLeft,
        ...(f.hours === undefined ? {} : { hours: f.hours, requiredHours: f.requiredHours }),
      },
    };
  });
}
