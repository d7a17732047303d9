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

/** The KPIs of the period, the previous one and the same one a year back, in that order. */
async function periodKpis(db: Queryable, period: Period, prefix: string): Promise<BriefingData['kpis']> {
  const current = await counts(db, period, prefix);
  const previous = await counts(db, previousPeriod(period), prefix);
  const lastYear = await counts(db, samePeriodLastYear(period), prefix);
  return { current, previous, lastYear };
}

/** The period's cases by town (county) or village (town), then by category. */
async function unitsAndCategories(
  db: Queryable,
  period: Period,
  prefix: string,
  level: BriefingData['units']['level'],
) {
  const uq = periodByUnit(period.from, period.to, prefix, level, 500);
  const unitRows = (await db.query<BriefingData['units']['rows'][number]>(uq.text, uq.values)).rows;
  const cq = periodByCategory(period.from, period.to, prefix);
  const categories = (await db.query<BriefingData['categories'][number]>(cq.text, cq.values)).rows;
  return { units: { level, rows: unitRows }, categories };
}

async function overdueAt(db: Queryable, period: Period, prefix: string): Promise<BriefingData['overdue']> {
  const oq = overdueCases(period.to, prefix, OVERDUE_LISTED);
  return (await db.query<BriefingData['overdue']>(oq.text, oq.values)).rows[0] ?? { total: 0, cases: [] };
}

/**
 * The map: the open red / orange cases, the units' outlines shaded by how many disputes each found (the most: the
 * darkest), and the period's hot-spot cells as rings. Also the number of hot cells, for the findings.
 */
async function briefingMap(
  db: Queryable,
  scope: BriefingScope,
  period: Period,
  units: BriefingData['units'],
): Promise<BriefingData['map'] & { hotCells: number }> {
  const hq = openHighRisk(period.to, scope.code);
  const points = (await db.query<{ lon: number; lat: number; riskLevel: 'red' | 'orange' }>(hq.text, hq.values)).rows;
  const mq = mapUnits(scope.code, units.level);
  const shapeRows = (await db.query<{ code: string; name: string; geometry: MapShape['geometry'] }>(mq.text, mq.values))
    .rows;
  const hotspots = await periodHotspots(db, scope.code, scope.level, period.from, period.to);
  const foundBy = new Map(units.rows.map((u) => [u.code, u.found]));
  const most = Math.max(1, ...units.rows.map((u) => u.found));
  return {
    shapes: shapeRows.map((s) => ({ ...s, shade: (foundBy.get(s.code) ?? 0) / most })),
    hot: hotspots.hot.map((c) => ({ ring: cellRing(hotspots.grid, c), bin: c.bin })),
    points,
    cellSize: hotspots.cellSize,
    hotCells: hotspots.hot.length,
  };
}

/** The warnings per rule (raised in the period, open now), then the period's newest, each with its rule's name. */
async function periodWarningsOf(db: Queryable, period: Period, prefix: string, lang: BriefingLang) {
  const ruleName = (rule: RuleCode) => rules[rule]?.name[lang === 'en' ? 'en' : 'zh'] ?? rule;
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
  return { warnings, newWarnings };
}

async function periodTasksOf(db: Queryable, period: Period, prefix: string): Promise<BriefingData['tasks']> {
  const tq = periodTasks(period.from, period.to, prefix, TASKS_LISTED);
  return (
    (await db.query<BriefingData['tasks']>(tq.text, tq.values)).rows[0] ?? {
      issued: 0,
      closed: 0,
      open: 0,
      overdue: 0,
      items: [],
    }
  );
}

/** The paragraph of findings, from the figures gathered. */
function findingsOf(b: Omit<BriefingData, 'findings' | 'map'>, hotCells: number, cellSize: number): string[] {
  const topRoom = b.rooms.units.find((u) => u.rank === 1) ?? null;
  return findings({
    lang: b.lang,
    scopeName: b.scope.name,
    current: b.kpis.current,
    previous: b.kpis.previous,
    lastYear: b.kpis.lastYear,
    topUnits: b.units.rows,
    categories: b.categories,
    overdue: b.overdue.total,
    hotCells,
    cellSize,
    topRoom: topRoom ? { name: topRoom.name, score: topRoom.score } : null,
    warnings: {
      raised: b.warnings.reduce((a, w) => a + w.raised, 0),
      open: b.warnings.reduce((a, w) => a + w.open, 0),
    },
    tasks: { issued: b.tasks.issued, closed: b.tasks.closed, overdue: b.tasks.overdue },
  });
}

/** Everything a briefing shows, read in one pass in this order (the queries run one after the other on `db`). */
export async function briefingData(
  db: Queryable,
  opts: { period: Period; scope?: string; lang: BriefingLang },
): Promise<BriefingData> {
  const scope = await resolveScope(db, opts.scope);
  const prefix = scope.code;
  const { period } = opts;
  const kpis = await periodKpis(db, period, prefix);
  const { units, categories } = await unitsAndCategories(
    db,
    period,
    prefix,
    scope.level === 'county' ? 'town' : 'village',
  );
  const overdue = await overdueAt(db, period, prefix);
  const { hotCells, ...map } = await briefingMap(db, scope, period, units);
  const { warnings, newWarnings } = await periodWarningsOf(db, period, prefix, opts.lang);
  const tasks = await periodTasksOf(db, period, prefix);
  const rooms = await assess(db, { by: scope.level === 'county' ? 'room' : 'station', period, county: prefix });
  const gathered = {
    lang: opts.lang,
    scope: { code: scope.code, name: scope.name, level: scope.level },
    period,
    previous: previousPeriod(period),
    lastYear: samePeriodLastYear(period),
    asOf: scope.asOf,
    demo: scope.demo,
    kpis,
    units,
    categories,
    overdue,
  };
  return {
    ...gathered,
    map,
    rooms,
    warnings,
    newWarnings,
    tasks,
    findings: findingsOf({ ...gathered, rooms, warnings, newWarnings, tasks }, hotCells, map.cellSize),
  };
}
