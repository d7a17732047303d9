import type { Kpis } from '../kpis.js';
import type { DisputeCategory } from '../vocabulary.js';
import { countChange, percent, rateChange } from './change.js';
import { type BriefingLang, categoryLabels } from './labels.js';

/**
 * The briefing's paragraph of findings (情况分析): template sentences filled with the period's figures, in plain
 * Chinese (or English). No external service: the same figures always give the same words.
 */
export interface FindingsInput {
  lang: BriefingLang;
  scopeName: string;
  current: Kpis;
  previous: Kpis;
  lastYear: Kpis;
  topUnits: { name: string; found: number }[];
  categories: { category: DisputeCategory; found: number }[];
  overdue: number;
  hotCells: number;
  cellSize: number;
  topRoom: { name: string; score: number | null } | null;
  /** Early warnings raised in the period and open now. */
  warnings: { raised: number; open: number };
  /** Tasks issued and closed in the period, overdue now (absent: not counted). */
  tasks?: { issued: number; closed: number; overdue: number };
}

const pts = (c: { diff: number | null }) => Math.abs(c.diff ?? 0).toFixed(1);

export function findings(f: FindingsInput): string[] {
  const zh = f.lang === 'zh-CN';
  const out: string[] = [];
  const c = f.current;
  const found = countChange(c.found, f.previous.found);
  const yoy = countChange(c.found, f.lastYear.found);
  if (c.found === 0) {
    out.push(zh ? `本期${f.scopeName}未排查发现矛盾纠纷。` : `No disputes were found in ${f.scopeName} this period.`);
  } else if (zh) {
    const trend = (d: number, what: string) =>
      d === 0 ? `与${what}持平` : `较${what}${d > 0 ? '增加' : '减少'}${Math.abs(d)}件`;
    out.push(
      `本期${f.scopeName}共排查发现矛盾纠纷${c.found}件，已化解${c.resolved}件，化解率${percent(c.successRate)}；` +
        `发现数${trend(found.diff ?? 0, '上期')}，${trend(yoy.diff ?? 0, '去年同期')}。`,
    );
  } else {
    const trend = (d: number, what: string) =>
      d === 0 ? `level with ${what}` : `${Math.abs(d)} ${d > 0 ? 'more' : 'fewer'} than ${what}`;
    out.push(
      `${f.scopeName} found ${c.found} disputes this period and resolved ${c.resolved} of them (${percent(c.successRate)}); ` +
        `${trend(found.diff ?? 0, 'the previous period')}, ${trend(yoy.diff ?? 0, 'the same period last year')}.`,
    );
  }
  if (c.resolved > 0) {
    const v = rateChange(c.villageLevelRate, f.previous.villageLevelRate);
    const move = zh
      ? v.diff === null
        ? ''
        : v.diff === 0
          ? '，与上期持平'
          : `，较上期${v.diff > 0 ? '上升' : '下降'}${pts(v)}个百分点`
      : v.diff === null
        ? ''
        : v.diff === 0
          ? ', level with the previous period'
          : `, ${v.diff > 0 ? 'up' : 'down'} ${pts(v)} points on the previous period`;
    out.push(
      zh
        ? `小事不出村比例${percent(c.villageLevelRate)}${move}；大事不出镇比例${percent(c.townLevelRate)}。`
        : `${percent(c.villageLevelRate)} were settled in the village${move}; ${percent(c.townLevelRate)} within the town.`,
    );
  }
  const units = f.topUnits.filter((u) => u.found > 0).slice(0, 2);
  const cat = f.categories[0];
  if (units.length > 0 && cat) {
    const share = percent(c.found > 0 ? cat.found / c.found : null);
    const label = categoryLabels[f.lang][cat.category];
    out.push(
      zh
        ? `纠纷主要集中在${units.map((u) => `${u.name}（${u.found}件）`).join('、')}，类型以${label}为主（占${share}）。`
        : `Most cases came from ${units.map((u) => `${u.name} (${u.found})`).join(' and ')}; the largest category was ${label} (${share}).`,
    );
  }
  out.push(
    f.overdue > 0
      ? zh
        ? `目前仍有${f.overdue}件案件超过办理时限未办结，请相关乡镇督促办理。`
        : `${f.overdue} open cases are past their time limit and need following up.`
      : zh
        ? '目前无超过办理时限的未结案件。'
        : 'No open case is past its time limit.',
  );
  if (f.warnings.raised > 0 || f.warnings.open > 0) {
    out.push(
      zh
        ? `本期新增预警${f.warnings.raised}条，目前尚有${f.warnings.open}条预警待处置。`
        : `${f.warnings.raised} early warnings were raised this period; ${f.warnings.open} are still open.`,
    );
  }
  if (f.tasks && (f.tasks.issued > 0 || f.tasks.overdue > 0)) {
    const t = f.tasks;
    out.push(
      zh
        ? `本期交办任务${t.issued}项、办结${t.closed}项；目前超期未办${t.overdue}项${t.overdue > 0 ? '，需督办' : ''}。`
        : `${t.issued} tasks were assigned and ${t.closed} closed this period; ${t.overdue} are overdue now${t.overdue > 0 ? ' and need supervising' : ''}.`,
    );
  }
  if (f.hotCells > 0) {
    out.push(
      zh
        ? `本期识别出${f.hotCells}个纠纷热点网格（${f.cellSize}米六边形，Gi*检验，置信度90%以上），见图中红色区域。`
        : `${f.hotCells} hot-spot cells (${f.cellSize} m hexagons, Gi*, 90 % confidence or more) are shown in red on the map.`,
    );
  }
  if (f.topRoom) {
    const score =
      f.topRoom.score === null ? '' : zh ? `（${f.topRoom.score.toFixed(1)}分）` : ` (${f.topRoom.score.toFixed(1)})`;
    out.push(
      zh
        ? `警司联调室考核排名第一的是${f.topRoom.name}${score}。`
        : `The top-ranked joint mediation room is ${f.topRoom.name}${score}.`,
    );
  }
  return out;
}
