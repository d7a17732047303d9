import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { countChange, formatChange, percent, rateChange } from '../../domain/briefings/change.js';
import {
  type BriefingLang,
  categoryLabels,
  formatDay,
  periodName,
  riskLabels,
  statusLabels,
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

const definitions: Record<BriefingLang, string[]> = {
  'zh-CN': [
    '排查发现：报告期内上报的矛盾纠纷件数（按上报日期，北京时间）；已受理、已化解、未办结为这些案件截至数据日期的状态。',
    '化解率 = 已化解 ÷ 排查发现（与县级通报口径一致）。',
    '小事不出村 = 在村级化解的件数 ÷ 已化解；大事不出镇 = 在村、镇两级化解的件数 ÷ 已化解。',
    '环比：与上一个同长度的报告期比较；同比：与去年同期比较。件数给出增减件数及幅度，比率给出增减百分点。',
    '超期未结：截至数据日期仍未办结、且已办天数超过该类纠纷办理时限（默认30天，医疗、劳资15天）的案件。',
    '热点：报告期内纠纷在六边形网格上的 Getis-Ord Gi* 检验（相邻六格，FDR 校正），置信度90%以上的热点网格。',
    '考核得分：按当期施行的考核标准，各指标得分 = 权重 × (指标值 − 起评值) ÷ (目标值 − 起评值)（截断在0与权重之间），无法计算的指标不计入；案件数少于标准规定最低数的单位不排名。',
  ],
  en: [
    'Found: disputes reported in the period (by reporting day, China time); accepted, resolved and open are the state of those cases on the data date.',
    'Success rate = resolved ÷ found (the county report’s definition).',
    'Settled in the village = resolved at village level ÷ resolved; in the town = resolved at village or town level ÷ resolved.',
    'Change: against the previous period of the same length; year on year: against the same period last year. Counts show the difference and its relative size, rates the difference in percentage points.',
    'Overdue open cases: still open on the data date and open longer than their category’s limit (30 days by default, 15 for medical and wage disputes).',
    'Hot spots: Getis-Ord Gi* over the period’s disputes on a hexagon grid (six neighbours, FDR-corrected), cells at 90 % confidence or more.',
    'Assessment score: under the standard in force, each indicator earns weight × (value − floor) ÷ (target − floor), clamped to 0…weight; indicators without a value are left out; units with fewer cases than the standard’s minimum are not ranked.',
  ],
};

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
      { ol: definitions[lang], fontSize: 8, color: '#374151' },
    ],
  };
}

export async function briefingPdf(d: BriefingData, made: string): Promise<Buffer> {
  return pdfmake().createPdf(briefingDocument(d, made)).getBuffer();
}
