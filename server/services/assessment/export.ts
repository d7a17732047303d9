import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { IndicatorKey } from '../../domain/assessment/indicators.js';
import type { Assessment } from './index.js';

/** The ranking as a table (CSV for any tool, XLSX for Excel/WPS), in the caller's language. */
export type Lang = 'zh-CN' | 'en';

const labels: Record<Lang, Record<IndicatorKey | string, string>> = {
  'zh-CN': {
    rank: '排名',
    tied: '并列',
    notRanked: '不参与排名（案件过少）',
    noValue: '不参与排名（无可计算指标）',
    name: '单位',
    town: '所属乡镇',
    found: '排查发现',
    score: '得分',
    change: '名次变化',
    median: '全县中位数',
    points: '得分',
    acceptance_rate: '受理率',
    success_rate: '调解成功率',
    village_share: '小事不出村',
    town_share: '大事不出镇',
    overdue_rate: '超期率',
    days_to_accept: '平均受理天数',
    days_to_resolve: '平均化解天数',
    screening_completeness: '排查完成率',
    repeat_rate: '重复纠纷率',
    reopen_rate: '反弹率',
  },
  en: {
    rank: 'rank',
    tied: 'tied',
    notRanked: 'not ranked (too few cases)',
    noValue: 'not ranked (no indicator computable)',
    name: 'unit',
    town: 'town',
    found: 'found',
    score: 'score',
    change: 'rank change',
    median: 'county median',
    points: 'points',
    acceptance_rate: 'acceptance rate',
    success_rate: 'success rate',
    village_share: 'settled in village',
    town_share: 'settled in town',
    overdue_rate: 'overdue rate',
    days_to_accept: 'mean days to accept',
    days_to_resolve: 'mean days to resolve',
    screening_completeness: 'screening completeness',
    repeat_rate: 'repeat rate',
    reopen_rate: 'reopen rate',
  },
};

export const indicatorLabel = (lang: Lang, key: IndicatorKey) => labels[lang][key] as string;

function table(a: Assessment, lang: Lang): (string | number | null)[][] {
  const L = labels[lang];
  const keys = a.standard.indicators.map((i) => i.key);
  const header = [
    L.rank,
    L.name,
    L.town,
    L.found,
    L.score,
    L.change,
    ...keys.flatMap((k) => [`${L[k]}`, `${L[k]} (n/N)`, `${L[k]} ${L.points}`]),
  ] as string[];
  const fmt = (k: IndicatorKey, v: number | null) =>
    v === null ? null : a.definitions[k].unit === 'rate' ? Math.round(v * 10000) / 100 : Math.round(v * 100) / 100;
  const rows = a.units.map((u) => [
    u.rank === null
      ? ((u.notRankedReason === 'no_value' ? L.noValue : L.notRanked) as string)
      : `${u.rank}${u.tied ? ` (${L.tied})` : ''}`,
    u.name,
    u.townName,
    u.found,
    u.score,
    u.rankChange,
    ...u.indicators.flatMap((i) => [fmt(i.key, i.value), `${i.numerator}/${i.denominator}`, i.points]),
  ]);
  const median = [
    L.median as string,
    '',
    '',
    null,
    a.median.score,
    null,
    ...keys.flatMap((k) => [fmt(k, a.median.indicators[k] ?? null), '', null]),
  ];
  return [header, ...rows, median];
}

export function assessmentCsv(a: Assessment, lang: Lang): Buffer {
  // A BOM so that Excel opens the UTF-8 Chinese headers correctly.
  return Buffer.concat([Buffer.from('\ufeff'), Buffer.from(stringify(table(a, lang)))]);
}

export async function assessmentXlsx(a: Assessment, lang: Lang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  addAssessmentSheet(wb, a, lang);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function addAssessmentSheet(wb: ExcelJS.Workbook, a: Assessment, lang: Lang, name?: string) {
  const ws = wb.addWorksheet(name ?? (lang === 'en' ? 'assessment' : '考核排名'));
  const title =
    lang === 'en'
      ? `Assessment ${a.period.from} to ${a.period.to}, standard version ${a.standard.version}; rates in %`
      : `考核排名 ${a.period.from} 至 ${a.period.to}（考核标准第 ${a.standard.version} 版；比率单位为 %）`;
  ws.addRow([title]).font = { bold: true };
  const rows = table(a, lang);
  ws.addRow(rows[0] as string[]).font = { bold: true };
  for (const r of rows.slice(1)) ws.addRow(r);
  ws.getColumn(2).width = 28;
  ws.getColumn(3).width = 14;
  return ws;
}
