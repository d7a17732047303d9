import {
  type AssessmentBy,
  assessmentCounts,
  insertIndicators,
  insertStandard,
  listStandards,
  lockStandards,
  standardExistsFrom,
  today,
} from '../../db/queries/assessment.js';
import type { Queryable, Transaction } from '../../db/types.js';
import { type IndicatorKey, indicators, type UnitCounts } from '../../domain/assessment/indicators.js';
import { isDay, type Period, previousPeriod } from '../../domain/assessment/period.js';
import { medians, rankChange, rankUnits, type ScoredIndicator } from '../../domain/assessment/scoring.js';
import {
  type Standard,
  type StandardInput,
  standardInForce,
  standardProblem,
} from '../../domain/assessment/standard.js';
import { Conflict, InvalidInput } from '../errors.js';

/**
 * The assessment (考核) of towns, joint mediation rooms or stations for a period: each unit's indicators with
 * their counts, points and score under the standard in force on the period's first day, its rank (ties
 * shared, too few cases not ranked), the county medians and the change in rank against the previous period
 * (scored by the standard in force then).
 */
export interface AssessedUnit {
  key: string;
  name: string;
  townCode: string;
  townName: string;
  kind: string | null;
  found: number;
  score: number | null;
  rank: number | null;
  tied: boolean;
  ranked: boolean;
  notRankedReason: 'too_few_cases' | 'no_value' | null;
  previousRank: number | null;
  rankChange: number | null;
  indicators: ScoredIndicator[];
  counts: UnitCounts;
}

export interface Assessment {
  by: AssessmentBy;
  period: Period;
  previousPeriod: Period;
  standard: Standard;
  previousStandard: Standard;
  definitions: Record<IndicatorKey, { zh: string; en: string; unit: 'rate' | 'days'; better: 'higher' | 'lower' }>;
  median: { score: number | null; indicators: Record<IndicatorKey, number | null> };
  units: AssessedUnit[];
}

interface CountRow extends UnitCounts {
  key: string;
  name: string;
  townCode: string;
  townName: string;
  kind: string | null;
}

export async function standards(db: Queryable): Promise<Standard[]> {
  const q = listStandards();
  const { rows } = await db.query<Standard>(q.text, q.values);
  return rows.map((r) => ({ ...r, version: Number(r.version), minCases: Number(r.minCases) }));
}

function inForce(all: readonly Standard[], day: string): Standard {
  const s = standardInForce(all, day);
  // Version 1 (migration 240) applies from 1990, the earliest day a period can name.
  if (!s) throw new InvalidInput('period', `no assessment standard is in force on ${day}`);
  return s;
}

async function counts(db: Queryable, by: AssessmentBy, p: Period, prefix: string): Promise<CountRow[]> {
  const q = assessmentCounts(by, p.from, p.to, prefix);
  const { rows } = await db.query<CountRow>(q.text, q.values);
  return rows;
}

export async function assess(
  db: Queryable,
  opts: { by: AssessmentBy; period: Period; county?: string },
): Promise<Assessment> {
  const all = await standards(db);
  const prev = previousPeriod(opts.period);
  const standard = inForce(all, opts.period.from);
  const previousStandard = inForce(all, prev.from);
  const prefix = opts.county ?? '';
  const rows = await counts(db, opts.by, opts.period, prefix);
  const prevRows = await counts(db, opts.by, prev, prefix);
  const input = (rs: CountRow[]) => rs.map((r) => ({ key: r.key, counts: r }));
  const ranked = rankUnits(standard, input(rows));
  const prevRank = new Map(rankUnits(previousStandard, input(prevRows)).map((u) => [u.key, u.rank]));
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const units: AssessedUnit[] = ranked.map((u) => {
    const r = byKey.get(u.key) as CountRow;
    const previousRank = prevRank.get(u.key) ?? null;
    const { key, name, townCode, townName, kind, ...unitCounts } = r;
    return {
      ...u,
      key,
      name,
      townCode,
      townName,
      kind,
      previousRank,
      rankChange: rankChange(u.rank, previousRank),
      counts: unitCounts,
    };
  });
  const keys = standard.indicators.map((i) => i.key);
  const definitions = Object.fromEntries(
    keys.map((k) => [
      k,
      { zh: indicators[k].zh, en: indicators[k].en, unit: indicators[k].unit, better: indicators[k].better },
    ]),
  ) as Assessment['definitions'];
  return {
    by: opts.by,
    period: opts.period,
    previousPeriod: prev,
    standard,
    previousStandard,
    definitions,
    median: medians(ranked, keys),
    units,
  };
}

/**
 * Adds a version of the standard, in force from `validFrom` (today or later: a past period keeps the standard
 * it was scored by). Runs in the caller's transaction; the weights are also checked by the database at commit.
 */
export async function addStandard(tx: Transaction, input: StandardInput, actor: string): Promise<Standard> {
  if (!isDay(input.validFrom)) throw new InvalidInput('validFrom', 'must be a calendar day (YYYY-MM-DD)');
  const problem = standardProblem(input);
  if (problem) throw new InvalidInput(problem.field, problem.message);
  const t = today();
  const day = (await tx.query<{ day: string }>(t.text, t.values)).rows[0]?.day as string;
  if (input.validFrom < day) {
    throw new InvalidInput('validFrom', `must be today (${day}) or later: past periods keep the standard they had`);
  }
  const lock = lockStandards();
  await tx.query(lock.text, lock.values);
  const dup = standardExistsFrom(input.validFrom);
  if ((await tx.query(dup.text, dup.values)).rows.length > 0) {
    throw new Conflict(`a standard already applies from ${input.validFrom}; choose another day`, 'validFrom');
  }
  const ins = insertStandard(input.validFrom, input.minCases, actor);
  const version = Number((await tx.query<{ version: number }>(ins.text, ins.values)).rows[0]?.version);
  const inds = insertIndicators(version, input.indicators);
  await tx.query(inds.text, inds.values);
  return { ...input, version };
}
