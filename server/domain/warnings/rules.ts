import { type WarningRuleCode, warningRuleCodes } from '../../contract/vocabulary.js';
import { CELL_SIZE_LADDER } from '../stats/hexgrid.js';

/**
 * The early-warning rules (预警, issue 16): each a stable code, a definition people read in the app (zh-CN and
 * en, with the thresholds in force filled in), and thresholds that are the county's settings. A threshold's
 * limits live here, so the API's validation and the documentation cannot drift apart.
 */
export const ruleCodes = warningRuleCodes;
export type RuleCode = WarningRuleCode;

export const isRuleCode = (s: string): s is RuleCode => (ruleCodes as readonly string[]).includes(s);

export interface ThresholdSpec {
  min: number;
  max: number;
  /** The only values allowed (e.g. the hexagon sizes of the stored grid). */
  oneOf?: readonly number[];
  unit: 'hours' | 'days' | 'cases' | 'points' | 'months' | 'metres' | 'per_mediator';
}

export interface RuleSpec {
  code: RuleCode;
  /** Does time alone (not a write) make it fire? Those the scheduler evaluates. */
  timeBased: boolean;
  /** Does a case write change its inputs? Those are evaluated inside the write's transaction. */
  caseDriven: boolean;
  thresholds: Record<string, ThresholdSpec>;
  defaults: Record<string, number>;
  name: { zh: string; en: string };
  /** `{name}` placeholders are the thresholds. */
  definition: { zh: string; en: string };
}

export type Thresholds = Record<string, number>;

export const rules: Record<RuleCode, RuleSpec> = {
  acceptance_overdue: {
    code: 'acceptance_overdue',
    timeBased: true,
    caseDriven: true,
    thresholds: {
      redHours: { min: 1, max: 720, unit: 'hours' },
      orangeHours: { min: 1, max: 720, unit: 'hours' },
    },
    defaults: { redHours: 24, orangeHours: 48 },
    name: { zh: '高风险案件超时未受理', en: 'High-risk case not accepted in time' },
    definition: {
      zh: '红色风险案件登记后 {redHours} 小时、橙色风险案件登记后 {orangeHours} 小时仍未受理（仍为“已登记”）。红色案件为县级预警。',
      en: 'A red-risk case still not accepted (status "reported") {redHours} hours after it was reported, or an orange-risk case after {orangeHours} hours. Red cases are county-level warnings.',
    },
  },
  repeat_party: {
    code: 'repeat_party',
    timeBased: false,
    caseDriven: true,
    thresholds: {
      minCases: { min: 2, max: 50, unit: 'cases' },
      windowDays: { min: 7, max: 730, unit: 'days' },
    },
    defaults: { minCases: 3, windowDays: 90 },
    name: { zh: '同一当事人多次涉案', en: 'Same party in repeated cases' },
    definition: {
      zh: '同一当事人（按身份证号或手机号的加密散列匹配，不比对明文）在 {windowDays} 天内涉及 {minCases} 件及以上案件。跨乡镇时为县级预警。',
      en: 'The same party (matched on the keyed hash of the ID-card number or phone, never the clear value) appears in {minCases} or more cases reported within {windowDays} days. County-level when the cases span towns.',
    },
  },
  escalation: {
    code: 'escalation',
    timeBased: true,
    caseDriven: true,
    thresholds: {
      minScore: { min: 1, max: 100, unit: 'points' },
      minRise: { min: 1, max: 100, unit: 'points' },
    },
    defaults: { minScore: 50, minRise: 10 },
    name: { zh: '民转刑风险升高', en: 'Escalation risk high or rising' },
    definition: {
      zh: '未结案件的民转刑风险分达到 {minScore} 分，或比前 7 天内的最低分上升 {minRise} 分及以上（风险分见案件详情：类别、风险等级、重复、威胁、伤害、在办天数）。',
      en: 'An open case whose escalation score reaches {minScore}, or has risen by {minRise} points or more above its lowest score of the previous 7 days (the score as on the case page: category, risk level, repeats, threats, injuries, days open).',
    },
  },
  emerging_hotspot: {
    code: 'emerging_hotspot',
    timeBased: true,
    caseDriven: false,
    thresholds: {
      cellSize: { min: 250, max: 7500, oneOf: CELL_SIZE_LADDER, unit: 'metres' },
      recentMonths: { min: 1, max: 60, unit: 'months' },
    },
    defaults: { cellSize: 1000, recentMonths: 12 },
    name: { zh: '新兴或加剧热点', en: 'New or intensifying hot spot' },
    definition: {
      zh: '新兴热点分析（{cellSize} 米六边形网格，近 {recentMonths} 个月与此前比较，Gi* 与 Mann–Kendall 趋势检验）中本月为“新增”或“加剧”的网格，每格每月一次。',
      en: 'A hexagon ({cellSize} m grid) that the emerging hot spot analysis (the last {recentMonths} months against the months before; Gi* and a Mann–Kendall trend test) finds new or intensifying this month; once per cell and month.',
    },
  },
  screening_overdue: {
    code: 'screening_overdue',
    timeBased: true,
    caseDriven: false,
    thresholds: { graceDays: { min: 0, max: 60, unit: 'days' } },
    defaults: { graceDays: 0 },
    name: { zh: '村（社区）排查逾期', en: 'Village overdue in the screening round' },
    definition: {
      zh: '当前排查轮次（每类最近已开始的一轮）截止日后超过 {graceDays} 天，村（社区）仍未上报隐患或零报告。',
      en: 'A village that has neither reported risks nor made a zero report more than {graceDays} days after the due date of the current screening round (the latest started round of each kind).',
    },
  },
  room_overload: {
    code: 'room_overload',
    timeBased: true,
    caseDriven: true,
    thresholds: { maxOpenPerMediator: { min: 1, max: 500, unit: 'per_mediator' } },
    defaults: { maxOpenPerMediator: 25 },
    name: { zh: '联调室人均在办案件过多', en: 'Mediation room overloaded' },
    definition: {
      zh: '警司联调室在办案件数除以调解员人数超过 {maxOpenPerMediator} 件（调解员人数按名册中在任、服务于该室的调解员计），每室每周一次。',
      en: 'A joint mediation room whose open cases per mediator exceed {maxOpenPerMediator} (the register’s active mediators serving the room); once per room and week.',
    },
  },
  reopened_soon: {
    code: 'reopened_soon',
    timeBased: false,
    caseDriven: true,
    thresholds: { withinDays: { min: 1, max: 365, unit: 'days' } },
    defaults: { withinDays: 30 },
    name: { zh: '化解后短期内复发', en: 'Resolved case reopened soon' },
    definition: {
      zh: '已化解案件在化解后 {withinDays} 天内复发（重新登记为关联新案）。',
      en: 'A resolved case that flares up again (is reopened as a linked new case) within {withinDays} days of its resolution.',
    },
  },
  mediator_register: {
    code: 'mediator_register',
    timeBased: true,
    caseDriven: false,
    thresholds: {
      withinDays: { min: 1, max: 365, unit: 'days' },
      requiredHours: { min: 0, max: 500, unit: 'hours' },
    },
    defaults: { withinDays: 60, requiredHours: 24 },
    name: { zh: '调解员名册提醒', en: 'Mediator register' },
    definition: {
      zh: '在任调解员的聘期或调解员资格将在 {withinDays} 天内到期（或已过期）；警司联调室没有在任的驻所司法助理员；调解员近 365 天培训不足 {requiredHours} 小时。每人（每室）每项每月一次。',
      en: 'An active mediator whose appointment or qualification ends within {withinDays} days (or has ended); a joint mediation room without an active judicial assistant; a mediator with fewer than {requiredHours} training hours over the last 365 days. Once per person (room), check and month.',
    },
  },
};

/** A rule's thresholds as stored (possibly missing keys added since), filled in with its defaults. */
export function thresholdsOf(code: RuleCode, stored: Thresholds | null | undefined): Thresholds {
  return { ...rules[code].defaults, ...stored };
}

export type ThresholdCheck = { ok: true; thresholds: Thresholds } | { ok: false; field: string; message: string };

/**
 * Checks a threshold update: every key known, every value a number within its limits (and of its list where it has
 * one). Missing keys keep their current values. `field` names the offending key as `thresholds.<key>`.
 */
export function checkThresholds(code: RuleCode, current: Thresholds, input: unknown): ThresholdCheck {
  const spec = rules[code];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, field: 'thresholds', message: 'must be an object of threshold values' };
  }
  const out = thresholdsOf(code, current);
  for (const key of Object.keys(input)) {
    const field = `thresholds.${key}`;
    if (!Object.hasOwn(spec.thresholds, key)) {
      return {
        ok: false,
        field,
        message: `unknown threshold of ${code}; known: ${Object.keys(spec.thresholds).join(', ')}`,
      };
    }
    const t = spec.thresholds[key] as ThresholdSpec;
    const v = (input as Record<string, unknown>)[key];
    if (typeof v !== 'number' || !Number.isInteger(v)) return { ok: false, field, message: 'must be an integer' };
    if (v < t.min || v > t.max) return { ok: false, field, message: `must be between ${t.min} and ${t.max}` };
    if (t.oneOf && !t.oneOf.includes(v)) return { ok: false, field, message: `must be one of ${t.oneOf.join(', ')}` };
    out[key] = v;
  }
  return { ok: true, thresholds: out };
}

/** A rule's definition with its thresholds filled in. */
export function definitionText(code: RuleCode, lang: 'zh' | 'en', thresholds: Thresholds): string {
  return rules[code].definition[lang].replace(/\{(\w+)\}/g, (_, k: string) => String(thresholds[k] ?? `{${k}}`));
}
