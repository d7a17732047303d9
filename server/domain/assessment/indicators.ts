/**
 * The indicators of the assessment (考核指标): each a formula over counts of one unit (town, joint mediation
 * room, station) in one period, with the counts it was computed from. Cases are those reported in the period;
 * their state is read as of app_now(). The standard (standard.ts) gives each a weight and a linear scale.
 */
export const indicatorKeys = [
  'acceptance_rate',
  'success_rate',
  'village_share',
  'town_share',
  'overdue_rate',
  'days_to_accept',
  'days_to_resolve',
  'screening_completeness',
  'repeat_rate',
  'reopen_rate',
] as const;
export type IndicatorKey = (typeof indicatorKeys)[number];

/** What the SQL counts per unit and period (server/db/queries/assessment.ts). */
export interface UnitCounts {
  found: number;
  accepted: number;
  resolved: number;
  failed: number;
  referred: number;
  resolvedAtVillage: number;
  resolvedAtTown: number;
  /** Cases whose handling (to closing, or to app_now() while open) took longer than their category's limit. */
  overdue: number;
  /** Sum of days from reported to accepted over the accepted cases. */
  acceptDays: number;
  /** Sum of days from reported to resolved over the resolved cases. */
  resolveDays: number;
  /** Cases whose party was in another case in the 180 days before (same ID number or phone, keyed hash). */
  repeats: number;
  /** Resolved cases that flared up again (a later case reopened from them). */
  reopened: number;
  /** Villages due to report in the screening rounds due in the period, and those that did by the due date. */
  screeningExpected: number;
  screeningReported: number;
}

export interface IndicatorValue {
  key: IndicatorKey;
  /** The rate (0…1) or mean days; null when its denominator is 0. */
  value: number | null;
  numerator: number;
  denominator: number;
}

export interface IndicatorDefinition {
  key: IndicatorKey;
  unit: 'rate' | 'days';
  /** Higher values are better (rates of success) or lower (overdue, days, repeats). */
  better: 'higher' | 'lower';
  numerator: (c: UnitCounts) => number;
  denominator: (c: UnitCounts) => number;
  /** The definition as printed beside the figure (zh-CN, en). */
  zh: string;
  en: string;
}

const def = (d: IndicatorDefinition) => d;

export const indicators: Record<IndicatorKey, IndicatorDefinition> = {
  acceptance_rate: def({
    key: 'acceptance_rate',
    unit: 'rate',
    better: 'higher',
    numerator: (c) => c.accepted,
    denominator: (c) => c.found,
    zh: '受理率 = 已受理 ÷ 排查发现',
    en: 'acceptance rate = accepted ÷ found',
  }),
  success_rate: def({
    key: 'success_rate',
    unit: 'rate',
    better: 'higher',
    numerator: (c) => c.resolved,
    denominator: (c) => c.resolved + c.failed + c.referred,
    zh: '调解成功率 = 化解 ÷ 已办结（化解 + 调解不成 + 移交）',
    en: 'success rate = resolved ÷ closed (resolved + failed + referred)',
  }),
  village_share: def({
    key: 'village_share',
    unit: 'rate',
    better: 'higher',
    numerator: (c) => c.resolvedAtVillage,
    denominator: (c) => c.resolved,
    zh: '小事不出村 = 村级化解 ÷ 化解',
    en: 'settled in the village = resolved at village level ÷ resolved',
  }),
  town_share: def({
    key: 'town_share',
    unit: 'rate',
    better: 'higher',
    numerator: (c) => c.resolvedAtVillage + c.resolvedAtTown,
    denominator: (c) => c.resolved,
    zh: '大事不出镇 = 村、镇两级化解 ÷ 化解',
    en: 'settled in the town = resolved at village or town level ÷ resolved',
  }),
  overdue_rate: def({
    key: 'overdue_rate',
    unit: 'rate',
    better: 'lower',
    numerator: (c) => c.overdue,
    denominator: (c) => c.found,
    zh: '超期率 = 办理超过类别时限的案件 ÷ 排查发现',
    en: 'overdue rate = cases handled past their category limit ÷ found',
  }),
  days_to_accept: def({
    key: 'days_to_accept',
    unit: 'days',
    better: 'lower',
    numerator: (c) => c.acceptDays,
    denominator: (c) => c.accepted,
    zh: '平均受理天数 = 上报至受理天数之和 ÷ 已受理',
    en: 'mean days to accept = days from reported to accepted ÷ accepted',
  }),
  days_to_resolve: def({
    key: 'days_to_resolve',
    unit: 'days',
    better: 'lower',
    numerator: (c) => c.resolveDays,
    denominator: (c) => c.resolved,
    zh: '平均化解天数 = 上报至化解天数之和 ÷ 化解',
    en: 'mean days to resolve = days from reported to resolved ÷ resolved',
  }),
  screening_completeness: def({
    key: 'screening_completeness',
    unit: 'rate',
    better: 'higher',
    numerator: (c) => c.screeningReported,
    denominator: (c) => c.screeningExpected,
    zh: '排查完成率 = 按期上报的村（含零报告）÷ 应报村次（本期到期的排查轮次）',
    en: 'screening completeness = villages reporting by the due date ÷ villages due (rounds due in the period)',
  }),
  repeat_rate: def({
    key: 'repeat_rate',
    unit: 'rate',
    better: 'lower',
    numerator: (c) => c.repeats,
    denominator: (c) => c.found,
    zh: '重复纠纷率 = 当事人 180 天内曾涉其他纠纷的案件 ÷ 排查发现',
    en: 'repeat rate = cases whose party was in another case in the 180 days before ÷ found',
  }),
  reopen_rate: def({
    key: 'reopen_rate',
    unit: 'rate',
    better: 'lower',
    numerator: (c) => c.reopened,
    denominator: (c) => c.resolved,
    zh: '反弹率 = 化解后再起的案件 ÷ 化解',
    en: 'reopen rate = resolved cases that flared up again ÷ resolved',
  }),
};

export function indicatorValue(key: IndicatorKey, c: UnitCounts): IndicatorValue {
  const d = indicators[key];
  const numerator = d.numerator(c);
  const denominator = d.denominator(c);
  return { key, numerator, denominator, value: denominator > 0 ? numerator / denominator : null };
}

export const emptyCounts = (): UnitCounts => ({
  found: 0,
  accepted: 0,
  resolved: 0,
  failed: 0,
  referred: 0,
  resolvedAtVillage: 0,
  resolvedAtTown: 0,
  overdue: 0,
  acceptDays: 0,
  resolveDays: 0,
  repeats: 0,
  reopened: 0,
  screeningExpected: 0,
  screeningReported: 0,
});
