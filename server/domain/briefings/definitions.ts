import type { BriefingLang } from './labels.js';

/** What every figure of the briefing counts, printed at its end (PDF) and on its own sheet (XLSX). */
export const definitions: Record<BriefingLang, string[]> = {
  'zh-CN': [
    '排查发现：报告期内上报的矛盾纠纷件数（按上报日期，北京时间）；已受理、已化解、未办结为这些案件截至数据日期的状态。',
    '化解率 = 已化解 ÷ 排查发现（与县级通报口径一致）。',
    '小事不出村 = 在村级化解的件数 ÷ 已化解；大事不出镇 = 在村、镇两级化解的件数 ÷ 已化解。',
    '环比：与上一个同长度的报告期比较；同比：与去年同期比较。件数给出增减件数及幅度，比率给出增减百分点。',
    '超期未结：截至数据日期仍未办结、且已办天数超过该类纠纷办理时限（默认30天，医疗、劳资15天）的案件。',
    '热点：报告期内纠纷在六边形网格上的 Getis-Ord Gi* 检验（相邻六格，FDR 校正），置信度90%以上的热点网格。',
    '预警：按预警规则（议题16）自动触发的预警；本期新增按触发日期计，待处置为截至数据日期状态仍为“待处置”的预警。预警没有办理期限，超期以交办任务计。',
    '交办督办任务：本期交办按交办日期、本期销号按销号日期计；超期未办为截至数据日期仍待签收、办理中或被退回，且已过办理期限的任务（与任务督办口径一致）。',
    '考核得分：按当期施行的考核标准，各指标得分 = 权重 × (指标值 − 起评值) ÷ (目标值 − 起评值)（截断在0与权重之间），无法计算的指标不计入；案件数少于标准规定最低数的单位不排名。',
  ],
  en: [
    'Found: disputes reported in the period (by reporting day, China time); accepted, resolved and open are the state of those cases on the data date.',
    'Success rate = resolved ÷ found (the county report’s definition).',
    'Settled in the village = resolved at village level ÷ resolved; in the town = resolved at village or town level ÷ resolved.',
    'Change: against the previous period of the same length; year on year: against the same period last year. Counts show the difference and its relative size, rates the difference in percentage points.',
    'Overdue open cases: still open on the data date and open longer than their category’s limit (30 days by default, 15 for medical and wage disputes).',
    'Hot spots: Getis-Ord Gi* over the period’s disputes on a hexagon grid (six neighbours, FDR-corrected), cells at 90 % confidence or more.',
    'Early warnings: raised by the warning rules (issue 16); raised this period by the day raised, open now as still open on the data date. Warnings have no deadline: overdue is counted on tasks.',
    'Tasks: assigned this period by the day assigned, closed by the day closed; overdue: still to accept, in hand or sent back on the data date and past the due date (as the tasks view counts them).',
    'Assessment score: under the standard in force, each indicator earns weight × (value − floor) ÷ (target − floor), clamped to 0…weight; indicators without a value are left out; units with fewer cases than the standard’s minimum are not ranked.',
  ],
};
