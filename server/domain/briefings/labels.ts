import type { DisputeCategory, RiskLevel } from '../vocabulary.js';

/** Words of the briefing PDF and its XLSX, zh-CN (政务 wording) and English. */
export type BriefingLang = 'zh-CN' | 'en';

export const categoryLabels: Record<BriefingLang, Record<DisputeCategory, string>> = {
  'zh-CN': {
    neighbour: '邻里纠纷',
    marriage_family: '婚姻家庭纠纷',
    land_forest: '山林土地纠纷',
    medical: '医疗纠纷',
    labour_wages: '劳资纠纷',
    contract_debt: '合同债务纠纷',
    traffic_accident: '交通事故纠纷',
    property_management: '物业纠纷',
    other: '其他纠纷',
  },
  en: {
    neighbour: 'neighbour',
    marriage_family: 'marriage & family',
    land_forest: 'land & forest',
    medical: 'medical',
    labour_wages: 'labour & wages',
    contract_debt: 'contract & debt',
    traffic_accident: 'traffic accident',
    property_management: 'property management',
    other: 'other',
  },
};

export const riskLabels: Record<BriefingLang, Record<RiskLevel, string>> = {
  'zh-CN': { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' },
  en: { red: 'red', orange: 'orange', yellow: 'yellow', blue: 'blue' },
};

export const statusLabels: Record<BriefingLang, Record<string, string>> = {
  'zh-CN': { reported: '待受理', accepted: '已受理', mediating: '调解中' },
  en: { reported: 'reported', accepted: 'accepted', mediating: 'mediating' },
};

/** Early-warning statuses (issue 16). */
export const warningStatusLabels: Record<BriefingLang, Record<string, string>> = {
  'zh-CN': { open: '待处置', acknowledged: '已知悉', dismissed: '已排除', tasked: '已交办' },
  en: { open: 'open', acknowledged: 'acknowledged', dismissed: 'dismissed', tasked: 'tasked' },
};

/** Task actions and statuses, as the tasks view words them. */
export const taskActionLabels: Record<BriefingLang, Record<string, string>> = {
  'zh-CN': { verify: '核实', visit: '走访', mediate: '调解', rescreen: '重新排查', report_back: '情况上报' },
  en: { verify: 'verify', visit: 'visit', mediate: 'mediate', rescreen: 're-screen', report_back: 'report back' },
};
export const taskStatusLabels: Record<BriefingLang, Record<string, string>> = {
  'zh-CN': { assigned: '待签收', accepted: '办理中', reported: '待销号', sent_back: '已退回', closed: '已销号' },
  en: { assigned: 'to accept', accepted: 'in hand', reported: 'to close', sent_back: 'sent back', closed: 'closed' },
};

/** 2023年5月17日 / 2023-05-17. */
export function formatDay(day: string, lang: BriefingLang): string {
  if (lang === 'en') return day;
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 第20周 (2023-W20) / 2023年5月 / 2023年第二季度 / 2023年 / a range of days. */
export function periodName(p: { kind: string; key: string; from: string; to: string }, lang: BriefingLang): string {
  const y = p.key.slice(0, 4);
  if (lang === 'en') {
    if (p.kind === 'week') return `week ${p.key.slice(6)} of ${y}`;
    if (p.kind === 'month')
      return new Date(`${p.from}T00:00:00Z`).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    if (p.kind === 'quarter') return `Q${p.key.slice(6)} ${y}`;
    if (p.kind === 'year') return y;
    return `${p.from} to ${p.to}`;
  }
  if (p.kind === 'week') return `${y}年第${Number(p.key.slice(6))}周`;
  if (p.kind === 'month') return `${y}年${Number(p.key.slice(5))}月`;
  if (p.kind === 'quarter') return `${y}年第${'一二三四'[Number(p.key.slice(6)) - 1]}季度`;
  if (p.kind === 'year') return `${y}年`;
  return `${formatDay(p.from, lang)}至${formatDay(p.to, lang)}`;
}
