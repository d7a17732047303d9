import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { countChange, formatChange, percent, rateChange } from '../../domain/briefings/change.js';
import { definitions } from '../../domain/briefings/definitions.js';
import {
  type BriefingLang,
  categoryLabels,
  formatDay,
  periodName,
  riskLabels,
  statusLabels,
  taskActionLabels,
  taskStatusLabels,
  warningStatusLabels,
} from '../../domain/briefings/labels.js';
import { HOT_COLOURS, mapSvg, RISK_COLOURS } from '../../domain/briefings/map-svg.js';
import type { Kpis } from '../../domain/kpis.js';
import type { BriefingData } from './data.js';

/**
 * The briefing as an A4 PDF, made on the server with pdfmake and the Noto Sans SC subsets of data/fonts embedded
 * (no browser at run time; the PDF carries its font, so Chinese renders on any reader and pdftotext reads it).
 * The map is SVG drawn from the database's outlines (domain/briefings/map-svg.ts).
 */
interface PdfMake {
  virtualfs: { writeFileSync(name: string, data: Buffer): void };
  setFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (path: string) => boolean): void;
  createPdf(doc: unknown): { getBuffer(): Promise<Buffer> };
}

let engine: PdfMake | null = null;
function pdfmake(): PdfMake {
  if (engine) return engine;
  const require = createRequire(import.meta.url);
  const pm = require('pdfmake') as PdfMake;
  const font = (file: string) => readFileSync(fileURLToPath(new URL(`../../../data/fonts/${file}`, import.meta.url)));
  pm.virtualfs.writeFileSync('NotoSansSC-Regular.otf', font('NotoSansSC-Regular.subset.otf'));
  pm.virtualfs.writeFileSync('NotoSansSC-Bold.otf', font('NotoSansSC-Bold.subset.otf'));
  pm.setFonts({
    NotoSansSC: {
      normal: 'NotoSansSC-Regular.otf',
      bold: 'NotoSansSC-Bold.otf',
      italics: 'NotoSansSC-Regular.otf',
      bolditalics: 'NotoSansSC-Bold.otf',
    },
  });
  // A briefing never fetches anything: fonts come from the virtual file system, images are inline SVG.
  pm.setUrlAccessPolicy(() => false);
  pm.setLocalAccessPolicy(() => false);
  engine = pm;
  return pm;
}

const words = {
  'zh-CN': {
    title: (scope: string) => `${scope}矛盾纠纷排查化解专报`,
    period: '报告期',
    asOf: '数据截至',
    demo: '演示数据：本县数据为合成数据，仅供演示，不代表真实案件',
    findings: '情况分析',
    kpis: '主要指标',
    indicator: '指标',
    current: '本期',
    previous: '上期',
    mom: '环比',
    lastYear: '去年同期',
    yoy: '同比',
    found: '排查发现（件）',
    accepted: '已受理（件）',
    resolved: '已化解（件）',
    open: '未办结（件）',
    successRate: '化解率',
    villageRate: '小事不出村',
    townRate: '大事不出镇',
    map: '纠纷热点与未结红橙色案件分布图',
    legendHot: (size: number) => `热点网格（${size}米六边形，Gi*，置信度 90% / 95% / 99%）`,
    legendRed: '未结红色案件',
    legendOrange: '未结橙色案件',
    legendShade: '底色越深，本期发现纠纷越多',
    topUnits: (level: string) => (level === 'town' ? '各乡镇纠纷情况' : '各村（社区）纠纷情况'),
    unit: (level: string) => (level === 'town' ? '乡镇' : '村（社区）'),
    share: '占比',
    categories: '纠纷类型',
    category: '类型',
    overdue: (n: number, listed: number) =>
      n > listed ? `超期未结案件（共${n}件，列出最久的${listed}件）` : `超期未结案件（共${n}件）`,
    caseNo: '案件编号',
    place: '地点',
    risk: '风险',
    status: '状态',
    reportedOn: '上报日期',
    age: '已办天数 / 时限',
    none: '无',
    warnings: '预警情况',
    rule: '预警规则',
    raised: '本期新增',
    openNow: '待处置',
    newWarnings: (n: number, listed: number) =>
      n > listed ? `本期新增预警（共${n}条，列出最近的${listed}条）` : `本期新增预警（共${n}条）`,
    raisedOn: '触发日期',
    acrossTowns: '跨乡镇',
    tasks: '交办督办任务',
    tasksIssued: '本期交办',
    tasksClosed: '本期销号',
    tasksOpen: '未销号',
    tasksOverdue: '超期未办',
    overdueTasks: (n: number, listed: number) =>
      n > listed ? `超期未办任务（共${n}项，列出超期最久的${listed}项）` : `超期未办任务（共${n}项）`,
    action: '任务',
    assignee: '承办',
    screener: '网格员',
    dueOn: '办理期限',
    daysOverdue: '超期天数',
    rooms: '警司联调室考核排名',
    stations: '站所考核排名',
    rank: '排名',
    room: '单位',
    score: '得分',
    change: '名次变化',
    notRanked: '不排名',
    tied: '并列',
    definitions: '指标口径',
    generated: (d: string) => `生成于 ${d}`,
    page: (i: number, n: number) => `第 ${i} 页 / 共 ${n} 页`,
  },
  en: {
    title: (scope: string) => `${scope}: disputes screening and mediation briefing`,
    period: 'Period',
    asOf: 'data as of',
    demo: 'DEMO: the county data are synthetic, for demonstration only; no real case',
    findings: 'Findings',
    kpis: 'Key figures',
    indicator: 'Figure',
    current: 'This period',
    previous: 'Previous',
    mom: 'Change',
    lastYear: 'Last year',
    yoy: 'Year on year',
    found: 'found (cases)',
    accepted: 'accepted (cases)',
    resolved: 'resolved (cases)',
    open: 'open (cases)',
    successRate: 'success rate',
    villageRate: 'settled in the village',
    townRate: 'settled in the town',
    map: 'Hot spots and open red / orange cases',
    legendHot: (size: number) => `hot-spot cells (${size} m hexagons, Gi*, 90 / 95 / 99 % confidence)`,
    legendRed: 'open red case',
    legendOrange: 'open orange case',
    legendShade: 'darker: more disputes found this period',
    topUnits: (level: string) => (level === 'town' ? 'Towns' : 'Villages'),
    unit: (level: string) => (level === 'town' ? 'town' : 'village'),
    share: 'share',
    categories: 'Categories',
    category: 'category',
    overdue: (n: number, listed: number) =>
      n > listed ? `Overdue open cases (${n}; the ${listed} oldest listed)` : `Overdue open cases (${n})`,
    caseNo: 'case no.',
    place: 'place',
    risk: 'risk',
    status: 'status',
    reportedOn: 'reported',
    age: 'days open / limit',
    none: 'none',
    warnings: 'Early warnings',
    rule: 'rule',
    raised: 'raised this period',
    openNow: 'open now',
    newWarnings: (n: number, listed: number) =>
      n > listed
        ? `Warnings raised this period (${n}; the ${listed} latest listed)`
        : `Warnings raised this period (${n})`,
    raisedOn: 'raised',
    acrossTowns: 'across towns',
    tasks: 'Tasks assigned and supervised',
    tasksIssued: 'assigned this period',
    tasksClosed: 'closed this period',
    tasksOpen: 'not closed',
    tasksOverdue: 'overdue',
    overdueTasks: (n: number, listed: number) =>
      n > listed ? `Overdue tasks (${n}; the ${listed} longest overdue listed)` : `Overdue tasks (${n})`,
    action: 'task',
    assignee: 'assignee',
    screener: 'screener',
    dueOn: 'due',
    daysOverdue: 'days overdue',
    rooms: 'Ranking of the joint mediation rooms',
    stations: 'Ranking of the stations',
    rank: 'rank',
    room: 'unit',
    score: 'score',
    change: 'rank change',
    notRanked: 'not ranked',
    tied: 'tied',
    definitions: 'Definitions',
    generated: (d: string) => `made ${d}`,
    page: (i: number, n: number) => `page ${i} of ${n}`,
  },
} as const;

const GREY = '#6b7280';
const tableLayout = {
  hLineWidth: (i: number) => (i <= 1 ? 0.8 : 0.3),
  vLineWidth: () => 0,
  hLineColor: () => '#9ca3af',
  paddingTop: () => 2,
  paddingBottom: () => 2,
};

type Words = (typeof words)[BriefingLang];
type RateKey = 'successRate' | 'villageLevelRate' | 'townLevelRate';

/** What every section reads: the data, its language's words, and the period as the notes under tables print it. */
interface Briefing {
  d: BriefingData;
  lang: BriefingLang;
  W: Words;
  /** "2023年4月1日 — 2023年4月30日": the period the tables count. */
  dataPeriod: string;
}

const h2 = (text: string) => ({ text, style: 'h2' });
const note = (text: string) => ({ text, style: 'note' });
const header = (cells: string[]) => cells.map((c) => ({ text: c, bold: true, color: '#374151' }));

/** A table with a bold header row and the house's lines; `fontSize` only when the table sets its own. */
function table(widths: (number | string)[], head: string[], rows: unknown[][], fontSize?: number) {
  return {
    table: { headerRows: 1, widths, body: [header(head), ...rows] },
    layout: tableLayout,
    ...(fontSize === undefined ? {} : { fontSize }),
  };
}

/** The rows, or one row saying there are none (as wide as the header). */
const orNone = (rows: unknown[][], W: Words, width: number): unknown[][] =>
  rows.length ? rows : [[W.none, ...Array<string>(width - 1).fill('')]];

/** A place as the lists print it: "town village", the town alone, or across towns (a county-level warning). */
const placeName = (W: Words, town: string | null, village: string | null) =>
  town === null ? W.acrossTowns : village ? `${town} ${village}` : town;

/** A rate with its numerator and denominator: "62.5%（5/8）". */
function rateText(x: Kpis, key: RateKey) {
  const cell = (r: number | null, n: number, of: number) => `${percent(r)}（${n}/${of}）`;
  if (key === 'successRate') return cell(x.successRate, x.resolved, x.found);
  if (key === 'villageLevelRate') return cell(x.villageLevelRate, x.resolvedAtVillage, x.resolved);
  return cell(x.townLevelRate, x.resolvedAtVillage + x.resolvedAtTown, x.resolved);
}

/** The page set-up: size, margins, metadata, styles, and the running header and footer. */
function frame({ d, W }: Briefing, made: string) {
  return {
    pageSize: 'A4',
    pageMargins: [40, 48, 40, 44],
    info: {
      title: W.title(d.scope.name),
      subject: `${d.scope.code} ${d.period.key}`,
      creator: 'lixian-joint-mediation-map',
    },
    defaultStyle: { font: 'NotoSansSC', fontSize: 9, lineHeight: 1.25 },
    styles: {
      title: { fontSize: 17, bold: true, alignment: 'center', margin: [0, 0, 0, 4] },
      h2: { fontSize: 11.5, bold: true, margin: [0, 10, 0, 4], color: '#111827' },
      note: { fontSize: 7.5, color: GREY, margin: [0, 2, 0, 0] },
    },
    header: (page: number) =>
      page === 1
        ? null
        : { text: W.title(d.scope.name), fontSize: 7.5, color: GREY, margin: [40, 20, 40, 0], alignment: 'right' },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: W.generated(made), fontSize: 7.5, color: GREY },
        { text: W.page(page, pages), fontSize: 7.5, color: GREY, alignment: 'right' },
      ],
      margin: [40, 14, 40, 0],
    }),
  };
}

/** The title, the period and the date of the data, the demo banner, and the paragraph of findings. */
function opening({ d, lang, W }: Briefing) {
  const periodLine = `${W.period}：${periodName(d.period, lang)}（${formatDay(d.period.from, lang)} — ${formatDay(d.period.to, lang)}）  ${W.asOf} ${formatDay(d.asOf, lang)}`;
  return [
    { text: W.title(d.scope.name), style: 'title' },
    { text: periodLine, alignment: 'center', color: GREY, fontSize: 9 },
    d.demo
      ? {
          table: {
            widths: ['*'],
            body: [[{ text: W.demo, color: '#991b1b', bold: true, alignment: 'center', fontSize: 8.5 }]],
          },
          layout: { hLineColor: () => '#fca5a5', vLineColor: () => '#fca5a5', fillColor: () => '#fef2f2' },
          margin: [0, 6, 0, 0],
        }
      : { text: '' },
    h2(W.findings),
    { ul: d.findings, margin: [0, 0, 0, 2] },
  ];
}

/** The key figures against the previous period and the same one last year: counts, then rates. */
function kpiSection({ d, lang, W, dataPeriod }: Briefing) {
  const k = d.kpis;
  const countRow = (label: string, key: 'found' | 'accepted' | 'resolved' | 'open') => [
    label,
    { text: String(k.current[key]), bold: true },
    String(k.previous[key]),
    formatChange(countChange(k.current[key], k.previous[key]), 'count', lang),
    String(k.lastYear[key]),
    formatChange(countChange(k.current[key], k.lastYear[key]), 'count', lang),
  ];
  const rateRow = (label: string, key: RateKey) => [
    label,
    { text: rateText(k.current, key), bold: true },
    rateText(k.previous, key),
    formatChange(rateChange(k.current[key], k.previous[key]), 'rate', lang),
    rateText(k.lastYear, key),
    formatChange(rateChange(k.current[key], k.lastYear[key]), 'rate', lang),
  ];
  const day = (x: string) => formatDay(x, lang);
  return [
    h2(W.kpis),
    table(
      [64, 74, 74, '*', 74, '*'],
      [W.indicator, W.current, W.previous, W.mom, W.lastYear, W.yoy],
      [
        countRow(W.found, 'found'),
        countRow(W.accepted, 'accepted'),
        countRow(W.resolved, 'resolved'),
        countRow(W.open, 'open'),
        rateRow(W.successRate, 'successRate'),
        rateRow(W.villageRate, 'villageLevelRate'),
        rateRow(W.townRate, 'townLevelRate'),
      ],
      8,
    ),
    note(
      lang === 'en'
        ? `This period ${dataPeriod}; previous ${d.previous.from} — ${d.previous.to}; last year ${d.lastYear.from} — ${d.lastYear.to}. Rates with (numerator/denominator).`
        : `本期 ${dataPeriod}；上期 ${day(d.previous.from)} — ${day(d.previous.to)}；去年同期 ${day(d.lastYear.from)} — ${day(d.lastYear.to)}。比率后括号内为分子/分母件数。`,
    ),
  ];
}

const legendSwatch = (colour: string, text: string) => ({
  text: [
    { text: '■ ', color: colour },
    { text, color: GREY },
  ],
  fontSize: 7.5,
});
const legendDot = (colour: string, text: string) => ({
  text: [
    { text: '● ', color: colour },
    { text, color: GREY },
  ],
  fontSize: 7.5,
});

/** The map of hot spots and open red / orange cases, with its title and legend kept on one page. */
function mapSection({ d, lang, W, dataPeriod }: Briefing) {
  const width = 515;
  const height = 230;
  const svg = mapSvg({ width, height, shapes: d.map.shapes, hot: d.map.hot, points: d.map.points });
  return {
    unbreakable: true,
    stack: [
      h2(W.map),
      { svg, width, height },
      {
        columns: [
          legendSwatch(HOT_COLOURS[3] as string, W.legendHot(d.map.cellSize)),
          legendDot(RISK_COLOURS.red, W.legendRed),
          legendDot(RISK_COLOURS.orange, W.legendOrange),
          legendSwatch('#b8bcd8', W.legendShade),
        ],
        columnGap: 6,
        margin: [0, 2, 0, 0],
      },
      note(
        `${lang === 'en' ? 'Hot spots of' : '热点为'} ${dataPeriod}${lang === 'en' ? '; open cases as of ' : '；未结案件截至'} ${formatDay(d.asOf, lang)}`,
      ),
    ],
  };
}

/** The first ten towns (or villages), then the categories: found, share of all found, resolved. */
function unitAndCategorySections({ d, lang, W, dataPeriod }: Briefing) {
  const total = d.kpis.current.found;
  const share = (found: number) => percent(total > 0 ? found / total : null);
  const units = d.units.rows
    .slice(0, 10)
    .map((u) => [u.name, String(u.found), share(u.found), String(u.resolved), String(u.open)]);
  const categories = d.categories.map((c) => [
    categoryLabels[lang][c.category],
    String(c.found),
    share(c.found),
    String(c.resolved),
  ]);
  return [
    h2(W.topUnits(d.units.level)),
    table(['*', 60, 60, 60, 60], [W.unit(d.units.level), W.found, W.share, W.resolved, W.open], orNone(units, W, 5)),
    note(dataPeriod),
    h2(W.categories),
    table(['*', 60, 60, 60], [W.category, W.found, W.share, W.resolved], orNone(categories, W, 4)),
    note(dataPeriod),
  ];
}

/** The overdue open cases, the oldest listed, red and orange risk in their colours. */
function overdueCasesSection({ d, lang, W }: Briefing) {
  const rows = d.overdue.cases.map((c) => [
    c.caseNo,
    c.village ? `${c.town} ${c.village}` : c.town,
    categoryLabels[lang][c.category],
    {
      text: riskLabels[lang][c.riskLevel],
      color: c.riskLevel === 'red' ? RISK_COLOURS.red : c.riskLevel === 'orange' ? RISK_COLOURS.orange : undefined,
    },
    statusLabels[lang][c.status] ?? c.status,
    c.reported,
    `${c.age} / ${c.limitDays}`,
  ]);
  return [
    h2(W.overdue(d.overdue.total, d.overdue.cases.length)),
    table(
      [72, '*', 62, 30, 40, 52, 52],
      [W.caseNo, W.place, W.category, W.risk, W.status, W.reportedOn, W.age],
      orNone(rows, W, 7),
      8,
    ),
    note(`${lang === 'en' ? 'As of' : '截至'} ${formatDay(d.asOf, lang)}`),
  ];
}

/** The early warnings: raised and open per rule, then the period's new ones, the latest listed. */
function warningSections({ d, lang, W, dataPeriod }: Briefing) {
  const asOf = formatDay(d.asOf, lang);
  const rows = d.newWarnings.items.map((w) => [
    w.raised,
    w.name,
    placeName(W, w.town, w.village),
    w.caseNo ?? '—',
    warningStatusLabels[lang][w.status] ?? w.status,
  ]);
  return [
    h2(W.warnings),
    table(
      ['*', 80, 80],
      [W.rule, W.raised, W.openNow],
      d.warnings.map((w) => [w.name, String(w.raised), String(w.open)]),
    ),
    note(
      lang === 'en'
        ? `Raised ${dataPeriod}; open as of ${asOf} (early-warning rules, issue 16)`
        : `本期新增为 ${dataPeriod} 内触发的预警；待处置截至 ${asOf}`,
    ),
    h2(W.newWarnings(d.newWarnings.total, d.newWarnings.items.length)),
    table([56, '*', '*', 72, 44], [W.raisedOn, W.rule, W.place, W.caseNo, W.status], orNone(rows, W, 5), 8),
    note(`${dataPeriod}${lang === 'en' ? '; status as of ' : '；状态截至'} ${asOf}`),
  ];
}

/** The tasks: assigned, closed, open and overdue, then the longest overdue listed. */
function taskSections({ d, lang, W, dataPeriod }: Briefing) {
  const t = d.tasks;
  const rows = t.items.map((x) => [
    taskActionLabels[lang][x.action] ?? x.action,
    placeName(W, x.town, x.village),
    x.station ?? W.screener,
    x.caseNo ?? '—',
    x.dueOn,
    String(x.daysOverdue),
    taskStatusLabels[lang][x.status] ?? x.status,
  ]);
  return [
    h2(W.tasks),
    table(
      ['*', '*', '*', '*'],
      [W.tasksIssued, W.tasksClosed, W.tasksOpen, W.tasksOverdue],
      [[String(t.issued), String(t.closed), String(t.open), String(t.overdue)]],
    ),
    h2(W.overdueTasks(t.overdue, t.items.length)),
    table(
      [52, '*', '*', 64, 56, 44, 40],
      [W.action, W.place, W.assignee, W.caseNo, W.dueOn, W.daysOverdue, W.status],
      orNone(rows, W, 7),
      8,
    ),
    note(
      lang === 'en'
        ? `Assigned and closed ${dataPeriod}; open and overdue as of ${formatDay(d.asOf, lang)}`
        : `本期交办、销号为 ${dataPeriod}；未销号、超期截至 ${formatDay(d.asOf, lang)}`,
    ),
  ];
}

/** "↑ 2", "↓ 1", "→ 0", or "—" for a unit not ranked last period. */
const rankChangeText = (change: number | null) =>
  change === null ? '—' : change > 0 ? `↑ ${change}` : change < 0 ? `↓ ${-change}` : '→ 0';

/** The ranking of the joint mediation rooms (county) or stations (town): the first fifteen. */
function rankingSection({ d, lang, W, dataPeriod }: Briefing) {
  const rows = d.rooms.units
    .slice(0, 15)
    .map((u) => [
      u.rank === null ? W.notRanked : `${u.rank}${u.tied ? ` ${W.tied}` : ''}`,
      u.name,
      String(u.found),
      u.score === null ? '—' : u.score.toFixed(1),
      rankChangeText(u.rankChange),
    ]);
  const { version, minCases } = d.rooms.standard;
  return [
    h2(d.rooms.by === 'room' ? W.rooms : W.stations),
    table([52, '*', 60, 50, 60], [W.rank, W.room, W.found, W.score, W.change], orNone(rows, W, 5)),
    note(
      lang === 'en'
        ? `${dataPeriod}; standard version ${version} (at least ${minCases} cases to be ranked); change against ${d.previous.from} — ${d.previous.to}`
        : `${dataPeriod}；考核标准第${version}版（案件不少于${minCases}件方参与排名）；名次变化与上期比较`,
    ),
  ];
}

/** The briefing as a pdfmake document: the page frame, then the sections in reading order. */
export function briefingDocument(d: BriefingData, made: string): unknown {
  const lang = d.lang;
  const s: Briefing = {
    d,
    lang,
    W: words[lang],
    dataPeriod: `${formatDay(d.period.from, lang)} — ${formatDay(d.period.to, lang)}`,
  };
  return {
    ...frame(s, made),
    content: [
      ...opening(s),
      ...kpiSection(s),
      mapSection(s),
      ...unitAndCategorySections(s),
      ...overdueCasesSection(s),
      ...warningSections(s),
      ...taskSections(s),
      ...rankingSection(s),
      h2(s.W.definitions),
      // A copy: pdfmake writes its layout into the arrays it is given.
      { ol: [...definitions[lang]], fontSize: 8, color: '#374151' },
    ],
  };
}

export async function briefingPdf(d: BriefingData, made: string): Promise<Buffer> {
  return pdfmake().createPdf(briefingDocument(d, made)).getBuffer();
}
