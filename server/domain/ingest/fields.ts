import { own } from '../own.js';
import { type DisputeCategory, disputeCategories, type RiskLevel, riskLevels } from '../vocabulary.js';

/** The fields an upload row can carry, as stable identifiers. */
export const uploadFields = [
  'client_id',
  'village_code',
  'village',
  'town',
  'screened_on',
  'screener',
  'lon',
  'lat',
  'crs',
  'zero_report',
  'category',
  'risk_level',
  'note',
] as const;
export type UploadField = (typeof uploadFields)[number];

/** Header names people type in Chinese and English spreadsheets; the template uses the first Chinese one. */
export const headerNames: Record<UploadField, readonly string[]> = {
  client_id: ['编号', '客户端编号', 'client_id', 'client id', 'id', 'uuid'],
  village_code: ['村代码', '村编码', '行政区划代码', '区划代码', 'village_code', 'village code'],
  village: ['村(社区)', '村（社区）', '村', '村名', '村社区', '村庄', 'village', 'village name', 'village_name'],
  town: ['乡镇', '乡镇(街道)', '乡镇（街道）', '镇', '街道', 'town', 'town name', 'town_name'],
  screened_on: ['排查日期', '日期', '上报日期', 'screened_on', 'screened on', 'date'],
  screener: ['排查人', '网格员', '填报人', 'screener', 'reporter'],
  lon: ['经度', 'lon', 'lng', 'longitude', 'x'],
  lat: ['纬度', 'lat', 'latitude', 'y'],
  crs: ['坐标系', 'crs', 'coordinate system'],
  zero_report: ['零报告', 'zero_report', 'zero report'],
  category: ['隐患类别', '纠纷类别', '类别', '纠纷类型', 'category'],
  risk_level: ['风险等级', '等级', 'risk_level', 'risk level', 'level'],
  note: ['情况说明', '说明', '备注', '描述', 'note', 'notes', 'description'],
};

const normalise = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');

const byHeader = new Map<string, UploadField>();
for (const field of uploadFields) for (const name of headerNames[field]) byHeader.set(normalise(name), field);

/** Maps each column index to a field by its header; unknown headers are reported and ignored. */
export function mapHeaders(headers: readonly string[]): { columns: (UploadField | null)[]; unknown: string[] } {
  const seen = new Set<UploadField>();
  const unknown: string[] = [];
  const columns = headers.map((h) => {
    const field = byHeader.get(normalise(String(h ?? '')));
    if (!field || seen.has(field)) {
      if (String(h ?? '').trim() !== '') unknown.push(String(h));
      return null;
    }
    seen.add(field);
    return field;
  });
  return { columns, unknown };
}

const categoryNames: Record<string, DisputeCategory> = {
  邻里纠纷: 'neighbour',
  邻里: 'neighbour',
  婚姻家庭: 'marriage_family',
  婚姻家庭纠纷: 'marriage_family',
  山林土地: 'land_forest',
  山林土地纠纷: 'land_forest',
  土地: 'land_forest',
  医疗纠纷: 'medical',
  医疗: 'medical',
  劳资纠纷: 'labour_wages',
  劳资: 'labour_wages',
  合同债务: 'contract_debt',
  合同债务纠纷: 'contract_debt',
  交通事故: 'traffic_accident',
  物业纠纷: 'property_management',
  物业管理: 'property_management',
  其他: 'other',
};

export function parseCategory(value: string): DisputeCategory | null {
  const v = value.trim();
  if ((disputeCategories as readonly string[]).includes(v.toLowerCase())) return v.toLowerCase() as DisputeCategory;
  return own(categoryNames, v) ?? null;
}

const levelNames: Record<string, RiskLevel> = {
  红: 'red',
  红色: 'red',
  高: 'red',
  橙: 'orange',
  橙色: 'orange',
  较高: 'orange',
  黄: 'yellow',
  黄色: 'yellow',
  中: 'yellow',
  蓝: 'blue',
  蓝色: 'blue',
  低: 'blue',
};

export function parseRiskLevel(value: string): RiskLevel | null {
  const v = value.trim().replace(/[（(].*[)）]$/, '');
  if ((riskLevels as readonly string[]).includes(v.toLowerCase())) return v.toLowerCase() as RiskLevel;
  return own(levelNames, v) ?? null;
}

export function parseBoolean(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'y', '是', '√', '✓'].includes(v)) return true;
  if (['', '0', 'false', 'no', 'n', '否'].includes(v)) return false;
  return null;
}
