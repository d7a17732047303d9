import ExcelJS from 'exceljs';
import { countChange, formatChange, rateChange } from '../../domain/briefings/change.js';
import { definitions } from '../../domain/briefings/definitions.js';
import {
  categoryLabels,
  periodName,
  riskLabels,
  taskActionLabels,
  taskStatusLabels,
  warningStatusLabels,
} from '../../domain/briefings/labels.js';
import { addAssessmentSheet } from '../assessment/export.js';
import type { BriefingData } from './data.js';

/** The workbook being filled, with what every sheet needs: the data, its language, and the title line. */
interface Book {
  wb: ExcelJS.Workbook;
  d: BriefingData;
  en: boolean;
  /** Scope, period and dates, and the demo label: the first row of every table sheet. */
  title: string;
}

/** A table sheet: the title row and the header row in bold, the first column 24 wide. */
function tableSheet({ wb, title }: Book, name: string, header: string[]) {
  const ws = wb.addWorksheet(name);
  ws.addRow([title]).font = { bold: true };
  ws.addRow(header).font = { bold: true };
  ws.getColumn(1).width = 24;
  return ws;
}

/** The key figures against the previous period and last year: counts, then rates in %. */
function addKpiSheet(b: Book) {
  const { d, en } = b;
  const k = d.kpis;
  const kpi = tableSheet(
    b,
    en ? 'key figures' : '主要指标',
    en
      ? ['figure', 'this period', 'previous', 'change', 'last year', 'year on year']
      : ['指标', '本期', '上期', '环比', '去年同期', '同比'],
  );
  for (const [label, key] of [
    [en ? 'found' : '排查发现', 'found'],
    [en ? 'accepted' : '已受理', 'accepted'],
    [en ? 'resolved' : '已化解', 'resolved'],
    [en ? 'open' : '未办结', 'open'],
  ] as const) {
    kpi.addRow([
      label,
      k.current[key],
      k.previous[key],
      formatChange(countChange(k.current[key], k.previous[key]), 'count', d.lang),
      k.lastYear[key],
      formatChange(countChange(k.current[key], k.lastYear[key]), 'count', d.lang),
    ]);
  }
  const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);
  for (const [label, key] of [
    [en ? 'success rate (%)' : '化解率（%）', 'successRate'],
    [en ? 'settled in the village (%)' : '小事不出村（%）', 'villageLevelRate'],
    [en ? 'settled in the town (%)' : '大事不出镇（%）', 'townLevelRate'],
  ] as const) {
    kpi.addRow([
      label,
      pct(k.current[key]),
      pct(k.previous[key]),
      formatChange(rateChange(k.current[key], k.previous[key]), 'rate', d.lang),
      pct(k.lastYear[key]),
      formatChange(rateChange(k.current[key], k.lastYear[key]), 'rate', d.lang),
    ]);
  }
}

/** Every town (or village), then every category: found and resolved (and open for the units). */
function addUnitAndCategorySheets(b: Book) {
  const { d, en } = b;
  const units = tableSheet(
    b,
    en ? 'units' : d.units.level === 'town' ? '各乡镇' : '各村',
    en ? ['unit', 'found', 'resolved', 'open'] : ['单位', '排查发现', '已化解', '未办结'],
  );
  for (const u of d.units.rows) units.addRow([u.name, u.found, u.resolved, u.open]);
  const cats = tableSheet(
    b,
    en ? 'categories' : '纠纷类型',
    en ? ['category', 'found', 'resolved'] : ['类型', '排查发现', '已化解'],
  );
  for (const c of d.categories) cats.addRow([categoryLabels[d.lang][c.category], c.found, c.resolved]);
}

/** The overdue open cases listed, and how many there are in all. */
function addOverdueCasesSheet(b: Book) {
  const { d, en } = b;
  const overdue = tableSheet(
    b,
    en ? 'overdue' : '超期未结',
    en
      ? ['case no.', 'town', 'village', 'category', 'risk', 'reported', 'days open', 'limit']
      : ['案件编号', '乡镇', '村', '类型', '风险', '上报日期', '已办天数', '时限'],
  );
  for (const c of d.overdue.cases) {
    overdue.addRow([
      c.caseNo,
      c.town,
      c.village,
      categoryLabels[d.lang][c.category],
      riskLabels[d.lang][c.riskLevel],
      c.reported,
      c.age,
      c.limitDays,
    ]);
  }
  overdue.addRow([en ? `${d.overdue.total} overdue in all` : `共${d.overdue.total}件`]);
}

/** The warnings per rule, then the period's new warnings listed and how many were raised in all. */
function addWarningSheets(b: Book) {
  const { d, en } = b;
  const warn = tableSheet(
    b,
    en ? 'warnings' : '预警情况',
    en ? ['rule', 'raised this period', 'open now'] : ['预警规则', '本期新增', '待处置'],
  );
  for (const w of d.warnings) warn.addRow([w.name, w.raised, w.open]);
  const newWarn = tableSheet(
    b,
    en ? 'new warnings' : '本期新增预警',
    en
      ? ['raised', 'rule', 'town', 'village', 'case no.', 'status now']
      : ['触发日期', '预警规则', '乡镇', '村', '案件编号', '当前状态'],
  );
  for (const w of d.newWarnings.items) {
    newWarn.addRow([
      w.raised,
      w.name,
      w.town ?? (en ? 'across towns' : '跨乡镇'),
      w.village,
      w.caseNo,
      warningStatusLabels[d.lang][w.status] ?? w.status,
    ]);
  }
  newWarn.addRow([en ? `${d.newWarnings.total} raised in all` : `共${d.newWarnings.total}条`]);
}

/** The task figures, then the overdue tasks listed and how many there are in all. */
function addTaskSheets(b: Book) {
  const { d, en } = b;
  const tasks = tableSheet(
    b,
    en ? 'tasks' : '交办督办',
    en
      ? ['assigned this period', 'closed this period', 'not closed', 'overdue']
      : ['本期交办', '本期销号', '未销号', '超期未办'],
  );
  tasks.addRow([d.tasks.issued, d.tasks.closed, d.tasks.open, d.tasks.overdue]);
  const overdueTasks = tableSheet(
    b,
    en ? 'overdue tasks' : '超期未办任务',
    en
      ? ['task', 'town', 'village', 'assignee', 'case no.', 'due', 'days overdue', 'status']
      : ['任务', '乡镇', '村', '承办', '案件编号', '办理期限', '超期天数', '状态'],
  );
  for (const t of d.tasks.items) {
    overdueTasks.addRow([
      taskActionLabels[d.lang][t.action] ?? t.action,
      t.town,
      t.village,
      t.station ?? (en ? 'screener' : '网格员'),
      t.caseNo,
      t.dueOn,
      t.daysOverdue,
      taskStatusLabels[d.lang][t.status] ?? t.status,
    ]);
  }
  overdueTasks.addRow([en ? `${d.tasks.overdue} overdue in all` : `共${d.tasks.overdue}项`]);
}

/** The findings, one paragraph a row under the title, then the definitions: text sheets with one wide column. */
function addTextSheets({ wb, d, en, title }: Book) {
  const f = wb.addWorksheet(en ? 'findings' : '情况分析');
  f.addRow([title]).font = { bold: true };
  for (const line of d.findings) f.addRow([line]);
  f.getColumn(1).width = 120;
  const defs = wb.addWorksheet(en ? 'definitions' : '指标口径');
  for (const line of definitions[d.lang]) defs.addRow([line]);
  defs.getColumn(1).width = 160;
}

/**
 * The briefing's tables as a workbook: KPIs, units, categories, overdue cases, warnings, tasks, the ranking, the
 * findings and the definitions.
 */
export async function briefingXlsx(d: BriefingData): Promise<Buffer> {
  const en = d.lang === 'en';
  const wb = new ExcelJS.Workbook();
  const title = `${d.scope.name} ${periodName(d.period, d.lang)} (${d.period.from} — ${d.period.to})${d.demo ? (en ? ' — DEMO, synthetic data' : ' — 演示数据（合成）') : ''}`;
  const b: Book = { wb, d, en, title };
  addKpiSheet(b);
  addUnitAndCategorySheets(b);
  addOverdueCasesSheet(b);
  addWarningSheets(b);
  addTaskSheets(b);
  addAssessmentSheet(wb, d.rooms, d.lang);
  addTextSheets(b);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
