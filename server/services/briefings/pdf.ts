import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { countChange, formatChange, percent, rateChange } from '../../domain/briefings/change.js';
import { definitions } from '../../domain/briefings/definitions.js';
import {
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

export function briefingDocument(d: BriefingData, made: string): unknown {
  const lang = d.lang;
  const W = words[lang];
  const k = d.kpis;
  const rateCell = (x: number | null, n: number, of: number) => `${percent(x)}（${n}/${of}）`;
  const countRow = (label: string, key: 'found' | 'accepted' | 'resolved' | 'open') => [
    label,
    { text: String(k.current[key]), bold: true },
    String(k.previous[key]),
    formatChange(countChange(k.current[key], k.previous[key]), 'count', lang),
    String(k.lastYear[key]),
    formatChange(countChange(k.current[key], k.lastYear[key]), 'count', lang),
  ];
  const rate = (x: Kpis, key: 'successRate' | 'villageLevelRate' | 'townLevelRate') => {
    if (key === 'successRate') return rateCell(x.successRate, x.resolved, x.found);
    if (key === 'villageLevelRate') return rateCell(x.villageLevelRate, x.resolvedAtVillage, x.resolved);
    return rateCell(x.townLevelRate, x.resolvedAtVillage + x.resolvedAtTown, x.resolved);
  };
  const rateRow = (label: string, key: 'successRate' | 'villageLevelRate' | 'townLevelRate') => [
    label,
    { text: rate(k.current, key), bold: true },
    rate(k.previous, key),
    formatChange(rateChange(k.current[key], k.previous[key]), 'rate', lang),
    rate(k.lastYear, key),
    formatChange(rateChange(k.current[key], k.lastYear[key]), 'rate', lang),
  ];
  const periodLine = `${W.period}：${periodName(d.period, lang)}（${formatDay(d.period.from, lang)} — ${formatDay(d.period.to, lang)}）  ${W.asOf} ${formatDay(d.asOf, lang)}`;
  const mapWidth = 515;
  const mapHeight = 230;
  const svg = mapSvg({
    width: mapWidth,
    height: mapHeight,
    shapes: d.map.shapes,
    hot: d.map.hot,
    points: d.map.points,
  });
  const swatch = (colour: string, text: string) => ({
    text: [
      { text: '■ ', color: colour },
      { text, color: GREY },
    ],
    fontSize: 7.5,
  });
  const dot = (colour: string, text: string) => ({
    text: [
      { text: '● ', color: colour },
      { text, color: GREY },
    ],
    fontSize: 7.5,
  });

  const total = k.current.found;
  const unitRows = d.units.rows
    .slice(0, 10)
    .map((u) => [
      u.name,
      String(u.found),
      percent(total > 0 ? u.found / total : null),
      String(u.resolved),
      String(u.open),
    ]);
  const catRows = d.categories.map((c) => [
    categoryLabels[lang][c.category],
    String(c.found),
    percent(total > 0 ? c.found / total : null),
    String(c.resolved),
  ]);
  const overdueRows = d.overdue.cases.map((c) => [
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
  const place = (town: string | null, village: string | null) =>
    town === null ? W.acrossTowns : village ? `${town} ${village}` : town;
  const warningRows = d.newWarnings.items.map((w) => [
    w.raised,
    w.name,
    place(w.town, w.village),
    w.caseNo ?? '—',
    warningStatusLabels[lang][w.status] ?? w.status,
  ]);
  const taskRows = d.tasks.items.map((t) => [
    taskActionLabels[lang][t.action] ?? t.action,
    place(t.town, t.village),
    t.station ?? W.screener,
    t.caseNo ?? '—',
    t.dueOn,
    String(t.daysOverdue),
    taskStatusLabels[lang][t.status] ?? t.status,
  ]);
  const ranked = d.rooms.units
    .slice(0, 15)
    .map((u) => [
      u.rank === null ? W.notRanked : `${u.rank}${u.tied ? ` ${W.tied}` : ''}`,
      u.name,
      String(u.found),
      u.score === null ? '—' : u.score.toFixed(1),
      u.rankChange === null
        ? '—'
        : u.rankChange > 0
          ? `↑ ${u.rankChange}`
          : u.rankChange < 0
            ? `↓ ${-u.rankChange}`
            : '→ 0',
    ]);
  const header = (cells: string[]) => cells.map((c) => ({ text: c, bold: true, color: '#374151' }));
  const h2 = (text: string) => ({ text, style: 'h2' });
  const note = (text: string) => ({ text, style: 'note' });
  const dataPeriod = `${formatDay(d.period.from, lang)} — ${formatDay(d.period.to, lang)}`;

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
    content: [
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
      h2(W.kpis),
      {
        table: {
          headerRows: 1,
          widths: [64, 74, 74, '*', 74, '*'],
          body: [
            header([W.indicator, W.current, W.previous, W.mom, W.lastYear, W.yoy]),
            countRow(W.found, 'found'),
            countRow(W.accepted, 'accepted'),
            countRow(W.resolved, 'resolved'),
            countRow(W.open, 'open'),
            rateRow(W.successRate, 'successRate'),
            rateRow(W.villageRate, 'villageLevelRate'),
            rateRow(W.townRate, 'townLevelRate'),
          ],
        },
        layout: tableLayout,
        fontSize: 8,
      },
      note(
        lang === 'en'
          ? `This period ${dataPeriod}; previous ${d.previous.from} — ${d.previous.to}; last year ${d.lastYear.from} — ${d.lastYear.to}. Rates with (numerator/denominator).`
          : `本期 ${dataPeriod}；上期 ${formatDay(d.previous.from, lang)} — ${formatDay(d.previous.to, lang)}；去年同期 ${formatDay(d.lastYear.from, lang)} — ${formatDay(d.lastYear.to, lang)}。比率后括号内为分子/分母件数。`,
      ),
      {
        // The map, its title and legend stay together on one page.
        unbreakable: true,
        stack: [
          h2(W.map),
          { svg, width: mapWidth, height: mapHeight },
          {
            columns: [
              swatch(HOT_COLOURS[3] as string, W.legendHot(d.map.cellSize)),
              dot(RISK_COLOURS.red, W.legendRed),
              dot(RISK_COLOURS.orange, W.legendOrange),
              swatch('#b8bcd8', W.legendShade),
            ],
            columnGap: 6,
            margin: [0, 2, 0, 0],
          },
          note(
            `${lang === 'en' ? 'Hot spots of' : '热点为'} ${dataPeriod}${lang === 'en' ? '; open cases as of ' : '；未结案件截至'} ${formatDay(d.asOf, lang)}`,
          ),
        ],
      },
      h2(W.topUnits(d.units.level)),
      {
        table: {
          headerRows: 1,
          widths: ['*', 60, 60, 60, 60],
          body: [
            header([W.unit(d.units.level), W.found, W.share, W.resolved, W.open]),
            ...(unitRows.length ? unitRows : [[W.none, '', '', '', '']]),
          ],
        },
        layout: tableLayout,
      },
      note(dataPeriod),
      h2(W.categories),
      {
        table: {
          headerRows: 1,
          widths: ['*', 60, 60, 60],
          body: [
            header([W.category, W.found, W.share, W.resolved]),
            ...(catRows.length ? catRows : [[W.none, '', '', '']]),
          ],
        },
        layout: tableLayout,
      },
      note(dataPeriod),
      h2(W.overdue(d.overdue.total, d.overdue.cases.length)),
      {
        table: {
          headerRows: 1,
          widths: [72, '*', 62, 30, 40, 52, 52],
          body: [
            header([W.caseNo, W.place, W.category, W.risk, W.status, W.reportedOn, W.age]),
            ...(overdueRows.length ? overdueRows : [[W.none, '', '', '', '', '', '']]),
          ],
        },
        layout: tableLayout,
        fontSize: 8,
      },
      note(`${lang === 'en' ? 'As of' : '截至'} ${formatDay(d.asOf, lang)}`),
      h2(W.warnings),
      {
        table: {
          headerRows: 1,
          widths: ['*', 80, 80],
          body: [
            header([W.rule, W.raised, W.openNow]),
            ...d.warnings.map((w) => [w.name, String(w.raised), String(w.open)]),
          ],
        },
        layout: tableLayout,
      },
      note(
        lang === 'en'
          ? `Raised ${dataPeriod}; open as of ${formatDay(d.asOf, lang)} (early-warning rules, issue 16)`
          : `本期新增为 ${dataPeriod} 内触发的预警；待处置截至 ${formatDay(d.asOf, lang)}`,
      ),
      h2(W.newWarnings(d.newWarnings.total, d.newWarnings.items.length)),
      {
        table: {
          headerRows: 1,
          widths: [56, '*', '*', 72, 44],
          body: [
            header([W.raisedOn, W.rule, W.place, W.caseNo, W.status]),
            ...(warningRows.length ? warningRows : [[W.none, '', '', '', '']]),
          ],
        },
        layout: tableLayout,
        fontSize: 8,
      },
      note(`${dataPeriod}${lang === 'en' ? '; status as of ' : '；状态截至'} ${formatDay(d.asOf, lang)}`),
      h2(W.tasks),
      {
        table: {
          headerRows: 1,
          widths: ['*', '*', '*', '*'],
          body: [
            header([W.tasksIssued, W.tasksClosed, W.tasksOpen, W.tasksOverdue]),
            [String(d.tasks.issued), String(d.tasks.closed), String(d.tasks.open), String(d.tasks.overdue)],
          ],
        },
        layout: tableLayout,
      },
      h2(W.overdueTasks(d.tasks.overdue, d.tasks.items.length)),
      {
        table: {
          headerRows: 1,
          widths: [52, '*', '*', 64, 56, 44, 40],
          body: [
            header([W.action, W.place, W.assignee, W.caseNo, W.dueOn, W.daysOverdue, W.status]),
            ...(taskRows.length ? taskRows : [[W.none, '', '', '', '', '', '']]),
          ],
        },
        layout: tableLayout,
        fontSize: 8,
      },
      note(
        lang === 'en'
          ? `Assigned and closed ${dataPeriod}; open and overdue as of ${formatDay(d.asOf, lang)}`
          : `本期交办、销号为 ${dataPeriod}；未销号、超期截至 ${formatDay(d.asOf, lang)}`,
      ),
      h2(d.rooms.by === 'room' ? W.rooms : W.stations),
      {
        table: {
          headerRows: 1,
          widths: [52, '*', 60, 50, 60],
          body: [
            header([W.rank, W.room, W.found, W.score, W.change]),
            ...(ranked.length ? ranked : [[W.none, '', '', '', '']]),
          ],
        },
        layout: tableLayout,
      },
      note(
        lang === 'en'
          ? `${dataPeriod}; standard version ${d.rooms.standard.version} (at least ${d.rooms.standard.minCases} cases to be ranked); change against ${d.previous.from} — ${d.previous.to}`
          : `${dataPeriod}；考核标准第${d.rooms.standard.version}版（案件不少于${d.rooms.standard.minCases}件方参与排名）；名次变化与上期比较`,
      ),
      h2(W.definitions),
      // A copy: pdfmake writes its layout into the arrays it is given.
      { ol: [...definitions[lang]], fontSize: 8, color: '#374151' },
    ],
  };
}

export async function briefingPdf(d: BriefingData, made: string): Promise<Buffer> {
  return pdfmake().createPdf(briefingDocument(d, made)).getBuffer();
}
