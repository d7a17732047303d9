import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { headerNames, type UploadField } from '../../domain/ingest/fields.js';
import { formatReason, type ReasonLanguage } from '../../domain/ingest/reasons.js';
import type { RowIssue } from '../../domain/ingest/rows.js';
import { neutraliseFormula } from '../export/stream.js';

const templateFields: UploadField[] = [
  'village_code',
  'town',
  'village',
  'screened_on',
  'screener',
  'lon',
  'lat',
  'crs',
  'zero_report',
  'category',
  'risk_level',
  'note',
];

export interface TemplateVillage {
  code: string;
  name: string;
  town_name: string;
  lon: number;
  lat: number;
}

function exampleRows(v: TemplateVillage): unknown[][] {
  return [
    [
      v.code,
      v.town_name,
      v.name,
      '2023/5/17',
      '张三',
      v.lon.toFixed(6),
      v.lat.toFixed(6),
      'wgs84',
      '否',
      '邻里纠纷',
      '黄',
      '宅基地界址争议',
    ],
    ['', v.town_name, v.name, '2023年5月18日', '张三', '', '', '', '是', '', '', ''],
  ];
}

const header = () => templateFields.map((f) => headerNames[f][0] as string);

/** Templates are UTF-8 with a BOM so that Excel on Chinese Windows opens them without mojibake. */
export function csvTemplate(v: TemplateVillage): string {
  return `\uFEFF${stringify([header(), ...exampleRows(v)], { record_delimiter: 'windows' })}`;
}

export async function xlsxTemplate(v: TemplateVillage): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('排查');
  ws.addRow(header());
  for (const r of exampleRows(v)) ws.addRow(r);
  ws.columns.forEach((c) => {
    c.width = 14;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function geojsonTemplate(v: TemplateVillage): string {
  return JSON.stringify(
    {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [Number(v.lon.toFixed(6)), Number(v.lat.toFixed(6))] },
          properties: {
            排查日期: '2023-05-17',
            排查人: '张三',
            隐患类别: '邻里纠纷',
            风险等级: '黄',
            情况说明: '宅基地界址争议',
          },
        },
        {
          type: 'Feature',
          geometry: null,
          properties: { 村代码: v.code, 排查日期: '2023-05-18', 排查人: '张三', 零报告: '是' },
        },
      ],
    },
    null,
    2,
  );
}

/** The report as CSV in `lang` (headers and reasons); lines stored before reason codes keep their message. */
export function reportCsv(issues: readonly RowIssue[], lang: ReasonLanguage = 'zh-CN'): string {
  const zh = lang === 'zh-CN';
  const rows = issues.map((i) => [
    i.row,
    i.field,
    i.severity === 'error' ? (zh ? '错误' : 'error') : zh ? '提示' : 'warning',
    neutraliseFormula((i.code && formatReason(i.code, i.params, lang)) || i.reason),
  ]);
  const header = zh ? ['行', '字段', '类型', '原因'] : ['row', 'field', 'severity', 'reason'];
  return `\uFEFF${stringify([header, ...rows], { record_delimiter: 'windows' })}`;
}
