/**
 * Why a row of an upload was rejected or flagged: a stable code with its parameters, and the message in English
 * (API clients read `reason`) and Chinese. The web app's i18n takes these templates as they are, and the
 * downloadable report uses them in the caller's language, so one table serves all three. Templates use i18next's
 * `{{name}}` placeholders.
 */
const en = {
  not_uuid: '"{{value}}" is not a UUID',
  not_village_code: '"{{value}}" is not a 12-digit code',
  not_date: '"{{value}}" is not a date (2023-05-17, 2023/5/17, 2023年5月17日)',
  required: 'is required',
  too_long: 'is longer than {{max}} characters',
  unknown_crs: '"{{value}}" is not one of wgs84, cgcs2000, gcj02, bd09',
  not_longitude: '"{{value}}" is not a longitude',
  not_latitude: '"{{value}}" is not a latitude',
  no_village: 'give a village code, a village name, or a location',
  not_yes_no: '"{{value}}" is not yes/no (是/否)',
  unknown_category: '"{{value}}" is not a known category',
  unknown_risk_level: '"{{value}}" is not red/orange/yellow/blue (红/橙/黄/蓝)',
  zero_report_with_items: 'a zero report cannot list risk items',
  no_item: 'a row lists a risk item (category and level) or is marked as a zero report (零报告)',
  same_id: 'same id as row {{row}}',
  unknown_column: 'unknown column, ignored',
  invalid_polygon: 'invalid polygon: {{reason}}',
  already_stored: 'already stored by batch {{batch}}, not stored again',
  unknown_village_code: '"{{value}}" is not a village of the county',
  no_such_village: 'no village "{{village}}"',
  no_such_village_in_town: 'no village "{{village}}" in town "{{town}}"',
  ambiguous_village: '"{{village}}" exists in {{towns}}: give the town',
  location_elsewhere:
    'the location lies in {{town}} {{village}}, not in {{namedTown}} {{namedVillage}} (kept, flagged)',
  location_outside_county: 'the location lies outside the county, not in {{namedVillage}} (kept, flagged)',
  outside_villages: '({{lon}}, {{lat}}) is outside every village of the county',
  not_assigned_village: 'village {{code}} is not one of your assigned villages ({{villages}})',
  outside_town: 'village {{code}} is outside your town ({{towns}})',
  not_feature: 'is not a GeoJSON Feature',
  not_properties: 'must be an object or null',
  not_geometry: 'must be a geometry object or null',
  unsupported_geometry: '"{{value}}" is not Point, Polygon or MultiPolygon',
  empty_coordinates: 'must be a non-empty array',
  no_rings: 'must list rings',
  short_ring: 'a linear ring needs at least 4 positions',
  open_ring: 'a linear ring must end where it starts',
  not_position: 'a position is [longitude, latitude]',
  not_finite: 'coordinates must be finite numbers',
  position_out_of_range: '[{{lon}}, {{lat}}] is outside longitude −180…180 / latitude −90…90',
  winding_repaired: 'ring winding repaired (RFC 7946 right-hand rule)',
  nul_character: 'contains a NUL character (\\0), which cannot be stored: the row is refused',
  lone_surrogate: 'contains a broken character (a lone UTF-16 surrogate): the row is refused',
};

export type ReasonCode = keyof typeof en;

const zhCN: Record<ReasonCode, string> = {
  not_uuid: '“{{value}}”不是有效的 UUID 编号',
  not_village_code: '“{{value}}”不是 12 位村代码',
  not_date: '“{{value}}”不是日期（可写 2023-05-17、2023/5/17、2023年5月17日）',
  required: '必填',
  too_long: '超过 {{max}} 个字符',
  unknown_crs: '“{{value}}”不是 wgs84、cgcs2000、gcj02、bd09 之一',
  not_longitude: '“{{value}}”不是经度',
  not_latitude: '“{{value}}”不是纬度',
  no_village: '请填写村代码、村名或位置（经纬度）',
  not_yes_no: '“{{value}}”不是“是/否”',
  unknown_category: '“{{value}}”不是已知的隐患类别',
  unknown_risk_level: '“{{value}}”不是红/橙/黄/蓝',
  zero_report_with_items: '零报告不能同时列出隐患',
  no_item: '每行须列出一项隐患（类别和等级），或标为零报告',
  same_id: '与第 {{row}} 行编号相同',
  unknown_column: '无法识别的列，已忽略',
  invalid_polygon: '多边形无效：{{reason}}',
  already_stored: '已由第 {{batch}} 批次保存，不再重复保存',
  unknown_village_code: '“{{value}}”不是本县的村',
  no_such_village: '没有名为“{{village}}”的村',
  no_such_village_in_town: '“{{town}}”没有名为“{{village}}”的村',
  ambiguous_village: '“{{village}}”在 {{towns}} 都有，请填写乡镇',
  location_elsewhere: '位置位于{{town}}{{village}}，而非{{namedTown}}{{namedVillage}}（已保留并标记）',
  location_outside_county: '位置在本县以外，而非{{namedVillage}}（已保留并标记）',
  outside_villages: '（{{lon}}，{{lat}}）不在本县任何村内',
  not_assigned_village: '村 {{code}} 不是分配给您的村（{{villages}}）',
  outside_town: '村 {{code}} 不在您所在乡镇（{{towns}}）',
  not_feature: '不是 GeoJSON Feature',
  not_properties: '须为对象或 null',
  not_geometry: '须为几何对象或 null',
  unsupported_geometry: '“{{value}}”不是 Point、Polygon 或 MultiPolygon',
  empty_coordinates: '须为非空数组',
  no_rings: '须列出环',
  short_ring: '线环至少需要 4 个坐标点',
  open_ring: '线环的终点须与起点相同',
  not_position: '坐标点应为 [经度, 纬度]',
  not_finite: '坐标须为有限数值',
  position_out_of_range: '[{{lon}}, {{lat}}] 超出经度 −180…180 / 纬度 −90…90',
  winding_repaired: '已修正线环方向（RFC 7946 右手法则）',
  nul_character: '含有空字符（\\0），无法保存，本行未导入',
  lone_surrogate: '含有残缺字符（孤立的 UTF-16 代理项），本行未导入',
};

export type ReasonLanguage = 'zh-CN' | 'en';
export const reasonMessages: Record<ReasonLanguage, Record<ReasonCode, string>> = { en, 'zh-CN': zhCN };
export type ReasonParams = Record<string, string | number>;

/** The message of `code` in `lang`, its `{{name}}` placeholders filled from `params`. */
export function formatReason(code: string, params: ReasonParams = {}, lang: ReasonLanguage = 'en'): string | null {
  // Own keys only: `code` may come from a stored report or a client (`toString` must find nothing).
  const table = reasonMessages[lang] as Record<string, string>;
  const template = Object.hasOwn(table, code) ? table[code] : undefined;
  if (template === undefined) return null;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) =>
    String((Object.hasOwn(params, name) ? params[name] : undefined) ?? ''),
  );
}

/** The report language asked for by `?lang=` or Accept-Language: Chinese unless English comes first. */
export function reportLanguage(lang: string | undefined, acceptLanguage: string | undefined): ReasonLanguage {
  const pick = (tag: string): ReasonLanguage | null => {
    const t = tag.trim().toLowerCase();
    if (t.startsWith('zh')) return 'zh-CN';
    if (t.startsWith('en')) return 'en';
    return null;
  };
  if (lang) return pick(lang) ?? 'zh-CN';
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...rest] = part.split(';');
      const q = rest.map((r) => /^\s*q=([\d.]+)/.exec(r)?.[1]).find((v) => v !== undefined);
      return { tag, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const l = pick(tag);
    if (l) return l;
  }
  return 'zh-CN';
}
