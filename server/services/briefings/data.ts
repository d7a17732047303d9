import {
  briefingScope,
  mapUnits,
  openHighRisk,
  overdueCases,
  periodByCategory,
  periodByUnit,
  periodCounts,
  periodTasks,
  periodWarningList,
  periodWarnings,
} from '../../db/queries/briefings.js';
import type { Queryable } from '../../db/types.js';
import { type Period, previousPeriod, samePeriodLastYear } from '../../domain/assessment/period.js';
import { findings } from '../../domain/briefings/findings.js';
import type { BriefingLang } from '../../domain/briefings/labels.js';
import type { MapShape } from '../../domain/briefings/map-svg.js';
import { type DisputeCounts, type Kpis, kpis } from '../../domain/kpis.js';
import { cellRing } from '../../domain/stats/hexgrid.js';
import type { DisputeCategory, RiskLevel } from '../../domain/vocabulary.js';
import { type RuleCode, rules } from '../../domain/warnings/rules.js';
import { type Assessment, assess } from '../assessment/index.js';
import { NotFound } from '../errors.js';
import { periodHotspots } from './hotspots.js';

/**
 * Everything a briefing shows, gathered for one scope (county or town) and period: the KPIs of the period, the
 * previous one and the same one a year back; cases by town (or village) and category; overdue cases; the map's
 * shapes, hot spots and open red / orange cases; the rooms' ranking; the paragraph of findings.
 */
export interface BriefingScope {
  code: string;
  name: string;
  level: 'county' | 'town';
}

export interface BriefingData {
  lang: BriefingLang;
  scope: BriefingScope;
  period: Period;
  previous: Period;
  lastYear: Period;
  asOf: string;
  demo: boolean;
  kpis: {
    current: Kpis & { accepted: number };
    previous: Kpis & { accepted: number };
    lastYear: Kpis & { accepted: number };
  };
  units: {
    level: 'town' | 'village';
    rows: { code: string; name: string; found: number; resolved: number; open: number }[];
  };
  categories: { category: DisputeCategory; found: number; resolved: number }[];
  overdue: {
    total: number;
    cases: {
      caseNo: string;
      category: DisputeCategory;
      riskLevel: RiskLevel;
      status: string;
      age: number;
      limitDays: number;
      reported: string;
      town: string;
      village: string | null;
    }[];
  };
  map: {
    shapes: (MapShape & { code: string; name: string })[];
    hot: { ring: [number, number][]; bin: number }[];
    points: { lon: number; lat: number; riskLevel: 'red' | 'orange' }[];
    cellSize: number;
  };
  rooms: Assessment;
  /** Early warnings per rule: raised in the period, open now (issue 16). */
  warnings: { rule: RuleCode; name: string; raised: number; open: number }[];
  /** The warnings raised in the period, newest first (the first 15, and how many). */
  newWarnings: {
    total: number;
    items: {
      id: number;
      rule: RuleCode;
      name: string;
      status: 'open' | 'acknowledged' | 'dismissed' | 'tasked';
      level: 'town' | 'county';
      raised: string;
      town: string | null;
      village: string | null;
      caseNo: string | null;
    }[];
  };
  /** Tasks (交办 / 督办): issued and closed in the period, open and overdue now, the longest overdue listed. */
  tasks: {
    issued: number;
    closed: number;
    open: number;
    overdue: number;
    items: {
      id: number;
      action: TaskAction;
      status: string;
      assigneeKind: 'station' | 'screener';
      station: string | null;
      dueOn: string;
      daysOverdue: number;
      town: string;
      village: string | null;
      caseNo: string | null;
    }[];
  };
  findings: string[];
}

const OVERDUE_LISTED = 15;
const WARNINGS_LISTED = 15;
const TASKS_LISTED = 15;

export type TaskAction = 'verify' | 'visit' | 'mediate' | 'rescreen' | 'report_back';

export async function resolveScope(
  db: Queryable,
  code: string | undefined,
): Promise<BriefingScope & { demo: boolean; asOf: string }> {
  const q = briefingScope(code ?? null);
  const row = (await db.query<BriefingScope & { demo: boolean; asOf: string }>(q.text, q.values)).rows[0];
  if (!row) throw new NotFound(code ? `county or town ${code}` : 'county');
  return row;
}

async function counts(db: Queryable, p: Period, prefix: string) {
  const q = periodCounts(p.from, p.to, prefix);
  const c = (await db.query<DisputeCounts & { accepted: number }>(q.text, q.values)).rows[0] as DisputeCounts & {
    accepted: number;
  };
  return { ...kpis(c), accepted: c.accepted };
}

export async function briefingData(
  db: Queryable,
  opts: { period: Period; scope?: string; lang: BriefingLang },
): Promise<BriefingData> {
  const scope = await resolveScope(db, opts.scope);
  const prefix = scope.code;
  const { period } = opts;
  const previous = previousPeriod(period);
  const lastYear = samePeriodLastYear(period);
  const current = await counts(db, period, prefix);
  const prev = await counts(db, previous, prefix);
  const ly = await counts(db, lastYear, prefix);
  const unitLevel = scope.level === 'county' ? 'town' : 'village';
  const uq = periodByUnit(period.from, period.to, prefix, unitLevel, 500);
  const unitRows = (await db.query<BriefingData['units']['rows'][number]>(uq.text, uq.values)).rows;
  const cq = periodByCategory(period.from, period.to, prefix);
  const categories = (await db.query<BriefingData['categories'][number]>(cq.text, cq.values)).rows;
  const oq = overdueCases(period.to, prefix, OVERDUE_LISTED);
  const overdue = (await db.query<BriefingData['overdue']>(oq.text, oq.values)).rows[0] ?? { total: 0, cases: [] };
  const hq = openHighRisk(period.to, prefix);
  const points = (await db.query<{ lon: number; lat: number; riskLevel: 'red' | 'orange' }>(hq.text, hq.values)).rows;
  const mq = mapUnits(scope.code, unitLevel);
  const shapeRows = (await db.query<{ code: string; name: string; geometry: MapShape['geometry'] }>(mq.text, mq.values))
    .rows;
  const hotspots = await periodHotspots(db, scope.code, scope.level, period.from, period.to);
  const ruleName = (rule: RuleCode) => rules[rule]?.name[opts.lang === 'en' ? 'en' : 'zh'] ?? rule;
  const wq = periodWarnings(period.from, period.to, prefix);
  const warnings = (await db.query<{ rule: RuleCode; raised: number; open: number }>(wq.text, wq.values)).rows.map(
    (w) => ({ ...w, name: ruleName(w.rule) }),
  );
  const wlq = periodWarningList(period.from, period.to, prefix, WARNINGS_LISTED);
  const wl = (
    await db.query<{ total: number; items: Omit<BriefingData['newWarnings']['items'][number], 'name'>[] }>(
      wlq.text,
      wlq.values,
    )
  ).rows[0] ?? { total: 0, items: [] };
  const newWarnings = { total: wl.total, items: wl.items.map((w) => ({ ...w, name: ruleName(w.rule) })) };
  const tq = periodTasks(period.from, period.to, prefix, TASKS_LISTED);
  const tasks = (await db.query<BriefingData['tasks']>(tq.text, tq.values)).rows[0] ?? {
    issued: 0,
    closed: 0,
    open: 0,
    overdue: 0,
    items: [],
  };
  const rooms = await assess(db, { by: scope.level === 'county' ? 'room' : 'station', period, county: prefix });

  const foundBy = new Map(unitRows.map((u) => [u.code, u.found]));
  const most = Math.max(1, ...unitRows.map((u) => u.found));
  const shapes = shapeRows.map((s) => ({ ...s, shade: (foundBy.get(s.code) ?? 0) / most }));
  const topRoom = rooms.units.find((u) => u.rank === 1) ?? null;
  return {
    lang: opts.lang,
    scope: { code: scope.code, name: scope.name, level: scope.level },
    period,
    previous,
    lastYear,
    asOf: scope.asOf,
    demo: scope.demo,
    kpis: { current, previous: prev, lastYear: ly },
    units: { level: unitLevel, rows: unitRows },
    categories,
    overdue,
    map: {
      shapes,
      hot: hotspots.hot.map((c) => ({ ring: cellRing(hotspots.grid, c), bin: c.bin })),
      points,
      cellSize: hotspots.cellSize,
    },
    rooms,
    warnings,
    newWarnings,
    tasks,
    findings: findings({
      lang: opts.lang,
      scopeName: scope.name,
      current,
      previous: prev,
      lastYear: ly,
      topUnits: unitRows,
      categories,
      overdue: overdue.total,
      hotCells: hotspots.hot.length,
      cellSize: hotspots.cellSize,
      topRoom: topRoom ? { name: topRoom.name, score: topRoom.score } : null,
      warnings: {
        raised: warnings.reduce((a, w) => a + w.raised, 0),
        open: warnings.reduce((a, w) => a + w.open, 0),
      },
      tasks: { issued: tasks.issued, closed: tasks.closed, overdue: tasks.overdue },
    }),
  };
}
